package einvoice_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/einvoice"
	"rebill/engine/invoice"
)

// line is a printed line of a test invoice: its section, description and
// amount.
type line struct{ section, name, amount string }

// spec describes a test invoice; the helper derives the stored figures
// (subtotals, tax, total) so that a case states only its inputs.
type spec struct {
	kind      invoice.Kind
	currency  string
	lines     []line
	discount  string // printed discount (negative), "" none
	discPct   string
	discBase  string // the base the discount or uplift was computed on
	wording   string // the reseller's uplift wording: "" folds an uplift into the lines
	credits   string // reseller credits applied (negative), "" none
	taxPct    string // one VAT rate, "" none
	taxBase   string // the stored tax base
	taxAmount string
	extraTax  bool // a second rate on the same base
	buyer     customer.BuyerEInvoice
	country   string
}

var seller = invoice.Seller{CompanyName: "Nimbus Cloud Partners Ltd", Address: []string{"7 Cloud Court", "Manchester M1 2AB", "United Kingdom"},
	Email: "billing@nimbus.example", Phone: "+44 161 496 0000", TaxNumber: "GB 987 6543 21", Country: "GB",
	EInvoice: customer.SellerEInvoice{VATID: "GB987654321", LegalID: "5060000000009", LegalScheme: "0088",
		Address: "GB987654321", AddressScheme: "9932", IBAN: "GB29NWBK60161331926819", BIC: "NWBKGB2L"}}

// stored makes the invoice as the store keeps it, read back through its
// JSON so that its figures are checked to add up as a stored invoice's.
func stored(t *testing.T, s spec) invoice.Invoice {
	t.Helper()
	d := decimal.RequireFromString
	cur := s.currency
	if cur == "" {
		cur = "EUR"
	}
	type jl struct {
		Service string `json:"service"`
		Amount  string `json:"amount"`
	}
	type js struct {
		Type     string `json:"product_type"`
		Lines    []jl   `json:"lines"`
		Subtotal string `json:"subtotal"`
	}
	var secs []js
	sub, market := decimal.Zero, decimal.Zero
	for _, l := range s.lines {
		if len(secs) == 0 || secs[len(secs)-1].Type != l.section {
			secs = append(secs, js{Type: l.section, Subtotal: "0"})
		}
		sec := &secs[len(secs)-1]
		sec.Lines = append(sec.Lines, jl{Service: l.name, Amount: l.amount})
		sec.Subtotal = d(sec.Subtotal).Add(d(l.amount)).String()
		sub = sub.Add(d(l.amount))
		if l.section == "Marketplace" {
			market = market.Add(d(l.amount))
		}
	}
	or0 := func(v string) string {
		if v == "" {
			return "0"
		}
		return v
	}
	type jt struct {
		Name    string `json:"name"`
		Percent string `json:"percent"`
		Base    string `json:"base"`
		Amount  string `json:"amount"`
	}
	var taxes []jt
	tax := decimal.Zero
	if s.taxPct != "" {
		taxes = append(taxes, jt{"VAT " + s.taxPct + "%", s.taxPct, s.taxBase, s.taxAmount})
		tax = d(s.taxAmount)
		if s.extraTax {
			taxes = append(taxes, jt{"County tax 1%", "1", s.taxBase, "1.00"})
			tax = tax.Add(d("1.00"))
		}
	}
	total := sub.Add(d(or0(s.discount))).Add(d(or0(s.credits))).Add(tax)
	kind := s.kind
	if kind == "" {
		kind = invoice.KindInvoice
	}
	country := s.country
	if country == "" {
		country = "DE"
	}
	v := map[string]any{
		"version": 1, "id": "7", "kind": kind, "number": "INV-2026-00007", "customer_id": "FAB", "period": "2026-09", "status": "open",
		"currency": cur, "sections": secs, "subtotal": sub.String(), "discount": or0(s.discount), "discount_percent": or0(s.discPct), "discount_base": or0(s.discBase),
		"support": "0", "marketplace": market.String(), "credits_applied": or0(s.credits), "tax_lines": taxes, "tax": tax.String(),
		"total": total.String(), "unrounded": total.String(), "rates": []any{},
		"customer": invoice.Party{Name: "Fabrikam Analytics GmbH", TermsDays: 30,
			Contact:  customer.Contact{Name: "Uwe Becker", Email: "rechnung@fabrikam.example", Address: []string{"Hafenstrasse 3", "20457 Hamburg"}, Country: country},
			EInvoice: s.buyer},
		"seller": seller, "issue_date": "2026-10-05", "due_date": "2026-11-04", "paid_date": nil, "void_date": nil,
		"generated": "2026-10-05T09:00:00Z", "options": map[string]any{},
	}
	sel := seller
	sel.UpliftWording = s.wording
	v["seller"] = sel
	if kind == invoice.KindCreditNote {
		v["number"], v["corrects"], v["corrects_number"], v["reason"], v["due_date"] = "CN-2026-00001", "6", "INV-2026-00006", "Credited in full", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var inv invoice.Invoice
	if err := json.Unmarshal(b, &inv); err != nil {
		t.Fatalf("test invoice: %v\n%s", err, b)
	}
	return inv
}

// validator is the EN 16931 validation script, or "" with the reason
// it cannot run here.
func validator() (string, string) {
	p, err := filepath.Abs("../../../shared/validation/en16931/validate")
	if err != nil {
		return "", err.Error()
	}
	if _, err := os.Stat(p); err != nil {
		return "", "the EN 16931 validation script is not at " + p
	}
	if _, err := exec.LookPath("npm"); err != nil {
		if _, err := exec.LookPath("node"); err != nil {
			return "", "node and npm are needed to run the EN 16931 rules"
		}
	}
	return p, ""
}

// validate runs the official EN 16931 rules over xml and fails the test
// with every failed rule; it skips when the rules cannot run here.
func validate(t *testing.T, xml []byte, syntax string) {
	t.Helper()
	script, why := validator()
	if script == "" {
		t.Skip(why)
	}
	f := filepath.Join(t.TempDir(), "e.xml")
	if err := os.WriteFile(f, xml, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(script, f, syntax).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 2 {
		t.Skipf("the EN 16931 rules could not run: %s", out)
	}
	if err != nil || !bytes.Contains(out, []byte(" 0 failed")) {
		t.Fatalf("%s does not validate (%v):\n%s\n%s", syntax, err, out, xml)
	}
}

// write renders d in a syntax.
func write(t *testing.T, d einvoice.Document, syntax string) []byte {
	t.Helper()
	var b bytes.Buffer
	var err error
	switch syntax {
	case "cii":
		err = einvoice.CII(&b, d)
	default:
		err = einvoice.UBL(&b, d, syntax == "xrechnung")
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// amounts are the key totals of a case, as the hand computes them.
type amounts struct{ lineNet, withoutVAT, vat, withVAT, due string }

func (a amounts) check(t *testing.T, d einvoice.Document) {
	t.Helper()
	got := amounts{d.Totals.LineNet.StringFixed(2), d.Totals.WithoutVAT.StringFixed(2), d.Totals.VAT.StringFixed(2),
		d.Totals.WithVAT.StringFixed(2), d.Totals.Due.StringFixed(2)}
	if got != a {
		t.Errorf("BT-106/109/110/112/115 = %+v, want %+v", got, a)
	}
}

// has reports whether xml contains every fragment.
func has(t *testing.T, xml []byte, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if !strings.Contains(string(xml), f) {
			t.Errorf("the XML has no %s", f)
		}
	}
}
