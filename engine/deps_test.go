// Package engine_test guards the engine's independence: the billing logic
// must not reach the database, the window or document libraries, so it
// stays testable with plain inputs and usable from every face.
package engine_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// forbidden lists import path prefixes no engine package may use, except
// where allowed says otherwise.
var forbidden = []string{
	"fyne.io/",
	"go.etcd.io/bbolt",
	"github.com/signintech/gopdf",
	"github.com/xuri/excelize",
	"rebill/store",
	"rebill/ui",
	"net/http",
}

// allowed lets one engine package use an otherwise forbidden import:
// engine/document exists to render invoices with the project's PDF and
// Excel libraries, and stays pure otherwise (no store, no UI, no clock).
var allowed = map[string][]string{
	"document": {"github.com/signintech/gopdf", "github.com/xuri/excelize/v2"},
}

// permitted reports whether the file at path (relative to engine/) may
// import p although it matches a forbidden prefix.
func permitted(path, p string) bool {
	dir := filepath.ToSlash(filepath.Dir(path))
	for _, ok := range allowed[dir] {
		if p == ok || strings.HasPrefix(p, ok+"/") {
			return true
		}
	}
	return false
}

func TestEngineImportsNoFaces(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			for _, bad := range forbidden {
				if strings.HasPrefix(p, bad) && !permitted(path, p) {
					t.Errorf("%s imports %s: engine code must stay free of the store, the UI and document libraries", path, p)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
