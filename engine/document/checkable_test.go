package document_test

import (
	"bytes"
	"strings"
	"testing"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/document"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
)

// The walkthrough's invoice, which an accountant must be able to check
// from the document alone. Worked out by hand:
//
//	EC2 150.00 + S3 82.21                 = 232.21 cloud services
//	managed service 250.00 + monitoring 100.00 = 350.00 recurring
//	subtotal                                582.21
//	discount 3% of 232.21 = 6.9663         -6.97
//	VAT 20% on 582.21 - 6.97 = 575.24 =    115.048 -> 115.05
//	total                                   690.29
var harbourItems = []li{
	{acct: "555566667777", code: "AmazonEC2", name: "Amazon Elastic Compute Cloud", cost: "150.00"},
	{acct: "555566667777", code: "AmazonS3", name: "Amazon Simple Storage Service", cost: "82.21"},
}

func harbour(adjustment string) customer.Customer {
	return customer.Customer{ID: "HARBOUR", Name: "Harbour Analytics Ltd", Currency: "USD", TermsDays: 30,
		Contact:    customer.Contact{Name: "Accounts", Email: "ap@harbour.example", Address: []string{"3 Quay St", "Cork"}, Country: "Ireland"},
		Adjustment: dec(adjustment), TaxRates: []customer.TaxRate{{Name: "VAT 20%", Percent: dec("20")}},
		Recurring: []customer.RecurringCharge{
			{Description: "Managed service", Amount: dec("250"), From: "2026-01"},
			{Description: "Monitoring", Amount: dec("100"), From: "2026-01"}}}
}

// harbourOpen is the walkthrough's invoice, issued, from a seller whose
// profile has the given uplift wording and (with noLogo) no logo.
func harbourOpen(t testing.TB, adjustment, wording string, noLogo bool) invoice.Invoice {
	t.Helper()
	p := seller
	p.UpliftWording = wording
	if noLogo {
		p.Logo, p.LogoType = nil, ""
	}
	c := harbour(adjustment)
	d, err := invoice.NewDraft("50", statementOf(t, c, allOptions, billing.Ledger{}, harbourItems), c, p, now)
	if err != nil {
		t.Fatal(err)
	}
	return approve(t, d, 90)
}

// upliftOpen is the walkthrough's invoice with a 5% uplift instead of the
// discount: 5% of 232.21 = 11.6105 -> 11.61.
func upliftOpen(t testing.TB, wording string) invoice.Invoice {
	return harbourOpen(t, "5", wording, false)
}

// docText is a view's PDF text as laid out (a label and its amount on
// one row), whitespace folded, and its pages.
func docText(t *testing.T, v invoice.View) (flat string, pages []string) {
	t.Helper()
	pages = pdfText(t, render(t, v), true)
	return strings.Join(strings.Fields(strings.Join(pages, "\f")), " "), pages
}

