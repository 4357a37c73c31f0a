package view

import (
	"testing"
	"time"

	"rebill/engine/invoice"
	"rebill/engine/lineitem"
	"rebill/store"
)

func TestGenerateOutcomes(t *testing.T) {
	draft := doc("d1", "ACME", "2024-10", invoice.KindInvoice, invoice.Draft, "4.36")
	open := issued(doc("o1", "GLOBEX", "2024-10", invoice.KindInvoice, invoice.Open, "10.00"), "INV-2024-0001")
	results := []store.Generated{
		{CustomerID: "ACME", Customer: "Acme Retail", Outcome: store.Created, Invoice: &draft},
		{CustomerID: "ACME", Customer: "Acme Retail", Outcome: store.Replaced, Invoice: &draft},
		{CustomerID: "GLOBEX", Customer: "Globex", Outcome: store.Issued, Invoice: &open},
		{CustomerID: "INITECH", Customer: "Initech", Outcome: store.NothingToBill, Reason: "no account of Initech has charges in 2024-10"},
		{CustomerID: "HOOLI", Customer: "Hooli", Outcome: store.Failed, Reason: "no USD to EUR exchange rate for 2024-10"},
	}
	want := []struct {
		texts string
		tone  Tone
	}{
		{"Acme Retail|Draft created|USD 4.36|", Success},
		{"Acme Retail|Draft replaced|USD 4.36|The earlier draft of this month was regenerated with these options.", Success},
		// Issued 2024-10-05, due 2024-11-04: Past Due as of testNow.
		{"Globex|Left alone: Past Due|USD 10.00|Already approved as INV-2024-0001; it never changes", Danger},
		{"Initech|Nothing to bill||No account of Initech has charges in 2024-10", Low},
		{"Hooli|Not generated||No USD to EUR exchange rate for 2024-10", Danger},
	}
	for i, r := range results {
		got := Outcome(r, testNow)
		if rowTexts(got) != want[i].texts || got.Cells[GenOutcome].Tone != want[i].tone {
			t.Errorf("outcome %d = %q (%v), want %q (%v)", i, rowTexts(got), got.Cells[GenOutcome].Tone, want[i].texts, want[i].tone)
		}
	}
	// Before its due date the invoice left alone is Open, in the text colour.
	if got := Outcome(results[2], time.Date(2024, time.October, 6, 0, 0, 0, 0, time.UTC)); got.Cells[GenOutcome].Text != "Left alone: Open" || got.Cells[GenOutcome].Tone != Normal {
		t.Errorf("open outcome %+v", got.Cells[GenOutcome])
	}
	rep := store.GenerateReport{Period: "2024-10", Results: results}
	if got, want := Outcomes(rep), "2024-10: 1 draft created, 1 draft replaced, 1 customer with nothing to bill, "+
		"1 customer left alone (already approved), 1 customer not generated (see why below)."; got != want {
		t.Errorf("outcomes\n got %q\nwant %q", got, want)
	}
	if got := Outcomes(store.GenerateReport{Period: "2024-10"}); got != "2024-10: nothing generated." {
		t.Errorf("nothing %q", got)
	}
	// A draft the engine noted something on says it, after what happened.
	noted := draft
	noted.Warnings = []string{"tax was asked for, but the customer has no tax rates", "Credit grant #3 is in EUR."}
	for o, want := range map[store.Outcome]string{
		store.Created:  "Tax was asked for, but the customer has no tax rates. Credit grant #3 is in EUR.",
		store.Replaced: "The earlier draft of this month was regenerated with these options. Tax was asked for, but the customer has no tax rates. Credit grant #3 is in EUR.",
	} {
		if got := Outcome(store.Generated{CustomerID: "ACME", Customer: "Acme Retail", Outcome: o, Invoice: &noted}, testNow).Cells[GenDetails].Text; got != want {
			t.Errorf("%s with notes: details\n got %q\nwant %q", o, got, want)
		}
	}
	for _, tc := range []struct {
		names []string
		want  string
	}{
		{[]string{"Globex"}, "1 customer: Globex"},
		{[]string{"A", "B", "C", "D"}, "4 customers: A, B, C, D"},
		{[]string{"A", "B", "C", "D", "E", "F"}, "6 customers: A, B, C, D and 2 more"},
	} {
		if got := Checked(tc.names); got != tc.want {
			t.Errorf("Checked(%v) = %q, want %q", tc.names, got, tc.want)
		}
	}
}

// TestGenerateOutcomePerProvider: a customer's second invoice of the
// month, for another provider, is named by its cloud and has a row of its
// own.
func TestGenerateOutcomePerProvider(t *testing.T) {
	draft := doc("d2", "ACME", "2024-10", invoice.KindInvoice, invoice.Draft, "10.38")
	aws := Outcome(store.Generated{CustomerID: "ACME", Customer: "Acme Retail", Provider: lineitem.AWS, Outcome: store.Created, Invoice: &draft}, testNow)
	azure := Outcome(store.Generated{CustomerID: "ACME", Customer: "Acme Retail", Provider: lineitem.Azure, Outcome: store.Created, Invoice: &draft}, testNow)
	if aws.Cells[GenCustomer].Text != "Acme Retail" || azure.Cells[GenCustomer].Text != "Acme Retail (Microsoft Azure)" || aws.ID == azure.ID {
		t.Errorf("rows %q %q, ids %q %q", aws.Cells[GenCustomer].Text, azure.Cells[GenCustomer].Text, aws.ID, azure.ID)
	}
}
