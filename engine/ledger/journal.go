package ledger

import (
	"encoding/csv"
	"io"

	"github.com/shopspring/decimal"
)

// JournalHeader is the plain journal's columns: one double-entry line per
// row, debit and credit never both set.
var JournalHeader = []string{"date", "number", "account", "debit", "credit", "tax_code", "text", "currency"}

// writeJournal writes every posting as balanced journal lines: the
// receivable, then each group's net revenue, then each tax, so that per
// document the debits equal the credits (the figures add up).
func writeJournal(w io.Writer, ps []Posting, s *Summary) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(JournalHeader); err != nil {
		return err
	}
	for _, p := range ps {
		s.count(p)
		text := docText(p) + " " + p.Customer.Name
		row := func(account string, amount decimal.Decimal, debitSide bool, code, label string) error {
			// A debit-side amount that is negative is a credit, and the
			// other way round: a credit note reverses every side.
			if amount.IsZero() {
				return nil
			}
			debit, credit := "", ""
			if amount.IsPositive() == debitSide {
				debit = fixed(amount.Abs(), p.Currency)
			} else {
				credit = fixed(amount.Abs(), p.Currency)
			}
			s.Bookings++
			return cw.Write([]string{p.Date.String(), p.Number, account, debit, credit, code, text + label, p.Currency})
		}
		if err := row(p.Receivable, p.Total, true, "", ""); err != nil {
			return err
		}
		for _, g := range p.Groups {
			if err := row(g.Account, g.Net, false, g.TaxCode, ", "+g.Label); err != nil {
				return err
			}
		}
		for _, t := range p.Taxes {
			if err := row(t.Account, t.Amount, false, t.Code, ", "+t.Name); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
