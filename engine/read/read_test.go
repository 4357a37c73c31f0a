package read

import (
	"slices"
	"strings"
	"testing"

	"rebill/engine/lineitem"
)

// fakeFamily recognises a header holding all of its required columns.
func fakeFamily(name string, formats ...Format) *Family {
	return &Family{
		Name:    name,
		Formats: formats,
		Detect: func(header []string, c Container) (string, bool) {
			for _, f := range formats {
				if f.Container == c && !slices.ContainsFunc(f.Required, func(r string) bool { return !slices.Contains(header, r) }) {
					return f.Name, true
				}
			}
			return "", false
		},
		Closest: func(header []string, c Container) (string, int, []string) {
			f := formats[0]
			var missing []string
			for _, r := range f.Required {
				if !slices.Contains(header, r) {
					missing = append(missing, r)
				}
			}
			return f.Name, len(f.Required) - len(missing), missing
		},
	}
}

func TestRegistry(t *testing.T) {
	a := fakeFamily("a",
		Format{Name: "a-csv", Container: CSV, Required: []string{"Cost", "Account"}, Extensions: []string{".csv", ".csv.gz"}},
		Format{Name: "a-parquet", Container: Parquet, Required: []string{"Cost", "Account"}, Extensions: []string{".parquet"}})
	b := fakeFamily("b", Format{Name: "b-csv", Container: CSV, Required: []string{"Charge", "Account", "Month"}, Extensions: []string{".csv", ".zip"}})
	r := NewRegistry(a, b)
	if got := strings.Join(r.Names(), " "); got != "a-csv a-parquet b-csv" {
		t.Fatalf("names %s", got)
	}
	if got := strings.Join(r.Extensions(), " "); got != ".csv .gz .parquet .zip" {
		t.Fatalf("extensions %s", got)
	}
	if f, fam, ok := r.Format("b-csv"); !ok || fam != b || f.Required[0] != "Charge" {
		t.Fatalf("b-csv: %v %v %v", f, fam, ok)
	}
	if _, _, ok := r.Format(""); ok {
		t.Fatal("the empty name is a format")
	}
	detect := []struct {
		name   string
		header []string
		c      Container
		want   string // "" when no format
	}{
		{"first family", []string{"Account", "Cost"}, CSV, "a-csv"},
		{"by container", []string{"Account", "Cost"}, Parquet, "a-parquet"},
		{"second family", []string{"Month", "Account", "Charge"}, CSV, "b-csv"},
		{"none", []string{"Month", "Charge"}, CSV, ""},
	}
	for _, tc := range detect {
		t.Run(tc.name, func(t *testing.T) {
			f, _, ok := r.Detect(tc.header, tc.c)
			if f.Name != tc.want || ok != (tc.want != "") {
				t.Fatalf("Detect = %s %v, want %q", f.Name, ok, tc.want)
			}
		})
	}
	closest := []struct {
		name, want, missing string
		header              []string
	}{
		// a has 1 of 2, b has 2 of 3: b has more of its columns.
		{"most columns found", "b-csv", "Charge", []string{"Account", "Month"}},
		// 1 found each: the earlier family.
		{"a tie goes to the earlier family", "a-csv", "Cost", []string{"Account"}},
		{"nothing found", "a-csv", "Cost Account", []string{"Date"}},
	}
	for _, tc := range closest {
		t.Run(tc.name, func(t *testing.T) {
			f, missing := r.Closest(tc.header, CSV)
			if f.Name != tc.want || strings.Join(missing, " ") != tc.missing {
				t.Fatalf("Closest = %s missing %v, want %s missing %s", f.Name, missing, tc.want, tc.missing)
			}
		})
	}
}

func TestRegistryRefusesTwoFormatsOfOneName(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	NewRegistry(fakeFamily("a", Format{Name: "x", Provider: lineitem.AWS}), fakeFamily("b", Format{Name: "x"}))
}

func TestRowError(t *testing.T) {
	for _, tc := range []struct {
		err  RowError
		want string
	}{
		{RowError{Where: "line 9", Column: "UnBlendedCost", Err: errTest}, "line 9, column UnBlendedCost: wrong"},
		{RowError{Where: "line 9", Err: errTest}, "line 9: wrong"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

var errTest = errorString("wrong")

type errorString string

func (e errorString) Error() string { return string(e) }
