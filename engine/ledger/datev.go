package ledger

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"golang.org/x/text/encoding/charmap"

	"rebill/engine/invoice"
	"rebill/engine/money"
	"rebill/engine/words"
)

// DATEV's Buchungsstapel as its Formatbeschreibung (developer.datev.de,
// "DATEV-Format", header version 700, Buchungsstapel format version 13)
// defines it: a header line of 31 fields, a line of 125 column headings,
// then one booking a line; fields separated by semicolons, text quoted,
// amounts positive with a decimal comma and the side in
// Soll/Haben-Kennzeichen, Windows-1252 text and CRLF line ends.
const (
	datevVersion       = 700
	datevCategory      = 21
	datevFormatVersion = 13
)

// DATEVColumns are the 125 column headings of a Buchungsstapel, format
// version 13, in DATEV's order (its importer reads columns by position).
var DATEVColumns = []string{
	"Umsatz (ohne Soll/Haben-Kz)", "Soll/Haben-Kennzeichen", "WKZ Umsatz", "Kurs", "Basis-Umsatz", "WKZ Basis-Umsatz",
	"Konto", "Gegenkonto (ohne BU-Schlüssel)", "BU-Schlüssel", "Belegdatum", "Belegfeld 1", "Belegfeld 2", "Skonto",
	"Buchungstext", "Postensperre", "Diverse Adressnummer", "Geschäftspartnerbank", "Sachverhalt", "Zinssperre", "Beleglink",
	"Beleginfo - Art 1", "Beleginfo - Inhalt 1", "Beleginfo - Art 2", "Beleginfo - Inhalt 2", "Beleginfo - Art 3", "Beleginfo - Inhalt 3",
	"Beleginfo - Art 4", "Beleginfo - Inhalt 4", "Beleginfo - Art 5", "Beleginfo - Inhalt 5", "Beleginfo - Art 6", "Beleginfo - Inhalt 6",
	"Beleginfo - Art 7", "Beleginfo - Inhalt 7", "Beleginfo - Art 8", "Beleginfo - Inhalt 8",
	"KOST1 - Kostenstelle", "KOST2 - Kostenstelle", "Kost-Menge", "EU-Land u. UStID (Bestimmung)", "EU-Steuersatz (Bestimmung)",
	"Abw. Versteuerungsart", "Sachverhalt L+L", "Funktionsergänzung L+L", "BU 49 Hauptfunktionstyp", "BU 49 Hauptfunktionsnummer",
	"BU 49 Funktionsergänzung",
	"Zusatzinformation - Art 1", "Zusatzinformation- Inhalt 1", "Zusatzinformation - Art 2", "Zusatzinformation- Inhalt 2",
	"Zusatzinformation - Art 3", "Zusatzinformation- Inhalt 3", "Zusatzinformation - Art 4", "Zusatzinformation- Inhalt 4",
	"Zusatzinformation - Art 5", "Zusatzinformation- Inhalt 5", "Zusatzinformation - Art 6", "Zusatzinformation- Inhalt 6",
	"Zusatzinformation - Art 7", "Zusatzinformation- Inhalt 7", "Zusatzinformation - Art 8", "Zusatzinformation- Inhalt 8",
	"Zusatzinformation - Art 9", "Zusatzinformation- Inhalt 9", "Zusatzinformation - Art 10", "Zusatzinformation- Inhalt 10",
	"Zusatzinformation - Art 11", "Zusatzinformation- Inhalt 11", "Zusatzinformation - Art 12", "Zusatzinformation- Inhalt 12",
	"Zusatzinformation - Art 13", "Zusatzinformation- Inhalt 13", "Zusatzinformation - Art 14", "Zusatzinformation- Inhalt 14",
	"Zusatzinformation - Art 15", "Zusatzinformation- Inhalt 15", "Zusatzinformation - Art 16", "Zusatzinformation- Inhalt 16",
	"Zusatzinformation - Art 17", "Zusatzinformation- Inhalt 17", "Zusatzinformation - Art 18", "Zusatzinformation- Inhalt 18",
	"Zusatzinformation - Art 19", "Zusatzinformation- Inhalt 19", "Zusatzinformation - Art 20", "Zusatzinformation- Inhalt 20",
	"Stück", "Gewicht", "Zahlweise", "Forderungsart", "Veranlagungsjahr", "Zugeordnete Fälligkeit", "Skontotyp", "Auftragsnummer",
	"Buchungstyp", "USt-Schlüssel (Anzahlungen)", "EU-Land (Anzahlungen)", "Sachverhalt L+L (Anzahlungen)",
	"EU-Steuersatz (Anzahlungen)", "Erlöskonto (Anzahlungen)", "Herkunft-Kz", "Buchungs GUID", "KOST-Datum",
	"SEPA-Mandatsreferenz", "Skontosperre", "Gesellschaftername", "Beteiligtennummer", "Identifikationsnummer", "Zeichnernummer",
	"Postensperre bis", "Bezeichnung SoBil-Sachverhalt", "Kennzeichen SoBil-Buchung", "Festschreibung", "Leistungsdatum",
	"Datum Zuord. Steuerperiode", "Fälligkeit", "Generalumkehr (GU)", "Steuersatz", "Land", "Abrechnungsreferenz",
	"BVV-Position", "EU-Land u. UStID (Ursprung)", "EU-Steuersatz (Ursprung)", "Abw. Skontokonto",
}

