package document

import (
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestImports keeps rendering pure: it reads an invoice value and the
// embedded fonts and writes to an io.Writer, with no disk (no os), no
// clock and no store, so a document of an old invoice renders the same
// bytes on any machine.
func TestImports(t *testing.T) {
	allowed := map[string]bool{
		"github.com/shopspring/decimal": true, "github.com/signintech/gopdf": true, "github.com/xuri/excelize/v2": true,
		"rebill/assets": true,
	}
	for _, std := range []string{"bytes", "encoding/csv", "fmt", "image", "image/jpeg", "image/png", "io", "strconv", "strings", "sync", "time"} {
		allowed[std] = true
	}
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "time.Now(") {
			t.Errorf("%s reads the clock: a document shows the invoice's dates only", name)
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, b, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if !allowed[p] && !strings.HasPrefix(p, "rebill/engine/") {
				t.Errorf("%s imports %s: documents render values to an io.Writer", name, p)
			}
		}
	}
}
