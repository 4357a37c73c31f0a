package view

import (
	"fmt"
	"path/filepath"
	"strings"

	"rebill/engine/distributor"
	"rebill/engine/ingest"
	"rebill/engine/lineitem"
	"rebill/engine/period"
	"rebill/store"
)

// CloseCell is a provider month's close as the Periods screen's Status
// column shows it: Open, Closed, and the late adjustments of the payer
// (deliveries imported while the month was closed), which need a look.
func CloseCell(rec period.Record, payer string) Cell {
	late := 0
	for _, a := range rec.Late {
		if a.Payer == payer {
			late++
		}
	}
	c := Cell{Text: string(rec.Status), Tone: Low}
	if rec.IsClosed() {
		c.Tone = Success
	}
	if late > 0 {
		c.Text += fmt.Sprintf(" · %d late adjustment", late)
		if late > 1 {
			c.Text += "s"
		}
		c.Tone, c.Bold = Warning, true
	}
	return c
}

// MonthCloseText says, for one provider and payer of a month, when it may
// be invoiced, whether it is closed (when, by whom, why) and what each
// late adjustment changed per customer.
func MonthCloseText(st store.MonthStatus, provider lineitem.Provider, payer string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Earliest invoicing %s (%d business days after month end", st.EarliestInvoicing.Time().Format("2 Jan 2006"), period.WaitBusinessDays)
	if st.Country != "" {
		fmt.Fprintf(&b, ", %s holidays counted", st.Country)
	}
	b.WriteString(").")
	for _, r := range st.Rows {
		if r.Provider != string(provider) || r.Payer != payer {
			continue
		}
		if r.Status == period.Closed && r.ClosedAt != nil {
			fmt.Fprintf(&b, " Closed %s by %s", r.ClosedAt.Local().Format("2 Jan 2006 15:04"), nonEmpty(r.ClosedBy, "an unknown user"))
		} else {
			b.WriteString(" Open")
			if r.ClosedAt != nil {
				fmt.Fprintf(&b, " (reopened %s by %s)", r.ClosedAt.Local().Format("2 Jan 2006 15:04"), nonEmpty(r.ClosedBy, "an unknown user"))
			}
		}
		if r.Reason != "" {
			b.WriteString(": " + r.Reason)
		}
		b.WriteString(".")
	}
	for _, rec := range st.Providers {
		if rec.Provider != string(provider) {
			continue
		}
		for _, a := range rec.Late {
			if a.Payer != payer {
				continue
			}
			fmt.Fprintf(&b, " Late adjustment on %s: delivery %d imported after the close, %s %s → %s.", a.At.Local().Format("2 Jan 2006"), a.Delivery, a.Currency, a.Was, a.Now)
			var who []string
			for _, c := range a.Customers {
				name := nonEmpty(c.Customer, "unassigned accounts")
				who = append(who, fmt.Sprintf("%s %s (%s added, removed or changed)", name, signedText(c.By.String()), Plural(len(c.Lines), "line", "lines")))
			}
			if len(who) > 0 {
				b.WriteString(" Changed: " + strings.Join(who, "; ") + ". Issued invoices do not change: Invoices > Corrections shows them.")
			}
		}
	}
	return b.String()
}

func nonEmpty(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

func signedText(s string) string {
	if strings.HasPrefix(s, "-") {
		return s
	}
	return "+" + s
}

// DistributorLine is one distributor invoice as the list shows it.
func DistributorLine(d distributor.Invoice) string {
	s := fmt.Sprintf("%s  %s  %s  %s + tax %s", d.Period, d.Provider, d.Number, Cash(d.Currency, d.Amount), CashFigure(d.Currency, d.Tax))
	if !d.Date.IsZero() {
		s += "  dated " + d.Date.String()
	}
	if d.Rate != nil {
		s += "  rate " + d.Rate.String()
	}
	return s
}

// MonthBadge is a month's finality and close as every screen that chooses
// a month shows it beside the choice (Reconciliation, Reports, Invoices,
// Generate), so the accountant sees whether the month may be invoiced
// without opening Periods: "Final · Closed" in green once the provider
// billed it and the accountant closed it, "Provisional" in orange while
// the provider's data is an estimate (figures may still move), "Final ·
// Open" plain. provider "" is the month as a whole: Final only when every
// provider and payer is, Closed only when every provider is, "Partly
// closed" when some are. A month with nothing imported (for the provider)
// has no badge.
func MonthBadge(st store.MonthStatus, provider string) Cell {
	final, seen := true, false
	for _, r := range st.Rows {
		if provider == "" || r.Provider == provider {
			seen = true
			final = final && r.Final
		}
	}
	if !seen {
		return Cell{}
	}
	closed, open := 0, 0
	for _, r := range st.Providers {
		if provider != "" && r.Provider != provider {
			continue
		}
		if r.IsClosed() {
			closed++
		} else {
			open++
		}
	}
	c := Cell{Text: "Final", Tone: Normal}
	if !final {
		c = Cell{Text: "Provisional", Tone: Warning}
	}
	switch {
	case closed > 0 && open == 0:
		c.Text += " · Closed"
		if final {
			c.Tone = Success
		}
	case closed > 0:
		c.Text += " · Partly closed"
	default:
		c.Text += " · Open"
	}
	return c
}

// ConfirmFinalText says, before the accountant confirms a provisional
// delivery final (ingest.Delivery.ConfirmFinal), why the files cannot say
// it and what the confirmation changes.
func ConfirmFinalText(d ingest.Delivery) string {
	cloud := ProviderName(d.Provider)
	files := Plural(len(d.Parts), "file", "files")
	if len(d.Parts) == 1 {
		files = filepath.Base(d.Parts[0].File)
	}
	when := "Confirm it once the distributor has billed the month or announced its billing close. "
	if ingest.ClosesItself(d.Provider) {
		when = cloud + " writes its invoice number once the bill is final and delivers the month again: importing that delivery is better. " +
			"Confirm only if the distributor has billed the month and no final delivery will come. "
	}
	return fmt.Sprintf("Delivery %d (%s, %s) carries no %s invoice number, so its files do not say that %s is final. "+
		when+
		"From then on the month reads final: its invoices are generated and approved without the provisional warning, "+
		"and a provisional re-delivery no longer replaces this one unless you choose it (%s's own final data still does). "+
		"Your reason is kept with the delivery and in the audit log.",
		d.ID, files, Plural(int(d.Rows), "row", "rows"), cloud, d.Period, cloud)
}