// DATEV's limits on a booking's fields.
const (
	datevBelegMax = 36 // Belegfeld 1
	datevTextMax  = 60 // Buchungstext
	datevLabelMax = 30 // the batch's Bezeichnung
)

// datevBeleg is what Belegfeld 1 may hold (DATEV refuses other characters).
var datevBeleg = regexp.MustCompile(`^[A-Za-z0-9$&%*+\-/]{1,36}$`)

var digits = regexp.MustCompile(`^[1-9][0-9]*$`)

// writeDATEV builds the Buchungsstapel. It refuses, saying what to
// change, whatever DATEV would refuse on import: a period across two
// fiscal years (a batch belongs to one), documents in several currencies,
// account numbers that are not numbers or too long, a document number
// Belegfeld 1 cannot hold.
func writeDATEV(ps []Posting, m Mapping, o Options, s *Summary) ([]byte, error) {
	wj := fiscalStart(o.From, m.FiscalStart)
	wjEnd := invoice.NewDate(wj.Time().Year()+1, wj.Time().Month(), 1).AddDays(-1)
	switch {
	case o.Until.After(wjEnd):
		return nil, fmt.Errorf("a DATEV batch holds one fiscal year: %s to %s crosses its end on %s; export up to %s, then from the day after", o.From, o.Until, wjEnd, wjEnd)
	case o.From.Time().Year() != o.Until.Time().Year():
		return nil, fmt.Errorf("a DATEV batch holds one calendar year (Datum vom and Datum bis): export %s to %d-12-31, then the rest", o.From, o.From.Time().Year())
	case !digits.MatchString(m.Consultant) || len(m.Consultant) > 7 || atoi(m.Consultant) < 1001:
		return nil, fmt.Errorf("the DATEV consultant number %q must be 1001 to 9999999: set it in Settings > Ledger accounts", m.Consultant)
	case !digits.MatchString(m.Client) || len(m.Client) > 5:
		return nil, fmt.Errorf("the DATEV client number %q must be 1 to 99999: set it in Settings > Ledger accounts", m.Client)
	}
	var currencies []string
	for _, p := range ps {
		if !slices.Contains(currencies, p.Currency) {
			currencies = append(currencies, p.Currency)
		}
	}
	if len(currencies) > 1 {
		slices.Sort(currencies)
		return nil, fmt.Errorf("the documents are in %s; a DATEV batch holds one currency: export one currency at a time (%s), choosing it in Export to ledger > Currency",
			words.List(currencies), strings.Join(currencies, ", then "))
	}
	currency := "EUR"
	if len(currencies) == 1 {
		currency = currencies[0]
	}
	account := func(what, a string, max int) error {
		if !digits.MatchString(a) || len(a) > max {
			return fmt.Errorf("%s account %q is not a DATEV account of at most %d digits: change it in Settings > Ledger accounts", what, a, max)
		}
		return nil
	}
	var lines [][]string
	for _, p := range ps {
		if !datevBeleg.MatchString(p.Number) {
			return nil, fmt.Errorf("document number %q cannot be DATEV's Belegfeld 1 (at most 36 of A-Z a-z 0-9 $ & %% * + - /): choose such a number format in Settings > Invoice numbers > Number format for new documents", p.Number)
		}
		if err := account(p.Customer.Name+"'s receivable", p.Receivable, m.AccountLength+1); err != nil {
			return nil, err
		}
		s.count(p)
		book := func(amount decimal.Decimal, contra, code, label string) error {
			if amount.IsZero() {
				return nil // DATEV refuses a booking of 0,00
			}
			if err := account("the "+label, contra, m.AccountLength+1); err != nil {
				return err
			}
			side := "S" // the debtor is debited: the customer owes more
			if amount.IsNegative() {
				side = "H"
			}
			f := make([]string, len(DATEVColumns))
			f[0] = datevAmount(amount, p.Currency)
			f[1], f[2] = quote(side), quote(p.Currency)
			f[6], f[7], f[8] = p.Receivable, contra, quote(code)
			f[9] = p.Date.Time().Format("0201")
			f[10] = quote(p.Number)
			f[13] = quote(cut(docText(p)+" "+p.Customer.Name+", "+label, datevTextMax))
			lines = append(lines, f)
			s.Bookings++
			return nil
		}
		for _, g := range p.Groups {
			code := ""
			if p.Gross && g.Taxed {
				code = g.TaxCode
			}
			if err := book(g.Net.Add(g.Tax), g.Account, code, g.Label); err != nil {
				return nil, err
			}
		}
		if !p.Gross {
			for _, t := range p.Taxes {
				if err := book(t.Amount, t.Account, "", t.Name); err != nil {
					return nil, err
				}
			}
		}
		if p.Gross {
			s.note("DATEV computes the tax from each gross booking and its BU-Schlüssel; a document's tax computed by DATEV may differ from the invoice's by a cent of rounding")
		}
	}
	head := []string{quote("EXTF"), strconv.Itoa(datevVersion), strconv.Itoa(datevCategory), quote("Buchungsstapel"), strconv.Itoa(datevFormatVersion),
		o.Now.Format("20060102150405") + fmt.Sprintf("%03d", o.Now.Nanosecond()/int(time.Millisecond)), "", quote("RE"), quote("Rebill"), quote(""),
		m.Consultant, m.Client, ymd(wj), strconv.Itoa(m.AccountLength), ymd(o.From), ymd(o.Until),
		quote(cut("Rebill "+o.From.String()+" "+o.Until.String(), datevLabelMax)), quote(""), "1", "0", "0", quote(currency),
		"", quote(""), "", "", quote(m.Chart), "", "", quote(""), quote("")}
	var b strings.Builder
	b.WriteString(strings.Join(head, ";") + "\r\n")
	b.WriteString(strings.Join(DATEVColumns, ";") + "\r\n")
	for _, f := range lines {
		b.WriteString(strings.Join(f, ";") + "\r\n")
	}
	return windows1252(b.String()), nil
}

