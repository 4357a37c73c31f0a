package ingest

import (
	"slices"
	"strings"
	"testing"

	"rebill/engine/read"
)

// ownHeader is the smallest header of a format: its required columns and
// the first of the columns that tell it from its siblings.
func ownHeader(f read.Format) []string {
	h := slices.Clone(f.Required)
	if len(f.Marks) > 0 {
		h = append(h, f.Marks[0])
	}
	return h
}

// TestEveryFormatIsDetectedFromItsOwnHeader: each registered format's own
// header, in its own container, is detected as that format and claimed by
// no other family; and a file of the format is found in a folder.
func TestEveryFormatIsDetectedFromItsOwnHeader(t *testing.T) {
	formats := Formats.Formats()
	if len(formats) == 0 {
		t.Fatal("no formats registered")
	}
	for _, f := range formats {
		t.Run(f.Name, func(t *testing.T) {
			if f.Title == "" || f.Short == "" || len(f.Required) == 0 || len(f.Extensions) == 0 {
				t.Fatalf("format %+v lacks a title, a short name, required columns or file endings", f)
			}
			h := ownHeader(f)
			got, fam, ok := Formats.Detect(h, f.Container)
			if !ok || got.Name != f.Name {
				t.Fatalf("header %v in %+v detected as %q (%v)", h, f.Container, got.Name, ok)
			}
			for _, other := range Formats.Families() {
				if other == fam {
					continue
				}
				if name, ok := other.Detect(h, f.Container); ok {
					t.Errorf("family %s claims %s's header as %s", other.Name, f.Name, name)
				}
			}
			for _, ext := range f.Extensions {
				if !IsBillingFileName("report" + ext) {
					t.Errorf("a %s file named report%s is not picked from a folder", f.Name, ext)
				}
			}
		})
	}
}

// TestAFormatMissingAColumnIsClosest: a format's own header less one
// required column is refused, naming that format and that column.
func TestAFormatMissingAColumnIsClosest(t *testing.T) {
	for _, f := range Formats.Formats() {
		for i, col := range f.Required {
			h := slices.Delete(ownHeader(f), i, i+1)
			if _, _, ok := Formats.Detect(h, f.Container); ok {
				// A column detection does not need: only the mapper
				// misses it.
				continue
			}
			got, missing := Formats.Closest(h, f.Container)
			if got.Name != f.Name || strings.Join(missing, ",") != col {
				t.Errorf("%s without %s: closest %s missing %v", f.Name, col, got.Name, missing)
			}
		}
	}
}
