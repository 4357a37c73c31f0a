package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// curDelivery writes a small legacy CUR of 2018-10 under payer
// 836060457634: rows are "account,product,cost"; the last row's usage
// hour is latest, so a later delivery replaces an earlier one.
func curDelivery(t *testing.T, name, latest string, rows ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("bill/PayerAccountId,bill/BillingPeriodStartDate,bill/InvoiceId,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/ProductCode,lineItem/CurrencyCode,lineItem/UnblendedCost\n")
	for i, r := range rows {
		f := strings.Split(r, ",")
		hour := "2018-10-01T00:00:00Z"
		if i == len(rows)-1 {
			hour = latest
		}
		b.WriteString("836060457634,2018-10-01T00:00:00Z,," + f[0] + ",Usage," + hour + "," + f[1] + ",USD," + f[2] + "\n")
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

type lateJSON struct {
	Provider  string `json:"provider"`
	Period    string `json:"period"`
	Delivery  uint64 `json:"delivery"`
	Previous  uint64 `json:"previous"`
	Was       string `json:"was"`
	Now       string `json:"now"`
	Customers []struct {
		Customer string `json:"customer"`
		By       string `json:"by"`
		Lines    []struct {
			Account string `json:"account"`
			Service string `json:"service"`
			Change  string `json:"change"`
			By      string `json:"by"`
		} `json:"lines"`
	} `json:"customers"`
}

type statusJSON struct {
	Period            string `json:"period"`
	Final             bool   `json:"final"`
	EarliestInvoicing string `json:"earliest_invoicing"`
	Country           string `json:"country"`
	Rows              []struct {
		Provider        string  `json:"provider"`
		Payer           string  `json:"payer"`
		Final           bool    `json:"final"`
		Status          string  `json:"status"`
		ClosedAt        *string `json:"closed_at"`
		Reason          string  `json:"reason"`
		LateAdjustments int     `json:"late_adjustments"`
	} `json:"rows"`
	Providers []struct {
		Status string `json:"status"`
		Events []struct {
			Action string `json:"action"`
			Reason string `json:"reason"`
			At     string `json:"at"`
		} `json:"events"`
		Late []lateJSON `json:"late_adjustments"`
	} `json:"providers"`
}

// TestLateAdjustmentAfterClose is the case: close 2018-10, then
// import another delivery of it; the import and period status both flag
// the late adjustment, with what changed per customer.
func TestLateAdjustmentAfterClose(t *testing.T) {
	db := tempDB(t)
	at(t, time.Date(2018, 11, 8, 9, 0, 0, 0, time.UTC))
	first := curDelivery(t, "first.csv", "2018-10-01T00:00:00Z",
		"011254002932,AmazonEC2,1.25", "011254002932,AmazonS3,0.5", "836060457634,AmazonRDS,10")
	if _, errs, code := cli(t, db, "import", first); code != 0 {
		t.Fatal(errs)
	}
	for _, args := range [][]string{
		{"customers", "add", "--id", "ACME", "--name", "Acme"},
		{"accounts", "map", "011254002932", "--customer", "ACME"},
	} {
		if _, errs, code := cli(t, db, args...); code != 0 {
			t.Fatal(errs)
		}
	}
	var st statusJSON
	ok(t, db, &st, "period", "status", "2018-10")
	// 2018-10-31 is a Wednesday: Thu 1, Fri 2, Mon 5, Tue 6, Wed 7 November.
	if len(st.Rows) != 1 || st.Rows[0].Status != "Open" || st.Rows[0].Final || st.EarliestInvoicing != "2018-11-07" || st.Rows[0].ClosedAt != nil {
		t.Fatalf("before the close: %+v", st)
	}

	out, errs, code := cli(t, db, "period", "close", "2018-10")
	if code != 0 || !strings.Contains(out, "aws 2018-10 closed") {
		t.Fatalf("close: exit %d %q %q", code, out, errs)
	}
	// The month is provisional (no invoice id) and no distributor invoice
	// is recorded: the close says both.
	for _, note := range []string{
		"Note: AWS 2018-10 is provisional: the provider may deliver it again, and a delivery after the close is a late adjustment.",
		"Note: no distributor invoice is recorded for AWS 2018-10: the month is not yet tied to what the distributor bills",
	} {
		if !strings.Contains(out, note) {
			t.Errorf("close output lacks %q:\n%s", note, out)
		}
	}
	fails(t, db, 1, "aws 2018-10 is already closed", "period", "close", "--period", "2018-10", "--provider", "aws") // --period as every other command names a month
	fails(t, db, 1, "give the month once: as the argument (2018-10) or with --period (2018-11)", "period", "status", "2018-10", "--period", "2018-11")
	fails(t, db, 1, "2018-10 has no azure data", "period", "close", "2018-10", "--provider", "azure")
	fails(t, db, 1, "nothing is imported for 2018-09", "period", "close", "2018-09")

	// The second delivery: EC2 up by 0.50, S3 gone, SNS new, RDS the same;
	// its latest usage hour is later, so it replaces the first.
	at(t, time.Date(2018, 11, 12, 10, 0, 0, 0, time.UTC))
	second := curDelivery(t, "second.csv", "2018-10-31T23:00:00Z",
		"011254002932,AmazonEC2,1.75", "836060457634,AmazonRDS,10", "011254002932,AmazonSNS,0.03")
	var files []struct {
		File           string `json:"file"`
		LateAdjustment bool   `json:"late_adjustment"`
		Deliveries     []struct {
			Status         string    `json:"status"`
			LateAdjustment *lateJSON `json:"late_adjustment"`
		} `json:"deliveries"`
	}
	ok(t, db, &files, "import", second)
	if len(files) != 1 || !files[0].LateAdjustment || len(files[0].Deliveries) != 1 || files[0].Deliveries[0].LateAdjustment == nil {
		t.Fatalf("the import does not flag the late adjustment: %+v", files)
	}
	late := *files[0].Deliveries[0].LateAdjustment
	// Was 1.25 + 0.5 + 10 = 11.75; now 1.75 + 10 + 0.03 = 11.78. ACME:
	// EC2 +0.50, S3 -0.5, SNS +0.03: +0.03 in all. The payer's own RDS is
	// the same, so the unassigned accounts are not listed.
	if late.Previous != 1 || late.Delivery != 2 || late.Was != "11.75" || late.Now != "11.78" || len(late.Customers) != 1 || late.Customers[0].Customer != "ACME" || late.Customers[0].By != "0.03" {
		t.Fatalf("late adjustment %+v", late)
	}
	lines := late.Customers[0].Lines
	if len(lines) != 3 || lines[0].Service != "AmazonEC2" || lines[0].Change != "changed" || lines[0].By != "0.5" ||
		lines[1].Service != "AmazonS3" || lines[1].Change != "removed" || lines[1].By != "-0.5" ||
		lines[2].Service != "AmazonSNS" || lines[2].Change != "added" || lines[2].By != "0.03" {
		t.Errorf("lines %+v", lines)
	}

	ok(t, db, &st, "period", "status", "2018-10")
	if len(st.Rows) != 1 || st.Rows[0].Status != "Closed" || st.Rows[0].LateAdjustments != 1 || len(st.Providers) != 1 || len(st.Providers[0].Late) != 1 || st.Providers[0].Late[0].Delivery != 2 {
		t.Fatalf("period status after the late import: %+v", st)
	}
	text, _, _ := cli(t, db, "period", "status", "2018-10")
	for _, want := range []string{"LATE ADJUSTMENT: aws 2018-10 payer 836060457634", "ACME: 1.75 -> 1.78 (+0.03)", "removed  account 011254002932  AmazonS3", "rebill invoices corrections --period 2018-10"} {
		if !strings.Contains(text, want) {
			t.Errorf("period status lacks %q:\n%s", want, text)
		}
	}

	// Reopening needs a reason; both are recorded, in the audit log too.
	fails(t, db, 1, "needs a reason", "period", "reopen", "2018-10")
	if _, errs, code := cli(t, db, "period", "reopen", "2018-10", "--reason", "AWS re-delivered the month"); code != 0 {
		t.Fatal(errs)
	}
	ok(t, db, &st, "period", "status", "2018-10")
	ev := st.Providers[0].Events
	if st.Rows[0].Status != "Open" || len(ev) != 2 || ev[0].Action != "period_close" || ev[0].At != "2018-11-08T09:00:00Z" ||
		ev[1].Action != "period_reopen" || ev[1].Reason != "AWS re-delivered the month" || st.Rows[0].Reason != "AWS re-delivered the month" {
		t.Errorf("history %+v", st)
	}
	var log []struct {
		Action  string          `json:"action"`
		Invoice string          `json:"invoice"`
		After   json.RawMessage `json:"after"`
	}
	ok(t, db, &log, "audit", "list")
	if len(log) != 2 || log[0].Action != "period_close" || log[0].Invoice != "period:aws:2018-10" || log[1].Action != "period_reopen" ||
		!strings.Contains(string(log[1].After), "AWS re-delivered the month") {
		t.Errorf("audit log %+v", log)
	}
	if _, errs, code := cli(t, db, "audit", "verify"); code != 0 {
		t.Errorf("audit verify: %s", errs)
	}

	// An import into an open month is no late adjustment.
	third := curDelivery(t, "third.csv", "2018-10-31T23:00:00Z", "011254002932,AmazonEC2,2")
	ok(t, db, &files, "import", "--replace", third)
	if files[0].LateAdjustment {
		t.Errorf("an import into an open month was flagged: %+v", files)
	}

	// Generating for the provisional month needs --allow-provisional.
	fails(t, db, 1, "2018-10 is provisional: AWS has not closed the month yet", "invoices", "generate", "--period", "2018-10", "--all")
	var gen struct {
		Final bool `json:"final"`
	}
	ok(t, db, &gen, "invoices", "generate", "--period", "2018-10", "--all", "--allow-provisional")
	if gen.Final {
		t.Error("generated as final")
	}
}

func TestHolidaysMoveTheEarliestInvoicingDay(t *testing.T) {
	db := tempDB(t)
	if _, errs, code := cli(t, db, "import", curFile(t, "2026-12")); code != 0 {
		t.Fatal(errs)
	}
	fails(t, db, 1, "which country?", "holidays", "add", "2027-01-01")
	fails(t, db, 1, `country "F" is not a two-letter`, "holidays", "add", "2027-01-01", "--country", "f")
	if _, errs, code := cli(t, db, "profile", "set", "country", "fr"); code != 0 {
		t.Fatal(errs)
	}
	var st statusJSON
	ok(t, db, &st, "period", "status", "2026-12")
	// 2026-12-31 is a Thursday: Fri 1, Mon 4, Tue 5, Wed 6, Thu 7 January.
	if st.EarliestInvoicing != "2027-01-07" || st.Country != "FR" {
		t.Fatalf("without holidays: %+v", st)
	}
	if _, errs, code := cli(t, db, "holidays", "add", "2027-01-01", "--name", "Jour de l'an"); code != 0 {
		t.Fatal(errs)
	}
	fails(t, db, 1, "2027-01-01 is a holiday of FR already", "holidays", "add", "2027-01-01")
	if _, errs, code := cli(t, db, "holidays", "add", "2027-01-01", "--country", "US"); code != 0 {
		t.Fatal(errs)
	}
	var hs []struct {
		Country, Date, Name string
	}
	ok(t, db, &hs, "holidays", "list", "--country", "FR")
	if len(hs) != 1 || hs[0].Date != "2027-01-01" || hs[0].Name != "Jour de l'an" {
		t.Errorf("holidays %+v", hs)
	}
	// With 1 January off: Mon 4, Tue 5, Wed 6, Thu 7, Fri 8.
	ok(t, db, &st, "period", "status", "2026-12")
	if st.EarliestInvoicing != "2027-01-08" {
		t.Errorf("with New Year's Day: %s", st.EarliestInvoicing)
	}
	if _, errs, code := cli(t, db, "holidays", "delete", "2027-01-01"); code != 0 {
		t.Fatal(errs)
	}
	fails(t, db, 1, "2027-01-01 is not a holiday of FR", "holidays", "delete", "2027-01-01")
	ok(t, db, &st, "period", "status", "2026-12")
	if st.EarliestInvoicing != "2027-01-07" {
		t.Errorf("after deleting it: %s", st.EarliestInvoicing)
	}
}

type distJSON struct {
	ID       uint64  `json:"id"`
	Provider string  `json:"provider"`
	Period   string  `json:"period"`
	Number   string  `json:"number"`
	Date     *string `json:"date"`
	Amount   string  `json:"amount"`
	Tax      string  `json:"tax"`
	Currency string  `json:"currency"`
	Rate     *string `json:"rate"`
	Source   string  `json:"source"`
	AddedBy  string  `json:"added_by"`
}

func TestDistributorInvoices(t *testing.T) {
	db := tempDB(t)
	if _, errs, code := cli(t, db, "import", curFile(t, "2018-10")); code != 0 {
		t.Fatal(errs)
	}
	var added []distJSON
	ok(t, db, &added, "distributor-invoice", "add", "--provider", "aws", "--period", "2018-10", "--number", "D-100",
		"--amount", "1,234.56", "--tax", "12.34", "--date", "2018-11-09")
	if len(added) != 1 || added[0].ID != 1 || added[0].Amount != "1234.56" || added[0].Tax != "12.34" || added[0].Currency != "USD" ||
		added[0].Date == nil || *added[0].Date != "2018-11-09" || added[0].Rate != nil || added[0].Source != "entered" {
		t.Fatalf("added %+v", added)
	}
	fails(t, db, 1, "distributor invoice D-100 is recorded already (id 1, aws 2018-10)", "distributor-invoice", "add",
		"--provider", "azure", "--period", "2018-10", "--number", "D-100", "--amount", "1")
	fails(t, db, 1, "--provider, --period, --number and --amount are required", "distributor-invoice", "add", "--provider", "aws")
	fails(t, db, 1, `currency "EUX" is not an ISO 4217`, "distributor-invoice", "add", "--provider", "aws", "--period", "2018-10",
		"--number", "D-2", "--amount", "1", "--currency", "EUX")

	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("provider,period,number,amount,currency,rate\naws,2018-11,D-101,10,EUR,0.88\nazure,2018-11,D-100,5,EUR,\n"), 0o644)
	fails(t, db, 1, "bad.csv line 3, column 3 (number): distributor invoice D-100 is recorded already", "distributor-invoice", "import", bad)
	bad2 := filepath.Join(dir, "bad2.csv")
	os.WriteFile(bad2, []byte("provider,period,number,amount\naws,2018-11,D-101,ten\n"), 0o644)
	fails(t, db, 1, `bad2.csv line 2, column 4 (amount): "ten" is not a number`, "distributor-invoice", "import", bad2)
	var list []distJSON
	ok(t, db, &list, "distributor-invoice", "list")
	if len(list) != 1 {
		t.Fatalf("a refused file stored something: %+v", list)
	}
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("provider,period,number,amount,currency,rate\naws,2018-11,D-101,10,EUR,0.88\nazure,2018-11,D-102,5,,\n"), 0o644)
	ok(t, db, &added, "distributor-invoice", "import", good)
	if len(added) != 2 || added[0].Currency != "EUR" || added[0].Rate == nil || *added[0].Rate != "0.88" || added[1].Currency != "USD" {
		t.Errorf("imported %+v", added)
	}
	ok(t, db, &list, "distributor-invoice", "list", "--period", "2018-11")
	if len(list) != 2 || list[0].Number != "D-101" || list[1].Provider != "azure" {
		t.Errorf("list 2018-11 %+v", list)
	}
	// Entered as 10 and 5, they read as money, to the cent.
	out, errs, code := cli(t, db, "distributor-invoice", "list", "--period", "2018-11")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 3 || strings.Join(strings.Fields(lines[1])[5:9], " ") != "10.00 0.00 10.00 0.88" ||
		strings.Join(strings.Fields(lines[2])[5:8], " ") != "5.00 0.00 5.00" {
		t.Errorf("list as text (exit %d, %s):\n%s", code, errs, out)
	}

	// The distributor's detail file: a final CUR of 2018-09 whose invoice
	// id becomes the number; its cost is 1.25 + 10 = 11.25 before tax.
	detail := filepath.Join(dir, "detail.csv")
	os.WriteFile(detail, []byte("bill/PayerAccountId,bill/BillingPeriodStartDate,bill/InvoiceId,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/ProductCode,lineItem/CurrencyCode,lineItem/UnblendedCost\n"+
		"836060457634,2018-09-01T00:00:00Z,987654321,011254002932,Usage,2018-09-01T00:00:00Z,AmazonEC2,USD,1.25\n"+
		"836060457634,2018-09-01T00:00:00Z,987654321,836060457634,Usage,2018-09-01T00:00:00Z,AmazonEC2,USD,10\n"+
		"836060457634,2018-09-01T00:00:00Z,987654321,836060457634,Tax,2018-09-01T00:00:00Z,AmazonEC2,USD,2.25\n"), 0o644)
	ok(t, db, &added, "distributor-invoice", "import", detail)
	if len(added) != 1 || added[0].Number != "987654321" || added[0].Period != "2018-09" || added[0].Amount != "11.25" || added[0].Tax != "2.25" ||
		!strings.HasPrefix(added[0].Source, "detail file ") {
		t.Errorf("detail %+v", added)
	}
	fails(t, db, 1, "distributor invoice 987654321 is recorded already", "distributor-invoice", "import", detail)

	var del distJSON
	ok(t, db, &del, "distributor-invoice", "delete", "1")
	if del.Number != "D-100" {
		t.Errorf("deleted %+v", del)
	}
	fails(t, db, 1, "there is no distributor invoice 1", "distributor-invoice", "delete", "1")
	var log []struct {
		Action  string `json:"action"`
		Invoice string `json:"invoice"`
	}
	ok(t, db, &log, "audit", "list")
	var actions []string
	for _, l := range log {
		actions = append(actions, l.Action+" "+l.Invoice)
	}
	want := "distributor_invoice_add distributor-invoice:1,distributor_invoice_add distributor-invoice:2,distributor_invoice_add distributor-invoice:3," +
		"distributor_invoice_add distributor-invoice:4,distributor_invoice_delete distributor-invoice:1"
	if strings.Join(actions, ",") != want {
		t.Errorf("audit log %v", actions)
	}
}

