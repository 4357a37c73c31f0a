package billing

import (
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestImports keeps the billing engine pure: the standard library (no
// disk, network or clock-bound packages), decimal and the engine's own
// data packages only, so every face can use it and tests need no set-up.
func TestImports(t *testing.T) {
	allowed := map[string]bool{
		"github.com/shopspring/decimal": true,
		"rebill/engine/customer":        true,
		"rebill/engine/lineitem":        true,
		"rebill/engine/money":           true,
	}
	for _, std := range []string{"encoding/json", "errors", "fmt", "sort", "strings", "sync"} {
		allowed[std] = true
	}
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if !allowed[p] {
				t.Errorf("%s imports %s: the billing engine takes its inputs as values and callbacks instead", name, p)
			}
		}
	}
}