// datevAmount writes Umsatz: positive, a decimal comma and at least the
// two decimals DATEV reads (a yen amount, with none, is written 1235,00).
func datevAmount(d decimal.Decimal, currency string) string {
	places, ok := money.MinorUnits(currency)
	if !ok || places < 2 {
		places = 2
	}
	return strings.Replace(d.Abs().StringFixed(int32(places)), ".", ",", 1)
}

// fiscalStart is the first day of the fiscal year holding day.
func fiscalStart(day invoice.Date, month int) invoice.Date {
	y := day.Time().Year()
	if int(day.Time().Month()) < month {
		y--
	}
	return invoice.NewDate(y, time.Month(month), 1)
}

func ymd(d invoice.Date) string { return d.Time().Format("20060102") }

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// quote writes a DATEV text field: in double quotes, a quote inside
// doubled, no line breaks.
func quote(s string) string {
	s = strings.NewReplacer("\r", " ", "\n", " ", "\t", " ").Replace(s)
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// cut shortens s to at most n characters (not bytes).
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// windows1252 encodes s as DATEV reads it; a character Windows-1252 has
// not (a Japanese customer name) becomes "?" rather than failing the
// whole export.
func windows1252(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if b, ok := charmap.Windows1252.EncodeRune(r); ok {
			out = append(out, b)
		} else {
			out = append(out, '?')
		}
	}
	return out
}
