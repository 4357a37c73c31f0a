package invoice

import (
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestImports keeps the invoice package pure: the standard library
// without disk, network or clock (time is used for values only, never
// time.Now: see TestNoClock), decimal and the engine's own packages, so
// the store, the CLI and the window can build on it and tests need no
// set-up.
func TestImports(t *testing.T) {
	allowed := map[string]bool{"github.com/shopspring/decimal": true}
	for _, std := range []string{"bytes", "crypto/sha256", "encoding/hex", "encoding/json", "errors", "fmt", "slices", "strconv", "strings", "time"} {
		allowed[std] = true
	}
	for _, name := range sources(t) {
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if !allowed[p] && !strings.HasPrefix(p, "rebill/engine/") {
				t.Errorf("%s imports %s: the invoice package takes its inputs as values instead", name, p)
			}
		}
	}
}

// TestNoClock: no function reads the clock; now is always passed in, so
// every result is reproducible.
func TestNoClock(t *testing.T) {
	for _, name := range sources(t) {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "time.Now(") {
			t.Errorf("%s reads the clock: take now as a parameter", name)
		}
	}
}

func sources(t *testing.T) []string {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if n := e.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			out = append(out, n)
		}
	}
	return out
}
