package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestWithCommands: a refusal worded for the window gets the command
// that does the same on the command line, once per command, the
// customer's id filled in; one that names a command already is left as
// it is.
func TestWithCommands(t *testing.T) {
	for _, tc := range []struct{ msg, want string }{
		{"your VAT identifier is missing, which an invoice with VAT category S requires: set it in Settings > E-invoicing",
			"your VAT identifier is missing, which an invoice with VAT category S requires: set it in Settings > E-invoicing (on the command line: rebill profile set KEY VALUE)"},
		{"Customer FAB has no buyer reference (Leitweg-ID), which XRechnung requires: set it in Customers > FAB > E-invoicing",
			"Customer FAB has no buyer reference (Leitweg-ID), which XRechnung requires: set it in Customers > FAB > E-invoicing (on the command line: rebill customers edit FAB)"},
		{"the DATEV consultant number \"1\" must be 1001 to 9999999: set it in Settings > Ledger accounts",
			"the DATEV consultant number \"1\" must be 1001 to 9999999: set it in Settings > Ledger accounts (on the command line: rebill ledger accounts)"},
		{"your company name is missing: set it in Settings > Account information; your IBAN is missing: set it in Settings > E-invoicing",
			"your company name is missing: set it in Settings > Account information; your IBAN is missing: set it in Settings > E-invoicing (on the command line: rebill profile set KEY VALUE)"},
		{"no USD to EUR exchange rate for 2023-09: enter it (rebill rates set USD EUR 2023-09 RATE --source SOURCE, or Settings > Exchange rates), then try again",
			"no USD to EUR exchange rate for 2023-09: enter it (rebill rates set USD EUR 2023-09 RATE --source SOURCE, or Settings > Exchange rates), then try again"},
		{"the documents are in EUR and USD; a DATEV batch holds one currency: export one currency at a time (EUR, then USD), choosing it in Export to ledger > Currency",
			"the documents are in EUR and USD; a DATEV batch holds one currency: export one currency at a time (EUR, then USD), choosing it in Export to ledger > Currency (on the command line: rebill ledger export --currency C)"},
		{"unexpected argument \"x\"", "unexpected argument \"x\""},
	} {
		if got := withCommands(tc.msg); got != tc.want {
			t.Errorf("withCommands(%q)\n= %q\nwant %q", tc.msg, got, tc.want)
		}
	}
}

// formSections are the section titles a screen's source file gives
// formSection.
func formSections(t *testing.T, file string) []string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", file))
	if err != nil {
		t.Fatal(err)
	}
	var sections []string
	for _, m := range regexp.MustCompile(`formSection\("([^"]+)"\)`).FindAllStringSubmatch(string(src), -1) {
		sections = append(sections, m[1])
	}
	return sections
}

// eachPlace calls fn with every match of place in the non-test sources
// of the engine, the store and the faces, and the file it is in.
func eachPlace(t *testing.T, place *regexp.Regexp, fn func(path string, m []string)) {
	t.Helper()
	for _, root := range []string{"../../engine", "../../store", ".."} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, m := range place.FindAllStringSubmatch(string(src), -1) {
				fn(path, m)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestCustomerPlacesExist: every "Customers > ID > …" a message names is
// a section of the customer's form: "Customers > FAB > Contact" named a
// section called "Billing contact".
func TestCustomerPlacesExist(t *testing.T) {
	sections := formSections(t, "customer_form.go")
	eachPlace(t, regexp.MustCompile(`Customers > [^ ]+ > ([A-Z][A-Za-z-]*(?: [a-z-]+)*)`), func(path string, m []string) {
		if !slices.Contains(sections, m[1]) {
			t.Errorf("%s names %q, which is no section of the customer form (%s)", path, m[0], strings.Join(sections, ", "))
		}
	})
}

// TestSettingsPlacesExist: every "Settings > …" a message, hint or note
// sends the accountant to names a section the Settings screen has (its
// formSection titles): "Settings > Numbers" sent them to a section that
// was called "Invoice numbers".
func TestSettingsPlacesExist(t *testing.T) {
	sections := formSections(t, "settings.go")
	if len(sections) < 10 {
		t.Fatalf("found only the sections %q in ui/settings.go", sections)
	}
	eachPlace(t, regexp.MustCompile(`Settings > ([A-Z][A-Za-z-]*(?: [A-Za-z-]+)*)`), func(path string, m []string) {
		if strings.Contains(path, "ledger") && strings.HasPrefix(m[1], "Import data") {
			return // QuickBooks' own settings, named in a comment
		}
		if !slices.ContainsFunc(sections, func(s string) bool { return m[1] == s || strings.HasPrefix(m[1], s+" ") }) {
			t.Errorf("%s names %q, which is no section of the Settings screen (%s)", path, m[0], strings.Join(sections, ", "))
		}
	})
}
