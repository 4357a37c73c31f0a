package ledger

import (
	"bytes"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"golang.org/x/text/encoding/charmap"

	"rebill/engine/invoice"
)

// datevRow is a booking line as DATEV's Formatbeschreibung places its
// fields (1-based column numbers: 1 Umsatz, 2 Soll/Haben-Kennzeichen,
// 3 WKZ Umsatz, 7 Konto, 8 Gegenkonto, 9 BU-Schlüssel, 10 Belegdatum,
// 11 Belegfeld 1, 14 Buchungstext), every other of the 125 empty.
func datevRow(amount, side, konto, gegen, bu, datum, beleg, text string) string {
	f := make([]string, 125)
	f[0], f[1], f[2], f[6], f[7], f[8], f[9], f[10], f[13] = amount, `"`+side+`"`, `"EUR"`, konto, gegen, `"`+bu+`"`, datum, `"`+beleg+`"`, `"`+text+`"`
	return strings.Join(f, ";")
}

func TestDATEV(t *testing.T) {
	b, s := export(t, DATEV, november(t), mapping(), options(t))
	if bytes.Contains(b, []byte("\n")) && bytes.Count(b, []byte("\r\n")) != bytes.Count(b, []byte("\n")) {
		t.Error("a line ends without CR: DATEV's lines end in CRLF")
	}
	text, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("M\xfcller GmbH")) {
		t.Error("Müller is not written in Windows-1252 (ü = 0xFC)")
	}
	lines := strings.Split(strings.TrimSuffix(string(text), "\r\n"), "\r\n")

	t.Run("header", func(t *testing.T) {
		// The 31 header fields as DATEV lists them: Kennzeichen, version
		// 700, category 21, format name, format version 13, created (with
		// milliseconds), imported (empty), origin, exported by, imported
		// by, consultant, client, fiscal year start, account length, from,
		// until, label, dictation code, booking type 1 (financial
		// accounting), accounting purpose 0, not locked 0, currency,
		// reserved, derivative flag, reserved, reserved, chart, industry
		// solution, reserved, reserved, application information.
		want := `"EXTF";700;21;"Buchungsstapel";13;20261201093000000;;"RE";"Rebill";"";1001;1;20260101;4;20261101;20261130;"Rebill 2026-11-01 2026-11-30";"";1;0;0;"EUR";;"";;;"03";;;"";""`
		if lines[0] != want {
			t.Errorf("header\n%s\nwant\n%s", lines[0], want)
		}
		if n := len(strings.Split(lines[0], ";")); n != 31 {
			t.Errorf("header has %d fields, DATEV's has 31", n)
		}
	})
	t.Run("columns", func(t *testing.T) {
		cols := strings.Split(lines[1], ";")
		if len(cols) != 125 {
			t.Fatalf("%d column headings, Buchungsstapel version 13 has 125", len(cols))
		}
		for i, want := range map[int]string{1: "Umsatz (ohne Soll/Haben-Kz)", 2: "Soll/Haben-Kennzeichen", 3: "WKZ Umsatz", 7: "Konto",
			8: "Gegenkonto (ohne BU-Schlüssel)", 9: "BU-Schlüssel", 10: "Belegdatum", 11: "Belegfeld 1", 14: "Buchungstext",
			114: "Festschreibung", 125: "Abw. Skontokonto"} {
			if cols[i-1] != want {
				t.Errorf("column %d is %q, want %q", i, cols[i-1], want)
			}
		}
	})
	t.Run("bookings", func(t *testing.T) {
		// Gross amounts with the BU-Schlüssel of the rate, the invoice's
		// tax shared over its taxed groups (see TestAllocate): Compute
		// 100 + 19 = 119,00, Storage 50 + 9.50 = 59,50, Marketplace
		// untaxed 20,00, discount -15 - 2.85 = 17,85 on the H side.
		want := []string{
			datevRow("119,00", "S", "10001", "8400", "3", "0311", "RB-2026-0001", "Invoice RB-2026-0001 Müller GmbH, Compute"),
			datevRow("59,50", "S", "10001", "8401", "3", "0311", "RB-2026-0001", "Invoice RB-2026-0001 Müller GmbH, Storage"),
			datevRow("20,00", "S", "10001", "8195", "", "0311", "RB-2026-0001", "Invoice RB-2026-0001 Müller GmbH, Marketplace"),
			datevRow("17,85", "H", "10001", "8700", "3", "0311", "RB-2026-0001", "Invoice RB-2026-0001 Müller GmbH, Discount"),
			// 200 + 14.00; 33.33 + 2.33; credits -33.33 - 2.33.
			datevRow("214,00", "S", "10002", "8400", "2", "0311", "RB-2026-0002", "Invoice RB-2026-0002 Beta SARL, Compute"),
			datevRow("35,66", "S", "10002", "8400", "2", "0311", "RB-2026-0002", "Invoice RB-2026-0002 Beta SARL, Database"),
			datevRow("35,66", "H", "10002", "8705", "2", "0311", "RB-2026-0002", "Invoice RB-2026-0002 Beta SARL, Credits applied"),
			datevRow("10,70", "S", "10002", "8400", "2", "0511", "RB-2026-0003", "Invoice RB-2026-0003 Beta SARL, Compute"),
			datevRow("10,70", "H", "10002", "8400", "2", "0611", "RB-2026-0003", "Void of invoice RB-2026-0003 Beta SARL, Compute"),
			datevRow("5,95", "H", "10001", "8401", "3", "1011", "RB-2026-0099", "Void of invoice RB-2026-0099 Müller GmbH, Storage"),
			datevRow("11,90", "H", "10001", "8400", "3", "2011", "CN-2026-0001", "Credit note CN-2026-0001 Müller GmbH, Compute"),
		}
		got := lines[2:]
		if len(got) != len(want) {
			t.Fatalf("%d bookings, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("booking %d\n%s\nwant\n%s", i+1, got[i], want[i])
			}
		}
		if s.Bookings != len(want) || s.Documents != 6 {
			t.Errorf("summary counts %d bookings of %d documents, want %d of 6", s.Bookings, s.Documents, len(want))
		}
	})
	t.Run("amounts add up to the documents", func(t *testing.T) {
		sum := decimal.Zero
		for _, l := range lines[2:] {
			f := strings.Split(l, ";")
			a := dec(t, strings.Replace(f[0], ",", ".", 1))
			if f[1] == `"H"` {
				a = a.Neg()
			}
			sum = sum.Add(a)
		}
		// 180.65 + 214.00 + 10.70 - 10.70 - 5.95 - 11.90 = 376.80, see november.
		if !sum.Equal(dec(t, "376.80")) || len(s.Totals) != 1 || !s.Totals[0].Amount.Equal(dec(t, "376.80")) {
			t.Errorf("bookings add up to %s, summary %v; want 376.80", sum, s.Totals)
		}
	})
}

func TestDATEVRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Mapping, *Options, *[]invoice.Invoice)
		want string
	}{
		{"two calendar years", func(_ *Mapping, o *Options, _ *[]invoice.Invoice) { o.Until = invoice.NewDate(2027, 1, 31) }, "crosses its end on 2026-12-31"},
		{"a fiscal year from July", func(m *Mapping, o *Options, _ *[]invoice.Invoice) {
			m.FiscalStart = 7
			o.From, o.Until = invoice.NewDate(2026, 6, 1), invoice.NewDate(2026, 7, 31)
		}, "crosses its end on 2026-06-30"},
		{"consultant below 1001", func(m *Mapping, _ *Options, _ *[]invoice.Invoice) { m.Consultant = "999" }, "consultant number \"999\" must be 1001"},
		{"a debtor that is no number", func(m *Mapping, _ *Options, _ *[]invoice.Invoice) { m.Receivables["BETA"] = "D-2" }, "Beta SARL's receivable account \"D-2\""},
		{"a revenue account too long", func(m *Mapping, _ *Options, _ *[]invoice.Invoice) { m.DefaultRevenue = "840000" }, "at most 5 digits"},
		{"a number DATEV cannot hold", func(_ *Mapping, _ *Options, d *[]invoice.Invoice) { (*d)[0].Number = "RB 2026_0001" }, "cannot be DATEV's Belegfeld 1"},
		{"two currencies", func(_ *Mapping, _ *Options, d *[]invoice.Invoice) { (*d)[1].Currency = "USD" },
			"the documents are in EUR and USD; a DATEV batch holds one currency: export one currency at a time (EUR, then USD), choosing it in Export to ledger > Currency"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, o, docs := mapping(), options(t), november(t)
			tc.edit(&m, &o, &docs)
			var b bytes.Buffer
			_, err := Export(&b, DATEV, docs, m, o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
			if b.Len() != 0 {
				t.Errorf("a refused export wrote %d bytes", b.Len())
			}
		})
	}
}

