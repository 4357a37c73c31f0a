package store

import (
	"strings"
	"testing"
	"time"

	"rebill/engine/distributor"
	"rebill/engine/period"

	"github.com/shopspring/decimal"
)

// TestCloseAndLateAdjustment: a close covers every payer of the
// provider; a delivery imported afterwards records a late adjustment on
// its month, in the import's history too; refusals write nothing.
func TestCloseAndLateAdjustment(t *testing.T) {
	db := openTest(t)
	early, _ := csvFile(t, "222222222222", "2024-03", 50, false)
	late, _ := csvFile(t, "222222222222", "2024-03", 80, false)
	other, _ := csvFile(t, "333333333333", "2024-03", 5, false)
	for _, p := range []string{early, other} {
		if _, err := importPath(t, db, p); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2024, 4, 9, 10, 0, 0, 0, time.UTC)
	before := dump(t, db)
	if _, err := db.ClosePeriod(PeriodChange{Period: "2024-03", Provider: "azure", By: "ann", Now: at}); err == nil {
		t.Fatal("closed a provider without data")
	}
	if _, err := db.ReopenPeriod(PeriodChange{Period: "2024-03", Reason: "x", By: "ann", Now: at}); err == nil {
		t.Fatal("reopened an open month")
	}
	if dump(t, db) != before {
		t.Fatal("a refused close or reopen changed the database")
	}
	recs, err := db.ClosePeriod(PeriodChange{Period: "2024-03", By: "ann", Now: at})
	if err != nil || len(recs) != 1 || recs[0].Provider != "aws" || !recs[0].IsClosed() {
		t.Fatalf("close: %+v %v", recs, err)
	}

	res, err := importPath(t, db, late)
	if err != nil {
		t.Fatal(err)
	}
	adj := res.Deliveries[0].LateAdjustment
	if adj == nil || adj.Payer != "222222222222" || adj.Previous != res.Deliveries[0].Previous || !adj.ClosedAt.Equal(at) {
		t.Fatalf("late adjustment %+v", adj)
	}
	// Rows 51..80 are new: csvFile spreads them over accounts i%7, all
	// unassigned, so one customer change ("") with the new accounts' EC2.
	if len(adj.Customers) != 1 || adj.Customers[0].Customer != "" || !adj.Customers[0].By.Equal(adj.Now.Sub(adj.Was)) {
		t.Errorf("customers %+v", adj.Customers)
	}
	history, _ := db.Imports()
	if last := history[len(history)-1]; last.Deliveries[0].LateAdjustment == nil {
		t.Error("the import's history does not keep the late adjustment")
	}
	st, err := db.PeriodStatus("2024-03")
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Rows) != 2 || st.Rows[0].LateAdjustments != 1 || st.Rows[1].LateAdjustments != 0 || st.Rows[1].Status != period.Closed || len(st.Providers[0].Late) != 1 {
		t.Errorf("status %+v", st)
	}
	// An older delivery is refused: no late adjustment is recorded.
	if _, err := importPath(t, db, early); err != nil {
		t.Fatal(err) // an earlier delivery's bytes: reported, nothing changes
	}
	if st, _ := db.PeriodStatus("2024-03"); len(st.Providers[0].Late) != 1 {
		t.Errorf("an import that changed nothing recorded a late adjustment: %d", len(st.Providers[0].Late))
	}
	if _, err := db.ReopenPeriod(PeriodChange{Period: "2024-03", By: "bob", Now: at.Add(time.Hour)}); err == nil || !strings.Contains(err.Error(), "needs a reason") {
		t.Errorf("reopen without a reason: %v", err)
	}
}

// TestCloseWarnings: two payers' provisional deliveries of March make
// the provider's month provisional, and no distributor invoice is
// recorded: both are said. A distributor invoice of another provider
// does not count; AWS's own takes its warning away.
func TestCloseWarnings(t *testing.T) {
	db := openTest(t)
	for _, payer := range []string{"222222222222", "333333333333"} {
		p, _ := csvFile(t, payer, "2024-03", 50, false)
		if _, err := importPath(t, db, p); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.CloseWarnings("2024-03", "")
	if err != nil || len(got) != 2 || !strings.HasPrefix(got[0], "AWS 2024-03 is provisional") || !strings.HasPrefix(got[1], "no distributor invoice is recorded for AWS 2024-03") {
		t.Fatalf("warnings %q, %v", got, err)
	}
	add := func(provider string) {
		if _, err := db.AddDistributorInvoices([]distributor.Invoice{{Provider: provider, Period: "2024-03", Number: "D-" + provider,
			Amount: decimal.RequireFromString("100"), Currency: "USD"}}, t0, "ann"); err != nil {
			t.Fatal(err)
		}
	}
	add("azure")
	if got, _ := db.CloseWarnings("2024-03", "aws"); len(got) != 2 {
		t.Errorf("another provider's distributor invoice counted: %q", got)
	}
	add("aws")
	if got, _ := db.CloseWarnings("2024-03", "aws"); len(got) != 1 || !strings.Contains(got[0], "provisional") {
		t.Errorf("with AWS's distributor invoice: %q", got)
	}
	if _, err := db.CloseWarnings("2024-3", ""); err == nil {
		t.Error("a month that is not YYYY-MM was read")
	}
}
