package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"rebill/engine/ingest"
)

// TestImportFormatListIsTheRegistry: the formats rebill import --format
// offers are the registry's, in its order, and only those are taken.
func TestImportFormatListIsTheRegistry(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	_, usage, _ := cli(t, db, "import", "--help")
	const intro = "force the file format instead of detecting it: "
	i := strings.Index(usage, intro)
	if i < 0 {
		t.Fatalf("no --format help in %s", usage)
	}
	line, _, _ := strings.Cut(usage[i+len(intro):], "\n")
	if want := strings.Join(ingest.Formats.Names(), ", "); line != want {
		t.Fatalf("--format offers %q, the registry has %q", line, want)
	}
	fails(t, db, 1, `unknown format "cur3"; use one of `+line, "import", "--format", "cur3", filepath.Join(t.TempDir(), "x.csv"))
}