// TestDistributorInvoiceReadsAsMoney: an entered amount is said back to
// the cent and with every digit given: 99.995 stays 99.995.
func TestDistributorInvoiceReadsAsMoney(t *testing.T) {
	db := tempDB(t)
	out, errs, _ := cli(t, db, "distributor-invoice", "add", "--provider", "aws", "--period", "2018-12", "--number", "D-103", "--amount", "99.995", "--tax", "19")
	if want := "Recorded distributor invoice D-103 (id 1): aws 2018-12, USD 99.995 + tax 19.00 = 118.995.\n"; out != want {
		t.Errorf("add says %q (%s), want %q", out, errs, want)
	}
}

// TestConfirmFinal: period confirm-final makes a month's provisional data
// final on the accountant's word, shown by period status, deliveries list
// and periods, so that invoices generate without --allow-provisional.
func TestConfirmFinal(t *testing.T) {
	db := tempDB(t)
	if _, errs, code := cli(t, db, "import", curFile(t, "2026-09")); code != 0 {
		t.Fatal(errs)
	}
	fails(t, db, 1, "rebill period confirm-final 2026-09 --reason TEXT records that it is final", "invoices", "generate", "--period", "2026-09", "--all")
	fails(t, db, 1, "say what shows that aws 2026-09 is final", "period", "confirm-final", "2026-09")
	fails(t, db, 1, "2026-09 has no data of payer 1: its payers are 836060457634", "period", "confirm-final", "2026-09", "--payer", "1", "--reason", "x")

	out, errs, code := cli(t, db, "period", "confirm-final", "2026-09", "--reason", "distributor invoice D-9")
	if code != 0 || !strings.Contains(out, "aws 2026-09 payer 836060457634: delivery 1 (USD 8.7500000001) is final, confirmed by ") ||
		!strings.Contains(out, ": distributor invoice D-9.") {
		t.Fatalf("confirm-final: exit %d, %q, %s", code, out, errs)
	}
	out, _, _ = cli(t, db, "period", "status", "2026-09")
	if !strings.Contains(out, "final (confirmed)") || !strings.Contains(out, "Final data of aws payer 836060457634 confirmed by ") {
		t.Errorf("status:\n%s", out)
	}
	var st statusJSON
	ok(t, db, &st, "period", "status", "2026-09")
	if !st.Final || len(st.Rows) != 1 || !st.Rows[0].Final {
		t.Errorf("status %+v", st)
	}
	var history []struct {
		ID        uint64 `json:"id"`
		Final     bool   `json:"final"`
		Confirmed *struct {
			At     string `json:"at"`
			Reason string `json:"reason"`
		} `json:"confirmed"`
	}
	ok(t, db, &history, "deliveries", "list")
	if len(history) != 1 || !history[0].Final || history[0].Confirmed == nil || history[0].Confirmed.At != "2026-10-05T09:30:00Z" ||
		history[0].Confirmed.Reason != "distributor invoice D-9" {
		t.Errorf("deliveries %+v", history)
	}
	fails(t, db, 1, "was confirmed final already", "period", "confirm-final", "2026-09", "--reason", "again")

	for _, args := range [][]string{{"customers", "add", "--id", "ACME", "--name", "Acme"}, {"accounts", "map", "011254002932", "--customer", "ACME"}} {
		if _, errs, code := cli(t, db, args...); code != 0 {
			t.Fatal(errs)
		}
	}
	var gen struct {
		Final bool `json:"final"`
	}
	ok(t, db, &gen, "invoices", "generate", "--period", "2026-09", "--all")
	if !gen.Final {
		t.Error("generated as provisional after the confirmation")
	}
}
