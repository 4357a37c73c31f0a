package period

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/invoice"
)

func day(s string) invoice.Date {
	d, err := invoice.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// TestEarliestInvoicing counts five business days after month end by
// hand, with a calendar beside each case.
func TestEarliestInvoicing(t *testing.T) {
	for _, tc := range []struct {
		name     string
		period   string
		holidays []string
		want     string
	}{
		// 2018-10-31 is a Wednesday: Thu 1, Fri 2, Mon 5, Tue 6, Wed 7 November.
		{"month ends mid-week", "2018-10", nil, "2018-11-07"},
		// 2026-01-31 is a Saturday: Mon 2, Tue 3, Wed 4, Thu 5, Fri 6 February.
		{"month ends on a Saturday", "2026-01", nil, "2026-02-06"},
		// 2026-05-31 is a Sunday: Mon 1 to Fri 5 June.
		{"month ends on a Sunday", "2026-05", nil, "2026-06-05"},
		// 2026-02-28 is a Saturday (no leap day): Mon 2 to Fri 6 March.
		{"February of a common year", "2026-02", nil, "2026-03-06"},
		// 2028-02-29 is a Tuesday: Wed 1, Thu 2, Fri 3, Mon 6, Tue 7 March.
		{"February of a leap year", "2028-02", nil, "2028-03-07"},
		// 2026-12-31 is a Thursday: Fri 1, Mon 4, Tue 5, Wed 6, Thu 7 January 2027.
		{"year end without holidays", "2026-12", nil, "2027-01-07"},
		// With 1 January a holiday: Mon 4, Tue 5, Wed 6, Thu 7, Fri 8.
		{"year end with New Year's Day", "2026-12", []string{"2027-01-01"}, "2027-01-08"},
		// A holiday on a Saturday changes nothing: 2 January 2027 is one.
		{"holiday on a weekend", "2026-12", []string{"2027-01-02"}, "2027-01-07"},
		// 2026-10-31 is a Saturday: Mon 2 to Fri 6 November; a holiday
		// on Wed 11 November falls after the wait and changes nothing.
		{"holiday after the wait", "2026-10", []string{"2026-11-11"}, "2026-11-06"},
		// Two holidays inside the wait: 1 and 2 November 2026 are Sunday
		// and Monday; Mon 2 skipped: Tue 3, Wed 4, Thu 5, Fri 6, Mon 9.
		{"holiday inside the wait", "2026-10", []string{"2026-11-01", "2026-11-02"}, "2026-11-09"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hs []invoice.Date
			for _, h := range tc.holidays {
				hs = append(hs, day(h))
			}
			got, err := EarliestInvoicing(tc.period, hs)
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tc.want {
				t.Errorf("EarliestInvoicing(%s, %v) = %s (%s), want %s", tc.period, tc.holidays, got, got.Time().Weekday(), tc.want)
			}
		})
	}
	if _, err := EarliestInvoicing("2026-13", nil); err == nil {
		t.Error("month 13 was accepted")
	}
}

func TestBusinessDay(t *testing.T) {
	hol := []invoice.Date{day("2026-12-25")}
	for _, tc := range []struct {
		day  string
		want bool
	}{
		{"2026-12-24", true},  // Thursday
		{"2026-12-25", false}, // Friday, a holiday
		{"2026-12-26", false}, // Saturday
		{"2026-12-27", false}, // Sunday
		{"2026-12-28", true},  // Monday
	} {
		if got := BusinessDay(day(tc.day), hol); got != tc.want {
			t.Errorf("BusinessDay(%s) = %v, want %v", tc.day, got, tc.want)
		}
	}
}

