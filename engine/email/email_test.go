package email

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/invoice"

	"github.com/shopspring/decimal"
)

// now is a Monday: 2026-10-05T09:30:00Z is 20,731 days after 1970-01-01
// (56 years with 14 leap days, plus 277 days), 1,791,192,600 seconds.
var now = time.Date(2026, 10, 5, 9, 30, 0, 0, time.UTC)

func amount(t *testing.T, s string) billing.Amount {
	t.Helper()
	var a billing.Amount
	if err := a.UnmarshalJSON([]byte(`"` + s + `"`)); err != nil {
		t.Fatal(err)
	}
	return a
}

// part is one MIME part of a written message as a reader sees it.
type part struct {
	header   map[string]string // Content-Type, Content-Disposition, Content-Transfer-Encoding
	raw      string            // the part's body as written
	decoded  string            // after its transfer encoding
	filename string
}

// read parses a written message back with the standard library: its
// top-level headers as written (still encoded) and its parts.
func read(t *testing.T, b []byte) (mail.Header, []part) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not an RFC 5322 message: %v\n%s", err, b)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/mixed" {
		t.Fatalf("Content-Type %q: %v", msg.Header.Get("Content-Type"), err)
	}
	var parts []part
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		// NextRawPart leaves quoted-printable as written.
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(p)
		got := part{header: map[string]string{}, raw: string(raw), filename: p.FileName()}
		for _, k := range []string{"Content-Type", "Content-Disposition", "Content-Transfer-Encoding"} {
			got.header[k] = p.Header.Get(k)
		}
		switch got.header["Content-Transfer-Encoding"] {
		case "quoted-printable":
			d, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(got.raw)))
			if err != nil {
				t.Fatal(err)
			}
			got.decoded = string(d)
		case "base64":
			d, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(got.raw, "\r\n", ""))
			if err != nil {
				t.Fatal(err)
			}
			got.decoded = string(d)
		}
		parts = append(parts, got)
	}
	return msg.Header, parts
}

