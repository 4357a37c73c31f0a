package view

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

// listed is one package as `go list -json` describes it.
type listed struct {
	ImportPath string
	Imports    []string
	GoFiles    []string
	Dir        string
}

// reaches finds how from reaches a package under prefix in the graph,
// nil when it does not.
func reaches(graph map[string]listed, from, prefix string) []string {
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if p == strings.TrimSuffix(prefix, "/") || strings.HasPrefix(p, prefix) {
			var path []string
			for ; p != ""; p = prev[p] {
				path = append(path, p)
			}
			slices.Reverse(path)
			return path
		}
		for _, imp := range graph[p].Imports {
			if _, seen := prev[imp]; !seen {
				prev[imp] = p
				queue = append(queue, imp)
			}
		}
	}
	return nil
}

// TestNoFyne keeps the view-models free of the toolkit, over the build's
// own dependency graph (`go list -deps`): a test drives them without a
// window, and what a screen shows cannot hide in a widget callback. They
// take values and never read the database either: the screen reads,
// through the store's use cases.
func TestNoFyne(t *testing.T) {
	bin, err := exec.LookPath("go")
	if err != nil {
		bin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	cmd := exec.Command(bin, "list", "-deps", "-json=ImportPath,Imports,GoFiles,Dir", ".")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	graph := map[string]listed{}
	self := ""
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		graph[p.ImportPath] = p
		self = p.ImportPath // go list -deps lists the package itself last
	}
	if self != "rebill/ui/view" {
		t.Fatalf("go list ended with %q, want rebill/ui/view", self)
	}
	for _, forbidden := range []string{"fyne.io/", "rebill/ui/cli", "rebill/ui/api"} {
		if path := reaches(graph, self, forbidden); path != nil {
			t.Errorf("the view-models depend on %s: %s", forbidden, strings.Join(path, " -> "))
		}
	}
	for _, f := range graph[self].GoFiles {
		b, err := os.ReadFile(filepath.Join(graph[self].Dir, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, read := range []string{"*store.DB", "store.Open(", "time.Now("} {
			if bytes.Contains(b, []byte(read)) {
				t.Errorf("%s uses %s: a view-model takes the values the screen read, and now as a parameter", f, read)
			}
		}
	}
}

// TestReachesFindsIndirectImports makes sure the walk finds what it must:
// Fyne through a helper package, and nothing where there is nothing.
func TestReachesFindsIndirectImports(t *testing.T) {
	graph := map[string]listed{
		"rebill/ui/view":         {Imports: []string{"rebill/ui/helper", "strings"}},
		"rebill/ui/helper":       {Imports: []string{"fyne.io/fyne/v2/widget"}},
		"fyne.io/fyne/v2/widget": {},
		"strings":                {},
	}
	if got := strings.Join(reaches(graph, "rebill/ui/view", "fyne.io/"), " -> "); got != "rebill/ui/view -> rebill/ui/helper -> fyne.io/fyne/v2/widget" {
		t.Errorf("path to Fyne = %q", got)
	}
	if got := reaches(graph, "rebill/ui/view", "net/http"); got != nil {
		t.Errorf("path to net/http = %v, want none", got)
	}
}