// TestExportOneCurrency: a reseller invoicing in euros and dollars
// exports each currency on its own, as DATEV asks: the euro batch holds
// the euro documents only, the dollar batch the dollar one, and the two
// together are the whole period's.
func TestExportOneCurrency(t *testing.T) {
	docs := november(t)
	docs[1].Currency = "USD"
	var all bytes.Buffer
	whole, err := Export(&all, Journal, docs, mapping(), options(t))
	if err != nil {
		t.Fatal(err)
	}
	documents := 0
	for _, c := range []string{"EUR", " usd "} {
		o := options(t)
		o.Currency = c
		var b bytes.Buffer
		s, err := Export(&b, DATEV, docs, mapping(), o)
		if err != nil {
			t.Fatalf("%q: %v", c, err)
		}
		want := strings.ToUpper(strings.TrimSpace(c))
		if s.Currency != want || len(s.Totals) != 1 || s.Totals[0].Currency != want {
			t.Errorf("%q: summary in %q, totals %v; want %s only", c, s.Currency, s.Totals, want)
		}
		documents += s.Documents
	}
	if documents != whole.Documents || documents == 0 {
		t.Errorf("the two currencies export %d documents, the whole period %d", documents, whole.Documents)
	}
}

func TestDATEVNetWhenNoCode(t *testing.T) {
	// Without a tax code DATEV cannot compute the tax: the net amounts and
	// the tax are booked apart, without BU-Schlüssel. Beta's invoice:
	// 200,00 and 33,33 revenue, 33,33 credits, 14,00 tax to 1771.
	m := mapping()
	m.Taxes[1].Code = ""
	b, _ := export(t, DATEV, november(t)[1:2], m, options(t))
	text, _ := charmap.Windows1252.NewDecoder().Bytes(b)
	lines := strings.Split(strings.TrimSuffix(string(text), "\r\n"), "\r\n")[2:]
	want := []string{
		datevRow("200,00", "S", "10002", "8400", "", "0311", "RB-2026-0002", "Invoice RB-2026-0002 Beta SARL, Compute"),
		datevRow("33,33", "S", "10002", "8400", "", "0311", "RB-2026-0002", "Invoice RB-2026-0002 Beta SARL, Database"),
		datevRow("33,33", "H", "10002", "8705", "", "0311", "RB-2026-0002", "Invoice RB-2026-0002 Beta SARL, Credits applied"),
		datevRow("14,00", "S", "10002", "1771", "", "0311", "RB-2026-0002", "Invoice RB-2026-0002 Beta SARL, TVA 7%"),
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("bookings\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

func TestJournalBalancesPerDocument(t *testing.T) {
	b, s := export(t, Journal, november(t), mapping(), options(t))
	rows := readCSV(t, b)
	if strings.Join(rows[0], ",") != "date,number,account,debit,credit,tax_code,text,currency" {
		t.Fatalf("header %v", rows[0])
	}
	// Müller's invoice, by hand: the receivable debited with the total,
	// revenue credited net, the discount debited, the VAT credited.
	want := [][]string{
		{"2026-11-03", "RB-2026-0001", "10001", "180.65", "", "", "Invoice RB-2026-0001 Müller GmbH", "EUR"},
		{"2026-11-03", "RB-2026-0001", "8400", "", "100.00", "3", "Invoice RB-2026-0001 Müller GmbH, Compute", "EUR"},
		{"2026-11-03", "RB-2026-0001", "8401", "", "50.00", "3", "Invoice RB-2026-0001 Müller GmbH, Storage", "EUR"},
		{"2026-11-03", "RB-2026-0001", "8195", "", "20.00", "", "Invoice RB-2026-0001 Müller GmbH, Marketplace", "EUR"},
		{"2026-11-03", "RB-2026-0001", "8700", "15.00", "", "3", "Invoice RB-2026-0001 Müller GmbH, Discount", "EUR"},
		{"2026-11-03", "RB-2026-0001", "1776", "", "25.65", "3", "Invoice RB-2026-0001 Müller GmbH, MwSt. 19%", "EUR"},
	}
	for i, w := range want {
		if strings.Join(rows[1+i], "|") != strings.Join(w, "|") {
			t.Errorf("row %d: %v, want %v", i+1, rows[1+i], w)
		}
	}
	debit, credit := map[string]decimal.Decimal{}, map[string]decimal.Decimal{}
	receivable := decimal.Zero
	for _, r := range rows[1:] {
		key := r[0] + " " + r[1] + " " + r[6][:4] // a reversal is its own entry
		if r[3] != "" {
			debit[key] = debit[key].Add(dec(t, r[3]))
		}
		if r[4] != "" {
			credit[key] = credit[key].Add(dec(t, r[4]))
		}
		if r[2] == "10001" || r[2] == "10002" {
			if r[3] != "" {
				receivable = receivable.Add(dec(t, r[3]))
			} else {
				receivable = receivable.Sub(dec(t, r[4]))
			}
		}
	}
	if len(debit) != 6 {
		t.Errorf("%d entries, want 6", len(debit))
	}
	for k := range debit {
		if !debit[k].Equal(credit[k]) {
			t.Errorf("%s: debits %s, credits %s", k, debit[k], credit[k])
		}
	}
	if !receivable.Equal(dec(t, "376.80")) || s.Documents != 6 {
		t.Errorf("receivables move by %s over %d documents, want 376.80 over 6", receivable, s.Documents)
	}
}

func TestXero(t *testing.T) {
	b, s := export(t, Xero, november(t), mapping(), options(t))
	rows := readCSV(t, b)
	if strings.Join(rows[0], ",") != "*ContactName,EmailAddress,POAddressLine1,POAddressLine2,POAddressLine3,POAddressLine4,POCity,PORegion,POPostalCode,POCountry,*InvoiceNumber,Reference,*InvoiceDate,*DueDate,InventoryItemCode,*Description,*Quantity,*UnitAmount,Discount,*AccountCode,*TaxType,TrackingName1,TrackingOption1,TrackingName2,TrackingOption2,Currency,BrandingTheme" {
		t.Fatalf("header %v", rows[0])
	}
	line := func(r []string) string {
		return strings.Join([]string{r[0], r[10], r[11], r[12], r[13], r[15], r[16], r[17], r[19], r[20], r[25]}, "|")
	}
	// Lines net of tax, the discount and credits as lines of their own,
	// the credit note negative; the two voids listed, not imported.
	want := []string{
		"Müller GmbH|RB-2026-0001|Billing period 2026-10|03/11/2026|03/12/2026|AmazonEC2|1|100.00|8400|3|EUR",
		"Müller GmbH|RB-2026-0001|Billing period 2026-10|03/11/2026|03/12/2026|AmazonS3|1|50.00|8401|3|EUR",
		"Müller GmbH|RB-2026-0001|Billing period 2026-10|03/11/2026|03/12/2026|Acme Firewall|1|20.00|8195||EUR",
		"Müller GmbH|RB-2026-0001|Billing period 2026-10|03/11/2026|03/12/2026|Discount|1|-15.00|8700|3|EUR",
		"Beta SARL|RB-2026-0002|Billing period 2026-10|03/11/2026|03/12/2026|AmazonEC2|1|200.00|8400|2|EUR",
		"Beta SARL|RB-2026-0002|Billing period 2026-10|03/11/2026|03/12/2026|AmazonRDS|1|33.33|8400|2|EUR",
		"Beta SARL|RB-2026-0002|Billing period 2026-10|03/11/2026|03/12/2026|Credits applied|1|-33.33|8705|2|EUR",
		"Beta SARL|RB-2026-0003|Billing period 2026-10|05/11/2026|05/12/2026|AmazonEC2|1|10.00|8400|2|EUR",
		"Müller GmbH|CN-2026-0001|Billing period 2026-10|20/11/2026|20/11/2026|AmazonEC2|1|-10.00|8400|3|EUR",
	}
	var got []string
	for _, r := range rows[1:] {
		if len(r) != 27 {
			t.Fatalf("row has %d fields, Xero's template 27", len(r))
		}
		got = append(got, line(r))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(s.Skipped) != 2 || !strings.Contains(s.Skipped[0], "RB-2026-0003 was voided on 2026-11-06: void it in Xero") {
		t.Errorf("skipped %v", s.Skipped)
	}
}

func TestQuickBooks(t *testing.T) {
	t.Run("the month", func(t *testing.T) {
		b, s := export(t, QuickBooks, november(t), mapping(), options(t))
		rows := readCSV(t, b)
		if strings.Join(rows[0], ",") != "InvoiceNo,Customer,InvoiceDate,DueDate,Terms,Memo,Item(Product/Service),ItemDescription,ItemQuantity,ItemRate,ItemAmount,ItemTaxCode,Currency" {
			t.Fatalf("header %v", rows[0])
		}
		// Invoices only: 4 + 3 + 1 lines; the credit note and the voids
		// are listed for the accountant.
		if len(rows) != 9 || strings.Join(rows[1], "|") != "RB-2026-0001|Müller GmbH|11/03/2026|12/03/2026|Net 30|Rebill RB-2026-0001|Compute|AmazonEC2|1|100.00|100.00|3|EUR" {
			t.Errorf("%d rows, first %v", len(rows), rows[1])
		}
		if len(s.Skipped) != 3 || !strings.Contains(strings.Join(s.Skipped, "\n"), "credit note CN-2026-0001 (EUR -11.90) is not an invoice: enter it in QuickBooks as a credit memo") {
			t.Errorf("skipped %v", s.Skipped)
		}
	})
	long := func(t *testing.T) []invoice.Invoice {
		docs := november(t)[:2]
		docs[0].Number = "RESELLER-EUROPE-2026-000001" // 27 characters
		return docs
	}
	t.Run("a number over 21 characters is refused", func(t *testing.T) {
		var b bytes.Buffer
		_, err := Export(&b, QuickBooks, long(t), mapping(), options(t))
		if err == nil || !strings.Contains(err.Error(), "RESELLER-EUROPE-2026-000001 has 27 characters and QuickBooks Online keeps at most 21") || b.Len() != 0 {
			t.Fatalf("err %v, %d bytes written", err, b.Len())
		}
	})
	t.Run("or shortened to its last 21 when asked", func(t *testing.T) {
		o := options(t)
		o.ShortenNumbers = true
		b, s := export(t, QuickBooks, long(t), mapping(), o)
		rows := readCSV(t, b)
		if rows[len(rows)-1][0] != "ER-EUROPE-2026-000001" || len(s.Notes) != 1 || !strings.Contains(s.Notes[0], "invoice RESELLER-EUROPE-2026-000001 is ER-EUROPE-2026-000001 in QuickBooks") {
			t.Errorf("number %q, notes %v", rows[len(rows)-1][0], s.Notes)
		}
	})
	t.Run("two numbers ending alike are refused", func(t *testing.T) {
		docs := long(t)
		docs[1].Number = "RESELLER-ASIA-ER-EUROPE-2026-000001"
		o := options(t)
		o.ShortenNumbers = true
		var b bytes.Buffer
		if _, err := Export(&b, QuickBooks, docs, mapping(), o); err == nil || !strings.Contains(err.Error(), "cannot tell them apart") {
			t.Fatalf("err %v", err)
		}
	})
}

func TestMappingValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Mapping)
		want string
	}{
		{"defaults", func(*Mapping) {}, ""},
		{"an account with a space", func(m *Mapping) { m.Discount = "87 00" }, "the discount account \"87 00\""},
		{"a rate twice", func(m *Mapping) {
			m.Taxes = append(m.Taxes, TaxAccount{Percent: decimal.NewFromInt(19), Account: "1775"})
		}, "19% is mapped twice"},
		{"fiscal month 13", func(m *Mapping) { m.FiscalStart = 13 }, "first month 13"},
		{"account length 9", func(m *Mapping) { m.AccountLength = 9 }, "account length 9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := mapping()
			tc.edit(&m)
			err := m.Normalize().Validate()
			if (tc.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
}

func TestDATEVAmount(t *testing.T) {
	for _, tc := range []struct{ amount, currency, want string }{
		{"1234.5", "EUR", "1234,50"},
		{"-17.85", "EUR", "17,85"},
		{"1235", "JPY", "1235,00"},
		{"0.01", "USD", "0,01"},
	} {
		if got := datevAmount(dec(t, tc.amount), tc.currency); got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.currency, tc.amount, got, tc.want)
		}
	}
}
