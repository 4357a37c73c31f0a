package cli

import "testing"

// TestWithCommands: a refusal worded for the window gets the command
// that does the same on the command line, once per command, the
// customer's id filled in; one that names a command already is left as
// it is.
func TestWithCommands(t *testing.T) {
	for _, tc := range []struct{ msg, want string }{
		{"your VAT identifier is missing, which an invoice with VAT category S requires: set it in Settings > Account information > E-invoicing",
			"your VAT identifier is missing, which an invoice with VAT category S requires: set it in Settings > Account information > E-invoicing (on the command line: rebill profile set KEY VALUE)"},
		{"Customer FAB has no buyer reference (Leitweg-ID), which XRechnung requires: set it in Customers > FAB > E-invoicing",
			"Customer FAB has no buyer reference (Leitweg-ID), which XRechnung requires: set it in Customers > FAB > E-invoicing (on the command line: rebill customers edit FAB)"},
		{"the DATEV consultant number \"1\" must be 1001 to 9999999: set it in Settings > Ledger accounts",
			"the DATEV consultant number \"1\" must be 1001 to 9999999: set it in Settings > Ledger accounts (on the command line: rebill ledger accounts)"},
		{"your company name is missing: set it in Settings > Account information; your IBAN is missing: set it in Settings > Account information > E-invoicing",
			"your company name is missing: set it in Settings > Account information; your IBAN is missing: set it in Settings > Account information > E-invoicing (on the command line: rebill profile set KEY VALUE)"},
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
