package ingest

import (
	"fmt"
	"strings"
	"time"

	"rebill/engine/lineitem"
)

// Confirmation is the accountant's statement that a delivery holds the
// provider's final data for its month. Only the files can say it
// otherwise (an invoice id on every row), and many never do: Azure's EA
// and pay-as-you-go exports, FOCUS 1.0, GCP and OCI carry no invoice id,
// so without it their months would stay provisional for ever and every
// invoice of them would be issued over a warning. The distributor's
// invoice or its announced billing close is what the accountant goes by.
type Confirmation struct {
	At     time.Time `json:"at"`
	By     string    `json:"by,omitempty"` // the system user
	Reason string    `json:"reason"`
}

// ClosesItself tells whether a provider's files say themselves when its
// month is final, so that a later delivery will: AWS writes its invoice
// id on every row of the CUR (and DBR) once the bill is final. Azure's
// EA and pay-as-you-go exports, GCP and OCI never do, and their months
// are final only on the accountant's word (ConfirmFinal).
func ClosesItself(p lineitem.Provider) bool { return p == lineitem.AWS }

// ConfirmFinal makes a provisional delivery final on the accountant's
// word, recorded with when, who and why. From then on the month reads
// final, and a provisional re-delivery no longer replaces it silently
// (Resolve), while the provider's own final data still does.
//
// It is refused without a reason, for a delivery that is final already,
// for one that still lacks parts, and before its month has ended (in
// UTC, as providers meter usage): until then usage is still being added.
func (d *Delivery) ConfirmFinal(now time.Time, by, reason string) error {
	reason = strings.TrimSpace(reason)
	switch {
	case d.Confirmed != nil:
		return fmt.Errorf("delivery %d (%s %s, payer %s) was confirmed final already, %s", d.ID, d.Provider, d.Period, d.Payer, d.Confirmed.Text())
	case d.Final:
		return fmt.Errorf("delivery %d (%s %s, payer %s) is final already: its files carry the provider's invoice id (%s)",
			d.ID, d.Provider, d.Period, d.Payer, strings.Join(d.InvoiceIDs, " "))
	case len(d.Missing) > 0:
		return fmt.Errorf("delivery %d (%s %s, payer %s) still lacks %s: import the missing parts first",
			d.ID, d.Provider, d.Period, d.Payer, listNames(d.Missing))
	case reason == "":
		return fmt.Errorf("say what shows that %s %s is final (for example the distributor's invoice number, or its announced billing close): the reason is kept with the delivery and in the audit log", d.Provider, d.Period)
	}
	start, err := time.Parse("2006-01", d.Period)
	if err != nil {
		return fmt.Errorf("delivery %d has no month: %w", d.ID, err)
	}
	if end := start.AddDate(0, 1, 0); now.Before(end) {
		return fmt.Errorf("%s has not ended yet: usage is added until %s UTC, so its data cannot be final before then", d.Period, end.Format("2006-01-02 15:04"))
	}
	d.Final = true
	d.Confirmed = &Confirmation{At: now.UTC(), By: by, Reason: reason}
	return nil
}

// Text says who confirmed and why, to follow "confirmed final".
func (c *Confirmation) Text() string {
	who := c.By
	if who == "" {
		who = "an unknown user"
	}
	return fmt.Sprintf("by %s on %s: %s", who, c.At.UTC().Format("2006-01-02 15:04"), c.Reason)
}
