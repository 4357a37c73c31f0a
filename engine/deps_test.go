// Package engine_test guards the engine's independence: the billing logic
// must not reach the database, the window, the network or document
// libraries, so it stays testable with plain inputs and usable from every
// face (window, CLI, API).
package engine_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// pkg is one package as `go list -json` describes it.
type pkg struct {
	ImportPath string
	Imports    []string
	GoFiles    []string
	Dir        string
	Standard   bool
}

// goList runs `go list -deps -json` over every engine package: the
// packages themselves and everything they depend on, built as the
// compiler builds them (build tags and all), which parsing imports by
// hand cannot see.
func goList(t *testing.T) map[string]pkg {
	t.Helper()
	bin, err := exec.LookPath("go")
	if err != nil {
		bin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	cmd := exec.Command(bin, "list", "-deps", "-json=ImportPath,Imports,GoFiles,Dir,Standard", "./...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	all := map[string]pkg{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		all[p.ImportPath] = p
	}
	return all
}

// forbidden are what no engine package may depend on, even indirectly:
// the faces, the database, the windowing toolkit and the network.
var forbidden = []string{"fyne.io/", "go.etcd.io/bbolt", "rebill/store", "rebill/ui", "rebill/api", "net/http"}

// documentLibraries may only be reached from engine/document, which
// exists to render invoices with them.
var documentLibraries = []string{"github.com/signintech/gopdf", "github.com/xuri/excelize/"}

// carriers are third-party libraries the engine needs that import
// net/http for their own purposes (brotli for Parquet pages, excelize for
// content types) and never serve or fetch anything for Rebill: what they
// import is not followed. Every other path to a forbidden package fails.
var carriers = []string{"github.com/andybalholm/brotli", "github.com/xuri/excelize/v2"}

// noDisk are direct imports that reach the disk, the network or other
// processes: engine code takes an io.Reader and gives an io.Writer. Only
// engine/ingest opens the files and folders it is named.
var noDisk = []string{"os", "os/exec", "io/ioutil", "net", "net/http", "syscall"}

var mayOpenFiles = map[string]bool{"rebill/engine/ingest": true}

func matches(p string, prefixes []string) bool {
	for _, f := range prefixes {
		if p == strings.TrimSuffix(f, "/") || strings.HasPrefix(p, strings.TrimSuffix(f, "/")+"/") {
			return true
		}
	}
	return false
}

// pathTo finds how from reaches a package matching want, not following
// the carriers' imports; nil when it does not.
func pathTo(all map[string]pkg, from string, want []string) []string {
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if matches(p, want) {
			var path []string
			for ; p != ""; p = prev[p] {
				path = append(path, p)
			}
			slices.Reverse(path)
			return path
		}
		if p != from && matches(p, carriers) {
			continue
		}
		for _, imp := range all[p].Imports {
			if _, seen := prev[imp]; !seen {
				prev[imp] = p
				queue = append(queue, imp)
			}
		}
	}
	return nil
}

// TestDependencies is the engine's one dependency test, over the build's
// own dependency graph: no engine package reaches Fyne, bbolt, the store,
// the faces or net/http; only engine/document reaches gopdf and excelize;
// no engine package but ingest touches the disk; and none reads the clock
// (now is passed in, so every result is reproducible).
func TestDependencies(t *testing.T) {
	all := goList(t)
	var engine []string
	for p := range all {
		if strings.HasPrefix(p, "rebill/engine/") {
			engine = append(engine, p)
		}
	}
	slices.Sort(engine)
	if len(engine) < 10 {
		t.Fatalf("go list found only %d engine packages: %v", len(engine), engine)
	}
	for _, p := range engine {
		if path := pathTo(all, p, forbidden); path != nil {
			t.Errorf("%s depends on %s: engine code must stay free of the faces, the database and the network", p, strings.Join(path, " -> "))
		}
		if p != "rebill/engine/document" {
			if path := pathTo(all, p, documentLibraries); path != nil {
				t.Errorf("%s depends on %s: only engine/document renders with the document libraries", p, strings.Join(path, " -> "))
			}
		}
		for _, imp := range all[p].Imports {
			if slices.Contains(noDisk, imp) && !mayOpenFiles[p] {
				t.Errorf("%s imports %s: engine code takes an io.Reader and gives an io.Writer", p, imp)
			}
		}
		for _, f := range all[p].GoFiles {
			b, err := os.ReadFile(filepath.Join(all[p].Dir, f))
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(b, []byte("time.Now(")) {
				t.Errorf("%s/%s reads the clock: take now as a parameter", p, f)
			}
		}
	}
}

// TestDependenciesCatchForbidden makes sure the walk finds what it must:
// a made-up engine package importing bbolt through a helper, and net/http
// through a library that is not a carrier.
func TestDependenciesCatchForbidden(t *testing.T) {
	all := map[string]pkg{
		"rebill/engine/x":               {ImportPath: "rebill/engine/x", Imports: []string{"rebill/engine/y", "example.com/lib"}},
		"rebill/engine/y":               {ImportPath: "rebill/engine/y", Imports: []string{"go.etcd.io/bbolt"}},
		"example.com/lib":               {ImportPath: "example.com/lib", Imports: []string{"net/http"}},
		"rebill/engine/z":               {ImportPath: "rebill/engine/z", Imports: []string{"github.com/andybalholm/brotli"}},
		"go.etcd.io/bbolt":              {ImportPath: "go.etcd.io/bbolt"},
		"net/http":                      {ImportPath: "net/http", Standard: true},
		"net/http/httptest":             {ImportPath: "net/http/httptest", Standard: true},
		"github.com/andybalholm/brotli": {ImportPath: "github.com/andybalholm/brotli", Imports: []string{"net/http"}},
	}
	tests := []struct {
		name, from string
		want       []string
		path       string
	}{
		{"bbolt through a helper", "rebill/engine/x", []string{"go.etcd.io/bbolt"}, "rebill/engine/x -> rebill/engine/y -> go.etcd.io/bbolt"},
		{"net/http through a library", "rebill/engine/x", []string{"net/http"}, "rebill/engine/x -> example.com/lib -> net/http"},
		{"net/http through a carrier is not followed", "rebill/engine/z", []string{"net/http"}, ""},
		{"fyne nowhere", "rebill/engine/x", []string{"fyne.io/"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(pathTo(all, tc.from, tc.want), " -> ")
			if got != tc.path {
				t.Errorf("path = %q, want %q", got, tc.path)
			}
		})
	}
}
