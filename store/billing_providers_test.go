package store

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/document"
	"rebill/engine/ingest"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
	"rebill/engine/money"
)

// Accounts of the provider tests: ACME owns the AWS account awsACME and
// the Azure subscription subACME; BETA the subscription subBETA.
const (
	awsACME = "011254002932"
	subACME = "64e355d7-997c-491d-b0c1-8414dccfcf42"
	subBETA = "ed570627-0265-4620-bb42-bae06bcfa914"
)

var provNow = time.Date(2024, 10, 8, 9, 0, 0, 0, time.UTC)

// twoClouds is one FOCUS file of AWS and Azure rows for September 2024,
// read by the real FOCUS reader.
const twoClouds = "BilledCost,BillingAccountId,BillingCurrency,BillingPeriodStart,ChargeCategory,ProviderName,PublisherName,ServiceName,SubAccountId,ListCost\n" +
	"1.5,836060457634,USD,2024-09-01 00:00:00,Usage,AWS,AWS,AmazonEC2,011254002932,1.5\n" +
	"2.5,836060457634,USD,2024-09-01 00:00:00,Usage,AWS,AWS,AmazonS3,011254002932,2.5\n" +
	"10.004,/providers/Microsoft.Billing/billingAccounts/8611537,USD,2024-09-01 00:00:00,Usage,Microsoft,Microsoft,Virtual Machines,/subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42,12\n" +
	"0.25,/providers/Microsoft.Billing/billingAccounts/8611537,USD,2024-09-01 00:00:00,Usage,Microsoft,Microsoft,Storage Accounts,/subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42,0.25\n" +
	"0.126,/providers/Microsoft.Billing/billingAccounts/8611537,USD,2024-09-01 00:00:00,Usage,Microsoft,Microsoft,Storage Accounts,/subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42,0.126\n" +
	"3,/providers/Microsoft.Billing/billingAccounts/8611537,USD,2024-09-01 00:00:00,Usage,Microsoft,Microsoft,Virtual Machines,/subscriptions/ed570627-0265-4620-bb42-bae06bcfa914,3\n"