// The composed message of an invoice and of a credit note, written and
// read back: the headers as written (RFC 2047 words for non-ASCII names
// and subjects: Q for plain words, B for a name with a comma), the text
// (quoted-printable, CRLF line ends) and each attachment's MIME part
// (base64 in lines of at most 76).
func TestComposeAndWrite(t *testing.T) {
	// 99 bytes of "A" are 33 groups "QUFB" in base64: a line of 76
	// characters (19 groups), then one of 56 (14 groups).
	as := strings.Repeat("A", 99)
	cases := []struct {
		name        string
		inv         invoice.Invoice
		settled     *invoice.Settlement
		from, to    mail.Address
		attachments []Attachment
		headers     map[string]string
		body        string
		parts       []part
	}{
		{
			name: "an invoice in ASCII",
			inv: invoice.Invoice{ID: "7", Number: "NCP-2026-00001", Kind: invoice.KindInvoice, Status: invoice.Open,
				Figures:  invoice.Figures{Currency: "USD", Total: amount(t, "1234.5")},
				DueDate:  invoice.NewDate(2026, 11, 4),
				Customer: invoice.Party{Name: "Acme Corp"},
				Seller: invoice.Seller{CompanyName: "Nimbus Cloud Partners Ltd", Email: "billing@nimbus.example", Phone: "+44 20 7946 0000",
					PaymentInstructions: "Transfer to IBAN GB33BUKB20201555555555"}},
			from:        mail.Address{Name: "Nimbus Cloud Partners Ltd", Address: "billing@nimbus.example"},
			to:          mail.Address{Name: "Acme Corp", Address: "ap@acme.example"},
			attachments: []Attachment{{Name: "NCP-2026-00001.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.7\n")}},
			headers: map[string]string{
				"From":         `"Nimbus Cloud Partners Ltd" <billing@nimbus.example>`,
				"To":           `"Acme Corp" <ap@acme.example>`,
				"Subject":      "Invoice NCP-2026-00001 from Nimbus Cloud Partners Ltd",
				"Date":         "Mon, 05 Oct 2026 09:30:00 +0000",
				"Message-Id":   "<rebill.7.1791192600000000000@nimbus.example>",
				"Mime-Version": "1.0",
			},
			body: "Hello,\r\n\r\n" +
				"Please find attached invoice NCP-2026-00001 for Acme Corp (NCP-2026-00001.pdf).\r\n\r\n" +
				"Total: USD 1,234.50\r\n" +
				"Due date: 2026-11-04\r\n\r\n" +
				"Payment: Transfer to IBAN GB33BUKB20201555555555\r\n\r\n" +
				"Kind regards,\r\nNimbus Cloud Partners Ltd\r\nbilling@nimbus.example\r\n+44 20 7946 0000\r\n",
			parts: []part{{
				header: map[string]string{"Content-Type": "application/pdf; name=NCP-2026-00001.pdf",
					"Content-Disposition": "attachment; filename=NCP-2026-00001.pdf", "Content-Transfer-Encoding": "base64"},
				// "%PD" "F-1" ".7\n" are JVBE Ri0x LjcK.
				raw: "JVBERi0xLjcK\r\n", decoded: "%PDF-1.7\n", filename: "NCP-2026-00001.pdf"}},
		},
		{
			name: "a credit note to a customer with accents, with its XML",
			inv: invoice.Invoice{ID: "12", Number: "CN-2026-00001", Kind: invoice.KindCreditNote, Status: invoice.Open,
				Figures:  invoice.Figures{Currency: "EUR", Total: amount(t, "-80")},
				Customer: invoice.Party{Name: "Société Générale", Contact: customer.Contact{Name: "Zoë Ångström"}},
				Seller:   invoice.Seller{CompanyName: "Müller Cloud GmbH", PaymentInstructions: "not printed on a credit note"}},
			from: mail.Address{Name: "Müller Cloud GmbH", Address: "rechnung@mueller.example"},
			to:   mail.Address{Name: "Société Générale", Address: "ap@sg.example"},
			attachments: []Attachment{
				{Name: "CN-2026-00001.pdf", ContentType: "application/pdf", Data: []byte(as)},
				{Name: "CN-2026-00001.xml", ContentType: "application/xml", Data: []byte("<a/>")},
			},
			headers: map[string]string{
				"From":       "=?utf-8?q?M=C3=BCller_Cloud_GmbH?= <rechnung@mueller.example>",
				"To":         "=?utf-8?q?Soci=C3=A9t=C3=A9_G=C3=A9n=C3=A9rale?= <ap@sg.example>",
				"Subject":    "=?utf-8?q?Credit_note_CN-2026-00001_from_M=C3=BCller_Cloud_GmbH?=",
				"Message-Id": "<rebill.12.1791192600000000000@mueller.example>",
			},
			body: "Hello Zoë Ångström,\r\n\r\n" +
				"Please find attached credit note CN-2026-00001 for Société Générale (CN-2026-00001.pdf, CN-2026-00001.xml).\r\n\r\n" +
				"Total: EUR -80.00\r\n\r\n" +
				"Kind regards,\r\nMüller Cloud GmbH\r\n",
			parts: []part{
				{header: map[string]string{"Content-Type": "application/pdf; name=CN-2026-00001.pdf",
					"Content-Disposition": "attachment; filename=CN-2026-00001.pdf", "Content-Transfer-Encoding": "base64"},
					raw: strings.Repeat("QUFB", 19) + "\r\n" + strings.Repeat("QUFB", 14) + "\r\n", decoded: as, filename: "CN-2026-00001.pdf"},
				// "<a/" ">" are PGEv Pg==.
				{header: map[string]string{"Content-Type": "application/xml; name=CN-2026-00001.xml",
					"Content-Disposition": "attachment; filename=CN-2026-00001.xml", "Content-Transfer-Encoding": "base64"},
					raw: "PGEvPg==\r\n", decoded: "<a/>", filename: "CN-2026-00001.xml"},
			},
		},
		{
			// A non-ASCII name with a comma cannot be a Q word in a
			// display name (RFC 2047 5.3): "Café, Lyon" in base64 is
			// Q2Fm w6ks IEx5 b24=. The yen has no minor unit.
			name: "a name with a comma",
			inv: invoice.Invoice{ID: "3", Number: "NCP-2026-00009", Kind: invoice.KindInvoice,
				Figures: invoice.Figures{Currency: "JPY", Total: amount(t, "1200")}, Customer: invoice.Party{Name: "Café, Lyon"},
				Seller: invoice.Seller{CompanyName: "Nimbus"}},
			from: mail.Address{Address: "billing@nimbus.example"},
			to:   mail.Address{Name: "Café, Lyon", Address: "compta@cafe.example"},
			headers: map[string]string{
				"From":    "<billing@nimbus.example>",
				"To":      "=?utf-8?b?Q2Fmw6ksIEx5b24=?= <compta@cafe.example>",
				"Subject": "Invoice NCP-2026-00009 from Nimbus",
			},
			body: "Hello,\r\n\r\nPlease find attached invoice NCP-2026-00009 for Café, Lyon ().\r\n\r\n" +
				"Total: JPY 1,200\r\n\r\nKind regards,\r\nNimbus\r\n",
		},
		{
			// The IBAN entered for e-invoices only says how to pay, as
			// the PDF attached says it, in plain spaces.
			name: "the account of the e-invoicing settings",
			inv: invoice.Invoice{ID: "4", Number: "NCP-2026-00010", Kind: invoice.KindInvoice, Status: invoice.Open,
				Figures: invoice.Figures{Currency: "EUR", Total: amount(t, "10")}, Customer: invoice.Party{Name: "Acme"},
				Seller: invoice.Seller{CompanyName: "Nimbus", EInvoice: customer.SellerEInvoice{IBAN: "GB33BUKB20201555555555"}}},
			from: mail.Address{Address: "billing@nimbus.example"},
			to:   mail.Address{Address: "ap@acme.example"},
			body: "Hello,\r\n\r\nPlease find attached invoice NCP-2026-00010 for Acme ().\r\n\r\n" +
				"Total: EUR 10.00\r\n\r\nPayment: Bank transfer to IBAN GB33 BUKB 2020 1555 5555 55.\r\n\r\nKind regards,\r\nNimbus\r\n",
		},
		{
			// Sent again after a credit note and a payment: the body
			// says them and the balance, as the attached copy prints
			// them: 1,234.50 - 100.00 - 34.50 = 1,100.00.
			name: "an invoice partly credited and paid",
			inv: invoice.Invoice{ID: "5", Number: "NCP-2026-00011", Kind: invoice.KindInvoice, Status: invoice.Open,
				Figures: invoice.Figures{Currency: "USD", Total: amount(t, "1234.5")}, DueDate: invoice.NewDate(2026, 11, 4),
				Customer: invoice.Party{Name: "Acme"}, Seller: invoice.Seller{CompanyName: "Nimbus"}},
			settled: &invoice.Settlement{Entries: []invoice.SettlementEntry{
				{Date: invoice.NewDate(2026, 10, 10), Document: "CN-2026-00004", Amount: usd("-100")},
				{Date: invoice.NewDate(2026, 10, 12), Reference: "BANK-7", Amount: usd("-34.5")},
			}, Balance: usd("1100")},
			from: mail.Address{Address: "billing@nimbus.example"},
			to:   mail.Address{Address: "ap@acme.example"},
			body: "Hello,\r\n\r\nPlease find attached invoice NCP-2026-00011 for Acme ().\r\n\r\n" +
				"Total: USD 1,234.50\r\nCredit note CN-2026-00004 of 2026-10-10: USD -100.00\r\nPaid on 2026-10-12, reference BANK-7: USD -34.50\r\n" +
				"Balance due: USD 1,100.00\r\nDue date: 2026-11-04\r\n\r\nKind regards,\r\nNimbus\r\n",
		},
	}
	boundary := regexp.MustCompile(`^multipart/mixed; boundary="rebill-[0-9a-f]{24}"$`)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := Compose(c.inv, c.settled, c.from, c.to, c.attachments, now)
			b, err := m.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(strings.ReplaceAll(string(b), "\r\n", ""), "\n") {
				t.Error("a bare LF: lines must end in CRLF")
			}
			for _, l := range strings.Split(string(b), "\r\n") {
				if len(l) > 78 {
					t.Errorf("a line of %d characters: %q", len(l), l)
				}
			}
			h, parts := read(t, b)
			for k, v := range c.headers {
				if got := h.Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
			if ct := h.Get("Content-Type"); !boundary.MatchString(ct) {
				t.Errorf("Content-Type %q", ct)
			}
			if len(parts) != 1+len(c.parts) {
				t.Fatalf("%d parts, want the text and %d attachments", len(parts), len(c.parts))
			}
			text := parts[0]
			if text.header["Content-Type"] != "text/plain; charset=utf-8" || text.header["Content-Transfer-Encoding"] != "quoted-printable" || text.filename != "" {
				t.Errorf("the text part: %v %q", text.header, text.filename)
			}
			if text.decoded != c.body {
				t.Errorf("body\n%q\nwant\n%q", text.decoded, c.body)
			}
			for _, r := range text.raw {
				if r > 126 {
					t.Errorf("the quoted-printable text has a raw non-ASCII %q", r)
					break
				}
			}
			for i, w := range c.parts {
				g := parts[i+1]
				if g.filename != w.filename || g.raw != w.raw || g.decoded != w.decoded {
					t.Errorf("attachment %d: %q %q (%q), want %q %q", i, g.filename, g.raw, g.decoded, w.filename, w.raw)
				}
				for k, v := range w.header {
					if g.header[k] != v {
						t.Errorf("attachment %d %s: %q, want %q", i, k, g.header[k], v)
					}
				}
			}
		})
	}
}