func csvText(t *testing.T, v invoice.View) string {
	t.Helper()
	var b bytes.Buffer
	if err := document.CSV(&b, v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestCheckableDocuments reads what the PDF, the CSV and the workbook say
// about the walkthrough's invoice, its uplift variants and a partial
// credit note, against the hand-worked figures above.
func TestCheckableDocuments(t *testing.T) {
	inv := harbourOpen(t, "-3", "", false)
	if inv.Total.String() != "690.29" {
		t.Fatalf("the walkthrough invoice totals %s, worked out 690.29", inv.Total)
	}
	note, err := inv.CreditNote(invoice.CreditRequest{ID: "61", Amount: dec("25.00"), Reason: "goodwill", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	note, _, err = note.Approve(invoice.CreditNoteNumbering("", 6), invoice.NewDate(2026, 10, 9), now)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		v        invoice.View
		pdf      []string // in the PDF's text, whitespace folded
		notPDF   []string
		csv      []string // whole CSV lines
		xlsxRows [][]string
	}{
		{
			name: "discount with its base, managed services apart",
			v:    inv.View(),
			pdf: []string{"Cloud services $232.21", "Recurring and managed services $350.00", "Subtotal $582.21",
				"Discount 3% of 232.21 -$6.97", "VAT 20% on 575.24 $115.05", "Total due $690.29",
				"Recurring and managed services Managed service 250.00 Monitoring 100.00 Subtotal 350.00"},
			notPDF: []string{"Uplift", "Other"},
			csv: []string{
				"INV-2026-00090,line,Compute,AmazonEC2,Amazon Elastic Compute Cloud,150.00,USD",
				"INV-2026-00090,line,Recurring and managed services,Managed service,Managed service,250.00,USD",
				"INV-2026-00090,services,,,Cloud services,232.21,USD",
				"INV-2026-00090,recurring,,,Recurring and managed services,350.00,USD",
				"INV-2026-00090,discount,,,Discount 3% of 232.21,-6.97,USD",
				"INV-2026-00090,tax,,,VAT 20% on 575.24,115.05,USD",
				"INV-2026-00090,total,,,Total due,690.29,USD",
			},
			xlsxRows: [][]string{{"", "", "Discount 3% of 232.21", "-$6.97"}, {"", "", "Recurring and managed services", "$350.00"}},
		},
		{
			// 5% of 232.21 = 11.6105 -> 11.61, split 150.00 : 82.21:
			// EC2 7.4997 (7.49, remainder .0097), S3 4.1103 (4.11, .0003);
			// the cent left goes to EC2: 157.50 and 86.32. The tax and the
			// total are the invoice's: 582.21 + 11.61 = 593.82, VAT 118.764
			// -> 118.76, total 712.58.
			name: "uplift folded into the prices",
			v:    upliftOpen(t, "").View(),
			pdf: []string{"Amazon Elastic Compute Cloud AmazonEC2 157.50", "Amazon Simple Storage Service AmazonS3 86.32",
				"Cloud services $243.82", "Subtotal $593.82", "VAT 20% on 593.82 $118.76", "Total due $712.58"},
			notPDF: []string{"Uplift", "5%", "11.61"},
			csv: []string{
				"INV-2026-00090,line,Compute,AmazonEC2,Amazon Elastic Compute Cloud,157.50,USD",
				"INV-2026-00090,line,Storage,AmazonS3,Amazon Simple Storage Service,86.32,USD",
				"INV-2026-00090,subtotal,,,Subtotal,593.82,USD",
				"INV-2026-00090,total,,,Total due,712.58,USD",
			},
			xlsxRows: [][]string{{"Compute", "AmazonEC2", "Amazon Elastic Compute Cloud", "$157.50"}},
		},
		{
			name: "uplift under the reseller's wording",
			v:    upliftOpen(t, "Service management").View(),
			pdf: []string{"Amazon Elastic Compute Cloud AmazonEC2 150.00", "Subtotal $582.21",
				"Service management 5% of 232.21 $11.61", "Total due $712.58"},
			notPDF: []string{"Uplift"},
			csv:    []string{"INV-2026-00090,discount,,,Service management 5% of 232.21,11.61,USD"},
		},
		{
			// 25.00 = N + round(20% of N): N = 20.83, VAT 4.17.
			name: "partial credit note",
			v:    note.View(),
			pdf: []string{"Credit on invoice INV-2026-00090 -20.83", "Subtotal -$20.83", "VAT 20% on -20.83 -$4.17",
				"Total credited -$25.00"},
			notPDF: []string{"20.85"},
			csv: []string{
				"CN-2026-00006,line,Credits,Credit on invoice INV-2026-00090,Credit on invoice INV-2026-00090,-20.83,USD",
				"CN-2026-00006,tax,,,VAT 20% on -20.83,-4.17,USD",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			flat, _ := docText(t, tc.v)
			for _, w := range tc.pdf {
				if !strings.Contains(flat, w) {
					t.Errorf("the PDF does not print %q:\n%s", w, flat)
				}
			}
			for _, w := range tc.notPDF {
				if strings.Contains(flat, w) {
					t.Errorf("the PDF prints %q", w)
				}
			}
			csv := "\n" + csvText(t, tc.v)
			for _, w := range tc.csv {
				if !strings.Contains(csv, "\n"+w+"\n") {
					t.Errorf("the CSV has no line %q:%s", w, csv)
				}
			}
			if len(tc.xlsxRows) == 0 {
				return
			}
			rows, err := openXLSX(t, tc.v, nil).GetRows("Summary")
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.xlsxRows {
				found := false
				for _, r := range rows {
					if len(r) >= 4 && strings.Join(r[:4], "|") == strings.Join(w, "|") {
						found = true
					}
				}
				if !found {
					t.Errorf("the workbook has no row %q", w)
				}
			}
		})
	}
}

// TestMarketplaceLineNamesProductAndSeller: the line of a Marketplace
// product is named by the product and its seller even when the first of
// its line items names neither (a fee or a usage type without a product
// name), never by its code alone.
func TestMarketplaceLineNamesProductAndSeller(t *testing.T) {
	items := append(append([]li{}, harbourItems...),
		li{acct: "555566667777", code: "8kq2m5zv1x7cfp3wd0n9tr4hb", cost: "0.00", entity: lineitem.MarketplaceEntity},
		li{acct: "555566667777", code: "8kq2m5zv1x7cfp3wd0n9tr4hb", name: "Example Security Firewall", cost: "36.00",
			entity: lineitem.MarketplaceEntity, seller: "Example Security Ltd"})
	c := harbour("0")
	d, err := invoice.NewDraft("51", statementOf(t, c, allOptions, billing.Ledger{}, items), c, seller, now)
	if err != nil {
		t.Fatal(err)
	}
	flat, _ := docText(t, d.View())
	if !strings.Contains(flat, "Example Security Firewall (Example Security Ltd) 8kq2m5zv1x7cfp3w… 36.00") {
		t.Errorf("the Marketplace line does not name the product and seller:\n%s", flat)
	}
	if !strings.Contains(csvText(t, d.View()), "Marketplace,8kq2m5zv1x7cfp3wd0n9tr4hb,Example Security Firewall (Example Security Ltd),36.00") {
		t.Errorf("CSV:\n%s", csvText(t, d.View()))
	}
}

// TestCompanyNamePrintedOnce: without a logo the company name is the
// wordmark at the top left and is not printed again in the details at
// the right; with a logo it is printed once, above the details.
func TestCompanyNamePrintedOnce(t *testing.T) {
	for _, tc := range []struct {
		name   string
		noLogo bool
	}{{"no logo", true}, {"logo", false}} {
		t.Run(tc.name, func(t *testing.T) {
			_, pages := docText(t, harbourOpen(t, "-3", "", tc.noLogo).View())
			top := pages[0]
			if i := strings.Index(top, "INVOICE"); i > 0 {
				top = top[:i] // the header, above the title
			}
			if n := strings.Count(top, "Nimbus Cloud Partners Ltd"); n != 1 {
				t.Errorf("the header names the company %d times:\n%s", n, top)
			}
			if !strings.Contains(top, "10 Harbour Road") {
				t.Errorf("the header lost the address:\n%s", top)
			}
		})
	}
}

// TestTotalsStayWithTheLastLines: the totals block is never alone on a
// page: the page that prints the total also prints the invoice's last
// line, for every golden document and for the long invoice cut at each
// length from 60 lines down, so the page break falls everywhere.
func TestTotalsStayWithTheLastLines(t *testing.T) {
	views := map[string]invoice.View{}
	for _, g := range goldens {
		views[g.file] = g.view(t)
	}
	all := longItems()
	for n := len(all); n >= len(all)-24; n-- {
		d := draftOf(t, "43", bigCorp, allOptions, bigCorpCredit, all[:n])
		views["bigcorp with "+itoa(n)+" items"] = d.View()
	}
	for name, v := range views {
		_, pages := docText(t, v)
		f := v.Figures
		secs := f.Sections
		last := secs[len(secs)-1].Lines[len(secs[len(secs)-1].Lines)-1]
		for i, p := range pages {
			if !strings.Contains(p, totalLabelOf(v)) {
				continue
			}
			if !strings.Contains(p, firstWords(last.Description())) {
				t.Errorf("%s: page %d of %d prints the total without the last line %q:\n%s", name, i+1, len(pages), last.Description(), p)
			}
		}
	}
}

// firstWords is the start of a description, which a wrapped line keeps on
// its first row.
func firstWords(s string) string {
	if f := strings.Fields(s); len(f) > 3 {
		return strings.Join(f[:3], " ")
	}
	return s
}

// TestSettledCopy: a copy of the walkthrough's invoice made after a
// payment and a credit note prints them under the total, oldest first,
// and asks for the balance: 690.29 - 400.00 - 50.00 = 240.29. The
// invoice's own figures do not change.
func TestSettledCopy(t *testing.T) {
	v := harbourOpen(t, "-3", "", true).View()
	v.Settlement = &invoice.Settlement{
		Entries: []invoice.SettlementEntry{
			{Date: invoice.NewDate(2026, 10, 12), Reference: "BANK-7", Amount: billing.HalfUp.Round(dec("-400.00"), "USD")},
			{Date: invoice.NewDate(2026, 10, 20), Document: "CN-2026-00001", Amount: billing.HalfUp.Round(dec("-50.00"), "USD")},
		},
		Balance: billing.HalfUp.Round(dec("240.29"), "USD"),
	}
	flat, _ := docText(t, v)
	for _, want := range []string{
		"VAT 20% on 575.24 $115.05", "Total $690.29",
		"Paid on 12 Oct 2026, reference BANK-7 -$400.00", "Credit note CN-2026-00001 of 20 Oct 2026 -$50.00",
		"Balance due $240.29", "Please pay the balance of $240.29 by",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF has no %q:\n%s", want, flat)
		}
	}
	if strings.Contains(flat, "Total due") || strings.Contains(flat, "Please pay $690.29") {
		t.Errorf("the PDF still asks for the total:\n%s", flat)
	}
	// Shown in euros, the display currency's note says what is still
	// due in dollars.
	cv, err := v.Invoice.Convert("EUR", dec("0.9"), "ECB", invoice.NewDate(2026, 10, 21))
	if err != nil {
		t.Fatal(err)
	}
	cv.Settlement = v.Settlement
	var said []string
	for _, p := range document.Afterword(cv) {
		said = append(said, p.Lines...)
	}
	if want := "The invoice is payable in USD: $690.29, of which $240.29 is still due."; !strings.Contains(strings.Join(said, " "), want) {
		t.Errorf("the display currency's note does not say %q: %q", want, said)
	}
	csv := csvText(t, v)
	for _, want := range []string{
		"INV-2026-00090,total,,,Total,690.29,USD",
		`INV-2026-00090,payment,,,"Paid on 12 Oct 2026, reference BANK-7",-400.00,USD`,
		"INV-2026-00090,credit_note,,,Credit note CN-2026-00001 of 20 Oct 2026,-50.00,USD",
		"INV-2026-00090,balance,,,Balance due,240.29,USD",
	} {
		if !strings.Contains(csv, want) {
			t.Errorf("the CSV has no %q:\n%s", want, csv)
		}
	}
}
