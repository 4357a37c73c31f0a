package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/customer"
)

// reportEDP is ACME's month with an Enterprise Discount Program: EC2
// 10500.004 less 1050.0004, S3 200.005 less 20.0005, and AWS's own
// Business support fee, which the customer's plan replaces.
const reportEDP = reportHeader +
	"e1,111122223333,2024-09-01T00:00:00Z,444455556666,Usage,AmazonEC2,10500.004,USD,EUINUS24-1\n" +
	"e2,111122223333,2024-09-01T00:00:00Z,444455556666,EdpDiscount,AmazonEC2,-1050.0004,USD,EUINUS24-1\n" +
	"e3,111122223333,2024-09-01T00:00:00Z,444455556666,Usage,AmazonS3,200.005,USD,EUINUS24-1\n" +
	"e4,111122223333,2024-09-01T00:00:00Z,444455556666,EdpDiscount,AmazonS3,-20.0005,USD,EUINUS24-1\n" +
	"e5,111122223333,2024-09-01T00:00:00Z,444455556666,Fee,AWSSupportBusiness,1234,USD,EUINUS24-1\n"

// TestReportsSupportTrace: the Reports screen's trace of the support line
// states the gross base, the service lines it adds up and the plan
// version with its bands.
func TestReportsSupportTrace(t *testing.T) {
	h := newHarness(t)
	h.imports().addPaths([]string{writeFile(t, t.TempDir(), "edp.csv", reportEDP)})
	test.Tap(h.imports().importBtn)
	c := customer.Defaults{Currency: "USD", TermsDays: 30}.New()
	c.ID, c.Name, c.Support = "ACME", "Acme Retail", customer.SupportBusiness
	if err := h.db.AddCustomer(c, testNow); err != nil {
		t.Fatal(err)
	}
	if err := h.db.Map(customer.Mapping{Account: "444455556666", Customer: "ACME", From: "2024-01"}, testNow); err != nil {
		t.Fatal(err)
	}
	h.state.dataChanged()
	h.state.show("Reports")
	s := h.reports()
	s.summary.table.Select(widget.TableCellID{Row: 0, Col: 0})
	// Gross base 10500.00 + 200.01 = 10700.01: 1000 + 7% x 700.01 = 1049.0007
	if got := s.stmtAmount("AWS Support (Business)"); got != "1,049.00" {
		t.Fatalf("support line %q, want 1,049.00", got)
	}
	s.statement.table.Select(widget.TableCellID{Row: s.stmtRow("AWS Support (Business)"), Col: 0})
	if s.dialog == nil {
		t.Fatal("selecting the support line opened no trace")
	}
	for _, want := range []string{"Support base", "before provider discounts", "10,500.00", "200.01",
		"priced by plan version aws-business (until 2026-12)", "49.0007"} {
		if !h.shows(want) {
			t.Errorf("the support trace does not show %q", want)
		}
	}
}