// The text part keeps a non-ASCII word intact in quoted-printable: é is
// the UTF-8 bytes C3 A9, written =C3=A9.
func TestBodyIsQuotedPrintable(t *testing.T) {
	inv := invoice.Invoice{ID: "1", Number: "N-1", Kind: invoice.KindInvoice, Customer: invoice.Party{Name: "Dé"},
		Figures: invoice.Figures{Currency: "EUR", Total: amount(t, "1")}, Seller: invoice.Seller{CompanyName: "S"}}
	b, err := Compose(inv, nil, mail.Address{Address: "a@s.example"}, mail.Address{Address: "b@d.example"}, nil, now).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("for D=C3=A9 ().")) {
		t.Errorf("no =C3=A9 in\n%s", b)
	}
}

// The same message writes the same bytes; another sending (another
// instant) has another Message-ID and boundary.
func TestWriteIsDeterministic(t *testing.T) {
	inv := invoice.Invoice{ID: "7", Number: "N-1", Kind: invoice.KindInvoice, Seller: invoice.Seller{CompanyName: "S"}}
	from, to := mail.Address{Address: "a@s.example"}, mail.Address{Address: "b@d.example"}
	att := []Attachment{{Name: "N-1.pdf", ContentType: "application/pdf", Data: []byte("x")}}
	a, _ := Compose(inv, nil, from, to, att, now).Bytes()
	b, _ := Compose(inv, nil, from, to, att, now).Bytes()
	c, _ := Compose(inv, nil, from, to, att, now.Add(time.Second)).Bytes()
	if !bytes.Equal(a, b) {
		t.Error("the same message wrote different bytes")
	}
	ha, _ := read(t, a)
	hc, _ := read(t, c)
	if ha.Get("Message-Id") != "<rebill.7.1791192600000000000@s.example>" || hc.Get("Message-Id") != "<rebill.7.1791192601000000000@s.example>" {
		t.Errorf("Message-IDs %s and %s", ha.Get("Message-Id"), hc.Get("Message-Id"))
	}
	if ha.Get("Content-Type") == hc.Get("Content-Type") {
		t.Error("two sendings share a boundary")
	}
}

// A typed address reads with or without a name; a bad one says what it
// was and how to write it.
func TestParseAddress(t *testing.T) {
	cases := []struct {
		in, name, addr, err string
	}{
		{" ap@acme.example ", "", "ap@acme.example", ""},
		{"Acme AP <ap@acme.example>", "Acme AP", "ap@acme.example", ""},
		{"=?utf-8?q?Z=C3=AB?= <z@e.example>", "Zë", "z@e.example", ""},
		{"ap.acme.example", "", "", `the sender "ap.acme.example" is not an e-mail address`},
		{"", "", "", `the sender "" is not an e-mail address`},
	}
	for _, c := range cases {
		a, err := ParseAddress("the sender", c.in)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err) || !strings.HasSuffix(err.Error(), "write it as name@example.com")):
			t.Errorf("%q: %v, want %q", c.in, err, c.err)
		case c.err == "" && (err != nil || a.Name != c.name || a.Address != c.addr):
			t.Errorf("%q: %+v %v", c.in, a, err)
		}
	}
}

// usd is an amount of dollars as a settlement holds it.
func usd(d string) billing.Amount { return billing.HalfUp.Round(decimal.RequireFromString(d), "USD") }