func TestCloseAndReopen(t *testing.T) {
	t1 := time.Date(2018, 11, 8, 9, 0, 0, 0, time.UTC)
	t2 := t1.Add(48 * time.Hour)
	r := New("aws", "2018-10")
	if r.IsClosed() || r.Status != Open {
		t.Fatalf("a new month is %s", r.Status)
	}
	if _, err := r.Reopen(t1, "ann", "why not"); err == nil || !strings.Contains(err.Error(), "only a closed month") {
		t.Errorf("reopening an open month: %v", err)
	}
	closed, err := r.Close(t1, "ann", "")
	if err != nil {
		t.Fatal(err)
	}
	if !closed.IsClosed() || len(closed.Events) != 1 || closed.Events[0].Action != ActionClose || closed.Events[0].By != "ann" {
		t.Fatalf("closed: %+v", closed)
	}
	if len(r.Events) != 0 {
		t.Error("closing changed the record it was called on")
	}
	if _, err := closed.Close(t2, "bob", ""); err == nil || !strings.Contains(err.Error(), "already closed (since 2018-11-08 by ann)") {
		t.Errorf("closing twice: %v", err)
	}
	if _, err := closed.Reopen(t2, "bob", "  "); err == nil || !strings.Contains(err.Error(), "needs a reason") {
		t.Errorf("reopening without a reason: %v", err)
	}
	open, err := closed.Reopen(t2, "bob", "AWS re-issued the invoice")
	if err != nil {
		t.Fatal(err)
	}
	last, _ := open.Last()
	if open.Status != Open || len(open.Events) != 2 || last.Action != ActionReopen || last.Reason != "AWS re-issued the invoice" || !last.At.Equal(t2) {
		t.Errorf("reopened: %+v", open)
	}
	if open.AuditID() != "period:aws:2018-10" {
		t.Errorf("audit id %s", open.AuditID())
	}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestCompare(t *testing.T) {
	before := Totals{}
	before.Add("111111111111", "AmazonEC2", dec("10.00"))
	before.Add("111111111111", "AmazonEC2", dec("0.5")) // two rows of one line: 10.50
	before.Add("111111111111", "AmazonS3", dec("1.25"))
	before.Add("222222222222", "AmazonRDS", dec("7"))
	before.Add("333333333333", "AWSLambda", dec("0.0000000001"))
	after := Totals{}
	after.Add("111111111111", "AmazonEC2", dec("10.50"))       // same amount: not listed
	after.Add("111111111111", "AmazonS3", dec("1.2500000001")) // changed by 1e-10
	after.Add("111111111111", "AmazonSNS", dec("0.03"))        // added
	// 222222222222 AmazonRDS removed
	after.Add("333333333333", "AWSLambda", dec("0.0000000003")) // unassigned, changed
	owners := map[string]string{"111111111111": "ACME", "222222222222": "GLOBEX"}

	got := Compare(before, after, owners)
	if len(got) != 3 || got[0].Customer != "ACME" || got[1].Customer != "GLOBEX" || got[2].Customer != "" {
		t.Fatalf("customers %+v", got)
	}
	acme := got[0]
	// Was 1.25 (S3 only: EC2 did not change); now 1.2500000001 + 0.03.
	if !acme.Was.Equal(dec("1.25")) || !acme.Now.Equal(dec("1.2800000001")) || !acme.By.Equal(dec("0.0300000001")) || len(acme.Lines) != 2 {
		t.Errorf("ACME %+v", acme)
	}
	if l := acme.Lines[0]; l.Service != "AmazonS3" || l.Change != Changed || !l.By.Equal(dec("0.0000000001")) {
		t.Errorf("ACME S3 %+v", l)
	}
	if l := acme.Lines[1]; l.Service != "AmazonSNS" || l.Change != Added || !l.Was.IsZero() || !l.Now.Equal(dec("0.03")) {
		t.Errorf("ACME SNS %+v", l)
	}
	if l := got[1].Lines[0]; len(got[1].Lines) != 1 || l.Change != Removed || !l.By.Equal(dec("-7")) || !got[1].By.Equal(dec("-7")) {
		t.Errorf("GLOBEX %+v", got[1])
	}
	if !got[2].By.Equal(dec("0.0000000002")) {
		t.Errorf("unassigned %+v", got[2])
	}
	if same := Compare(before, before, owners); len(same) != 0 {
		t.Errorf("the same delivery changed %+v", same)
	}
}

// TestCloseWarnings: a provisional month and a month without a
// distributor invoice are each said before closing; a final, reconciled
// month says nothing.
func TestCloseWarnings(t *testing.T) {
	for _, c := range []struct {
		final bool
		invs  int
		want  []string
	}{
		{true, 1, nil},
		{false, 1, []string{"AWS 2026-09 is provisional: the provider may deliver it again, and a delivery after the close is a late adjustment"}},
		{true, 0, []string{"no distributor invoice is recorded for AWS 2026-09: the month is not yet tied to what the distributor bills (rebill reconcile; Reconciliation in the window)"}},
		{false, 0, []string{"AWS 2026-09 is provisional", "no distributor invoice is recorded"}},
	} {
		got := CloseWarnings("aws", "2026-09", c.final, c.invs)
		if len(got) != len(c.want) {
			t.Errorf("final %v, %d invoices: %q, want %q", c.final, c.invs, got, c.want)
			continue
		}
		for i := range got {
			if !strings.HasPrefix(got[i], c.want[i]) {
				t.Errorf("final %v, %d invoices: %q, want %q", c.final, c.invs, got[i], c.want[i])
			}
		}
	}
}
