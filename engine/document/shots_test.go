package document_test

import (
	"os"
	"testing"
	"time"

	"rebill/engine/invoice"
)

// TestShots writes the fixtures' PDFs to a directory for looking at them:
// REBILL_SHOTS=/tmp go test ./engine/document/ -run Shots
func TestShots(t *testing.T) {
	dir := os.Getenv("REBILL_SHOTS")
	if dir == "" {
		t.Skip("set REBILL_SHOTS to a directory to write the sample PDFs")
	}
	open := bigCorpOpen(t)
	void, _ := open.Void("issued to the wrong legal entity", time.Date(2026, 10, 7, 10, 0, 0, 0, time.UTC))
	note, _ := open.CreditNote(invoice.CreditRequest{ID: "60", Amount: dec("1200"), Reason: "SLA credit for the 14 Sep outage", Now: now})
	note, _, _ = note.Approve(invoice.CreditNoteNumbering("", 5), invoice.NewDate(2026, 10, 9), now)
	jpy, _ := muellerDraft(t).Convert("JPY", dec("163.4567"), "ECB reference rate", invoice.NewDate(2026, 10, 5))
	closed, _ := tanakaOpen(t).Close(invoice.NewDate(2026, 10, 20), "SWIFT 4471")
	for name, v := range map[string]invoice.View{
		"eur-draft": muellerDraft(t).View(), "jpy": tanakaOpen(t).View(), "usd-long": open.View(),
		"void": void.View(), "credit-note": note.View(), "display-jpy": jpy, "closed": closed.View(),
	} {
		if err := os.WriteFile(dir+"/invoice-"+name+".pdf", render(t, v), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
