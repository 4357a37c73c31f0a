package cli

import (
	"errors"
	"rebill/store"
	"slices"
	"strings"
)

// windowPlaces are the window's places the engine's refusals send the
// accountant to, with the command that changes the same thing: the
// refusals are worded once, for both faces, and the command line adds
// its own way to what they name. Longer places come first, so that
// "Settings > Invoice numbers > Number format" is not read as
// "Settings > Invoice numbers".
var windowPlaces = []struct{ place, command string }{
	{"Settings > E-invoicing", "rebill profile set KEY VALUE"},
	{"Settings > Account information", "rebill profile set KEY VALUE"},
	{"Settings > Ledger accounts", "rebill ledger accounts"},
	{"Settings > Invoice numbers > Number format", "rebill profile set invoice_number_format FORMAT"},
	{"Settings > Invoice numbers", "rebill invoices next-number N --reason R"},
	{"Settings > Database", "rebill backups --keep N"},
	{"Settings > Sending invoices", "rebill smtp set"},
	{"Settings > Billing API", "rebill serve, rebill api-key"},
	{"Settings > Support plans and provider discounts", "rebill support-plans"},
	{"Settings > Exchange rates", "rebill rates set"},
	{"Export to ledger > Currency", "rebill ledger export --currency C"},
}

// cliMessage is an error as the command line says it: a ledger mapping
// damaged in the database names the one command that replaces it (the
// plain accounts command reads it first, and fails); any other refusal
// that names a window's place gets that place's command (withCommands).
func cliMessage(err error) string {
	if errors.Is(err, store.ErrLedgerMappingDamaged) {
		return err.Error() + " (on the command line: rebill ledger accounts --reset, with the flags of the accounts to set)"
	}
	return withCommands(err.Error())
}

// withCommands adds to a refusal that names a window's place, and no
// command of its own, the command that does the same: "…: set it in
// Settings > Account information (on the command line: rebill profile
// set KEY VALUE …)". Each command is added once.
func withCommands(msg string) string {
	if strings.Contains(msg, "rebill ") {
		return msg
	}
	var cmds []string
	rest := msg
	for _, p := range windowPlaces {
		if strings.Contains(rest, p.place) {
			rest = strings.ReplaceAll(rest, p.place, "")
			if !slices.Contains(cmds, p.command) {
				cmds = append(cmds, p.command)
			}
		}
	}
	// "Customers > ACME > E-invoicing": that customer's edit.
	if _, after, ok := strings.Cut(rest, "Customers > "); ok {
		if id, _, ok := strings.Cut(after, " > "); ok && id != "" && !strings.Contains(id, " ") {
			cmds = append(cmds, "rebill customers edit "+id)
		}
	}
	if len(cmds) == 0 {
		return msg
	}
	return msg + " (on the command line: " + strings.Join(cmds, "; ") + ")"
}