// providerDB is a database with twoClouds imported and ACME and BETA
// owning its accounts from September 2024.
func providerDB(t *testing.T) *DB {
	t.Helper()
	db := openTest(t)
	path := filepath.Join(t.TempDir(), "focus.csv")
	if err := os.WriteFile(path, []byte(twoClouds), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := importPath(t, db, path); err != nil {
		t.Fatal(err)
	}
	addOwners(t, db, map[string]string{awsACME: "ACME", subACME: "ACME", subBETA: "BETA"})
	return db
}

// addOwners adds ACME and BETA and maps the accounts to them from
// September 2024.
func addOwners(t *testing.T, db *DB, owners map[string]string) {
	t.Helper()
	for _, c := range []customer.Customer{
		{ID: "ACME", Name: "Acme Corp", Currency: "USD", TermsDays: 30},
		{ID: "BETA", Name: "Beta Ltd", Currency: "USD", TermsDays: 30},
	} {
		if err := db.AddCustomer(c, provNow); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.UpdateProfile(func(p *customer.Profile) error {
		p.CompanyName, p.Address = "Northwind Cloud Partners", []string{"1 Main St"}
		return nil
	}, provNow); err != nil {
		t.Fatal(err)
	}
	for acct, cust := range owners {
		if err := db.Map(customer.Mapping{Account: acct, Customer: cust, From: "2024-09"}, provNow); err != nil {
			t.Fatal(err)
		}
	}
}

// results is what generating did, as "CUSTOMER provider outcome total".
func results(rep GenerateReport) []string {
	var out []string
	for _, g := range rep.Results {
		s := g.CustomerID + " " + string(g.Provider) + " " + string(g.Outcome)
		if g.Invoice != nil {
			s += " " + g.Invoice.Total.String()
		}
		out = append(out, s)
	}
	return out
}

// TestInvoicesPerProvider: a customer with AWS and Azure in the same month
// gets one invoice per provider, each from its own line items; a customer
// with Azure only gets its Azure invoice. Expectations by hand from
// twoClouds: ACME AWS 1.50 (AmazonEC2, Compute) + 2.50 (AmazonS3,
// Storage) = 4.00; ACME Azure 10.004 -> 10.00 (Virtual Machines, Compute)
// and 0.25 + 0.126 = 0.376 -> 0.38 (Storage Accounts, Storage) = 10.38;
// BETA Azure 3.00.
func TestInvoicesPerProvider(t *testing.T) {
	db := providerDB(t)
	rep, err := db.GenerateInvoices(GenerateRequest{Period: "2024-09", Selection: customer.Selection{All: true}, Now: provNow})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ACME aws created 4.00", "ACME azure created 10.38", "BETA azure created 3.00"}
	if got := results(rep); !slices.Equal(got, want) {
		t.Fatalf("generated %q, want %q", got, want)
	}
	sections := func(inv *invoice.Invoice) map[string]string {
		out := map[string]string{}
		for _, s := range inv.Sections {
			for _, l := range s.Lines {
				out[string(s.ProductType)+"/"+l.Service] = l.Amount.String()
			}
		}
		return out
	}
	for i, lines := range []map[string]string{
		{"Compute/AmazonEC2": "1.50", "Storage/AmazonS3": "2.50"},
		{"Compute/Virtual Machines": "10.00", "Storage/Storage Accounts": "0.38"},
		{"Compute/Virtual Machines": "3.00"},
	} {
		inv := rep.Results[i].Invoice
		if got := sections(inv); !mapsEqual(got, lines) {
			t.Errorf("%s: lines %v, want %v", inv.Label(), got, lines)
		}
	}
	acmeAzure := rep.Results[1].Invoice
	if acmeAzure.Provider() != lineitem.Azure || !slices.Equal(acmeAzure.Accounts, []string{subACME}) {
		t.Errorf("ACME's Azure draft: provider %s, accounts %v", acmeAzure.Provider(), acmeAzure.Accounts)
	}

	// Regenerating replaces each provider's draft in place.
	again, err := db.GenerateInvoices(GenerateRequest{Period: "2024-09", Selection: customer.Selection{All: true}, Now: provNow})
	if err != nil {
		t.Fatal(err)
	}
	if got := results(again); !slices.Equal(got, []string{"ACME aws replaced 4.00", "ACME azure replaced 10.38", "BETA azure replaced 3.00"}) {
		t.Fatalf("regenerated %q", got)
	}
	for i := range again.Results {
		if again.Results[i].Invoice.ID != rep.Results[i].Invoice.ID {
			t.Errorf("result %d: draft %s replaced by %s", i, rep.Results[i].Invoice.ID, again.Results[i].Invoice.ID)
		}
	}

	// Approving numbers them by customer, then provider.
	apps, err := db.ApproveDrafts("2024-09", provNow)
	if err != nil {
		t.Fatal(err)
	}
	var numbers []string
	for _, a := range apps {
		if a.Invoice == nil {
			t.Fatalf("refused: %s", a.Refused)
		}
		numbers = append(numbers, a.Invoice.CustomerID+" "+string(a.Invoice.Provider())+" "+a.Invoice.Number)
	}
	if want := []string{"ACME aws INV-2024-00001", "ACME azure INV-2024-00002", "BETA azure INV-2024-00003"}; !slices.Equal(numbers, want) {
		t.Errorf("approved %q, want %q", numbers, want)
	}

	// Each invoice computes again to itself, from its own provider's items.
	corr, err := db.Corrections("2024-09")
	if err != nil || corr.Checked != 3 || len(corr.Changed) != 0 || len(corr.Unchecked) != 0 {
		t.Fatalf("corrections: %+v, %v", corr, err)
	}

	// Each issued invoice stands for its own provider only.
	last, err := db.GenerateInvoices(GenerateRequest{Period: "2024-09", Selection: customer.Selection{All: true}, Now: provNow})
	if err != nil {
		t.Fatal(err)
	}
	if got := results(last); !slices.Equal(got, []string{"ACME aws issued 4.00", "ACME azure issued 10.38", "BETA azure issued 3.00"}) {
		t.Fatalf("after approval %q", got)
	}

	// Credit notes carry the invoice's provider, and count against it
	// alone: crediting ACME's Azure invoice in full lets the Azure month
	// be invoiced again while the AWS invoice still stands.
	note, err := db.IssueCreditNote(CreditRequest{Invoice: "INV-2024-00002", Reason: "wrong subscription", Now: provNow})
	if err != nil {
		t.Fatal(err)
	}
	if note.Provider() != lineitem.Azure || note.Total.String() != "-10.38" {
		t.Errorf("credit note: provider %s, total %s", note.Provider(), note.Total)
	}
	after, err := db.GenerateInvoices(GenerateRequest{Period: "2024-09", Selection: customer.Selection{Customers: []string{"ACME"}}, Now: provNow})
	if err != nil {
		t.Fatal(err)
	}
	if got := results(after); !slices.Equal(got, []string{"ACME aws issued 4.00", "ACME azure created 10.38"}) {
		t.Fatalf("after the credit note %q", got)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestAzureInvoiceDocuments: an Azure subscription mapped to a customer
// gets an invoice for its month, exported to PDF and XLSX, each naming
// the cloud and printing the total (10.38, see TestInvoicesPerProvider).
func TestAzureInvoiceDocuments(t *testing.T) {
	db := providerDB(t)
	rep, err := db.GenerateInvoices(GenerateRequest{Period: "2024-09", Selection: customer.Selection{Customers: []string{"ACME"}}, Now: provNow})
	if err != nil {
		t.Fatal(err)
	}
	id := rep.Results[1].Invoice.ID
	if _, err := db.ApproveInvoices([]string{id}, provNow); err != nil {
		t.Fatal(err)
	}
	inv := mustInvoice(t, db, id)
	if inv.Number != "INV-2024-00001" || inv.Total.String() != "10.38" {
		t.Fatalf("issued %s %s", inv.Number, inv.Total)
	}
	t.Run("xlsx", func(t *testing.T) {
		f, err := excelize.OpenReader(bytes.NewReader(exportFile(t, db, ExportRequest{Invoice: id, Format: document.FormatXLSX, Now: provNow})))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("Summary", excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		cells := map[string]string{}
		for _, r := range rows {
			if len(r) > 1 {
				cells[r[0]] = r[1]
			}
			for i, c := range r {
				if c == "Total due" && i+1 < len(r) {
					cells["Total due"] = r[i+1]
				}
			}
		}
		if cells["Cloud"] != "Microsoft Azure" || cells["Total due"] != "10.38" {
			t.Errorf("Summary sheet: cloud %q, total %q", cells["Cloud"], cells["Total due"])
		}
	})
	t.Run("pdf", func(t *testing.T) {
		pdf := exportFile(t, db, ExportRequest{Invoice: id, Format: document.FormatPDF, Now: provNow})
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("not a PDF: %.20q", pdf)
		}
		if _, err := exec.LookPath("pdftotext"); err != nil {
			t.Skip("pdftotext is not installed")
		}
		p := filepath.Join(t.TempDir(), "x.pdf")
		if err := os.WriteFile(p, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", "-layout", p, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := string(out)
		if !strings.Contains(text, "Microsoft Azure") || !strings.Contains(text, "Virtual Machines") {
			t.Errorf("PDF names no cloud or service:\n%s", text)
		}
		found := false
		for _, line := range strings.Split(text, "\n") {
			if strings.Contains(line, "Total due") {
				found = true
				if got := parsePrinted(t, line); !got.Equal(decimal.RequireFromString("10.38")) {
					t.Errorf("PDF total %s", got)
				}
			}
		}
		if !found {
			t.Errorf("PDF has no total:\n%s", text)
		}
	})
}

// importItems imports line items built in the test as one file, through
// the store's import writer, as a reader would deliver them.
func importItems(t *testing.T, db *DB, name string, items []lineitem.Item) {
	t.Helper()
	res := ingest.Result{File: name, Hash: name, ImportedAt: provNow,
		Files: []ingest.FileResult{{File: name, Hash: name, Status: ingest.Imported}}}
	w, err := db.BeginImport(&res)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(0, items); err != nil {
		t.Fatal(err)
	}
	type key struct {
		p            lineitem.Provider
		payer, month string
	}
	var order []key
	by := map[key]*ingest.Delivery{}
	sums := map[key]*money.Sum{}
	for _, it := range items {
		k := key{it.Provider, it.PayerAccount, it.BillingPeriod}
		d := by[k]
		if d == nil {
			d = &ingest.Delivery{Provider: it.Provider, Payer: it.PayerAccount, Period: it.BillingPeriod, Currency: it.Currency,
				Accounts: map[string]decimal.Decimal{}, AccountRows: map[string]int64{}}
			by[k], sums[k] = d, &money.Sum{}
			order = append(order, k)
		}
		d.Rows++
		sums[k].Add(it.UnblendedCost)
		d.Accounts[it.UsageAccount] = d.Accounts[it.UsageAccount].Add(it.UnblendedCost)
		d.AccountRows[it.UsageAccount]++
	}
	var read []ingest.Delivery
	for _, k := range order {
		d := by[k]
		d.UnblendedCost = sums[k].Total()
		d.Parts = []ingest.Part{{File: name, Name: name, Hash: name, Rows: d.Rows, UnblendedCost: d.UnblendedCost}}
		read = append(read, *d)
	}
	if err := w.Commit(&res, read); err != nil {
		t.Fatal(err)
	}
}

// TestAzureReservationAcrossCustomers: ACME's subscription bought a
// reservation that BETA's subscription used. The line items are built
// here as an Azure cost details reader gives them (actual cost: the
// covered usage costs nothing, its pay-as-you-go cost is 3.00), stored,
// read back and invoiced: BETA pays the usage at pay-as-you-go, 3.00;
// ACME keeps its reservation, paying the purchase (20.00) and its own
// covered usage at the reservation's price (0), plus its storage 0.50.
func TestAzureReservationAcrossCustomers(t *testing.T) {
	db := openTest(t)
	const res = "/providers/Microsoft.Capacity/reservationOrders/0f1e/reservations/9a8b"
	azure := func(sub, category, service, cost, list, commitment string) lineitem.Item {
		it := lineitem.Item{Provider: lineitem.Azure, BillingPeriod: "2024-09", PayerAccount: "8611537", UsageAccount: sub,
			Type: category, ChargeCategory: category, ProductCode: service, ProductName: service, Currency: "USD",
			UnblendedCost: decimal.RequireFromString(cost), BlendedCost: decimal.RequireFromString(cost),
			PublicOnDemandCost: decimal.RequireFromString(list), InvoiceIssuer: "Microsoft", Publisher: "Microsoft"}
		if commitment != "" {
			it.CommitmentDiscountID, it.CommitmentOwner = commitment, subACME
		}
		return it
	}
	importItems(t, db, "azure-2024-09.csv", []lineitem.Item{
		azure(subACME, lineitem.CategoryPurchase, "Virtual Machines", "20", "0", res),
		azure(subACME, lineitem.CategoryUsage, "Virtual Machines", "0", "4", res),
		azure(subBETA, lineitem.CategoryUsage, "Virtual Machines", "0", "3", res),
		azure(subACME, lineitem.CategoryUsage, "Storage Accounts", "0.5", "0.5", ""),
	})
	addOwners(t, db, map[string]string{subACME: "ACME", subBETA: "BETA"})

	// The stored rows keep what the rule reads.
	var owners []string
	if err := db.ScanItems("2024-09", func(it *lineitem.Item) error {
		owners = append(owners, it.CommitmentOwner)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(owners, []string{subACME, subACME, subACME, ""}) {
		t.Fatalf("stored commitment owners %q", owners)
	}

	rep, err := db.GenerateInvoices(GenerateRequest{Period: "2024-09", Selection: customer.Selection{All: true}, Now: provNow})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := results(rep), []string{"ACME azure created 20.50", "BETA azure created 3.00"}; !slices.Equal(got, want) {
		t.Fatalf("generated %q, want %q", got, want)
	}
	beta := rep.Results[1].Invoice
	if l := beta.Sections[0].Lines[0]; l.Service != "Virtual Machines" || l.Amount.String() != "3.00" {
		t.Errorf("BETA's line %+v: want Virtual Machines 3.00", l)
	}
	acme := rep.Results[0].Invoice
	var got []string
	for _, s := range acme.Sections {
		for _, l := range s.Lines {
			got = append(got, string(s.ProductType)+"/"+l.Service+" "+l.Amount.String())
		}
	}
	// Compute: the covered usage at the reservation's price, 0.00.
	want := []string{"Compute/Virtual Machines 0.00", "Storage/Storage Accounts 0.50", string(billing.Commitments) + "/Virtual Machines 20.00"}
	if !slices.Equal(got, want) {
		t.Errorf("ACME's lines %q, want %q", got, want)
	}
}

// TestUpgradeFromSchema9Release opens a database the schema 9 release
// wrote (testdata/schema9/README.md): its rows decode with the
// provider-neutral fields zero, its AWS invoice stands untouched, and the
// Azure subscription that release imported but did not bill is now
// invoiced: Virtual Machines 1.25 and Storage Accounts 0.75 = 2.00.
func TestUpgradeFromSchema9Release(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "schema9", "schema9.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "rebill.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	var aws, azure money.Sum
	if err := db.ScanItems("2026-09", func(it *lineitem.Item) error {
		n++
		if it.ChargeCategory != "" || it.CommitmentOwner != "" || it.Publisher != "" || !it.PartnerCredit.IsZero() ||
			!it.EffectiveCost.IsZero() {
			t.Errorf("row %d has provider-neutral fields: %+v", n, it)
		}
		if it.Provider == lineitem.Azure {
			azure.Add(it.UnblendedCost)
		} else {
			aws.Add(it.UnblendedCost)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// 2.001 + … + 2.008 = 16.036 (AWS); 1.25 + 0.75 + 0.005 = 2.005 (Azure).
	if n != 11 || !aws.Total().Equal(decimal.RequireFromString("16.036")) || !azure.Total().Equal(decimal.RequireFromString("2.005")) {
		t.Fatalf("%d rows, AWS %s, Azure %s", n, aws.Total(), azure.Total())
	}
	if v, err := db.VerifyAudit(); err != nil {
		t.Fatalf("audit log after the upgrade: %v %v", v, err)
	}
	rep, err := db.GenerateInvoices(GenerateRequest{Period: "2026-09", Selection: customer.Selection{All: true}, Now: provNow})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := results(rep), []string{"ACME aws issued 16.04", "ACME azure created 2.00"}; !slices.Equal(got, want) {
		t.Fatalf("generated %q, want %q", got, want)
	}
	if inv := rep.Results[0].Invoice; inv.Number != "INV-2026-00001" || inv.Provider() != lineitem.AWS {
		t.Errorf("the issued AWS invoice: %s %s", inv.Number, inv.Provider())
	}
}

// TestCreditsAcrossProviders: a reseller credit of 5.00 is spent once
// over the customer's invoices of the month, in provider order: the AWS
// invoice (4.00) takes 4.00 and is 0.00, the Azure invoice (10.38) takes
// the 1.00 left and is 9.38; both approve.
func TestCreditsAcrossProviders(t *testing.T) {
	db := providerDB(t)
	if _, err := db.Grant(customer.Grant{Customer: "ACME", Amount: decimal.RequireFromString("5"), Reason: "goodwill"}, provNow); err != nil {
		t.Fatal(err)
	}
	rep, err := db.GenerateInvoices(GenerateRequest{Period: "2024-09", Selection: customer.Selection{Customers: []string{"ACME"}},
		Options: billing.Options{Credits: true}, Now: provNow})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := results(rep), []string{"ACME aws created 0.00", "ACME azure created 9.38"}; !slices.Equal(got, want) {
		t.Fatalf("generated %q, want %q", got, want)
	}
	apps, err := db.ApproveDrafts("2024-09", provNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range apps {
		if a.Invoice == nil {
			t.Errorf("draft %s refused: %s", a.ID, a.Refused)
		}
	}
	bals, err := db.CreditBalances("ACME", "2024-09")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bals {
		if !b.Amount.IsZero() {
			t.Errorf("balance left %+v, want none", b)
		}
	}
}
