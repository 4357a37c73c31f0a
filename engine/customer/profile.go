package customer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // DecodeConfig reads JPEG logos
	_ "image/png"  // and PNG logos
	"strconv"
	"strings"
	"time"
)

// Profile is the reseller's public identity as printed on every invoice
// (Settings > Account information), with the invoice number format and the
// defaults new customers start from.
//
// The invoice counter (the sequence number the next invoice takes) is not
// part of it: it is the store's, advanced only by issuing an invoice or by
// an explicit, audited move forward, so that saving the profile can never
// set the series back (numbers issued twice) or jump it (a gap).
type Profile struct {
	CompanyName string `json:"company_name"`
	// Logo is the PNG or JPEG image printed on invoices. It is kept out of
	// the JSON (the store keeps the bytes beside it) so that the profile
	// and its change-log entries stay small; MarshalJSON adds its size and
	// SHA-256 instead, so a changed logo still shows in the change log.
	Logo      []byte   `json:"-"`
	LogoType  string   `json:"logo_type"` // LogoPNG, LogoJPEG or "" without a logo
	Address   []string `json:"address"`   // lines, as printed
	Email     string   `json:"email"`
	Phone     string   `json:"phone"`
	Website   string   `json:"website"`
	TaxNumber string   `json:"tax_number"`
	// Country is where the reseller is (ISO 3166-1 alpha-2, e.g. FR):
	// its public holidays are skipped when counting the business days
	// before a month may be invoiced.
	Country             string `json:"country,omitempty"`
	PaymentInstructions string `json:"payment_instructions"`
	// NumberFormat makes invoice numbers: see FormatNumber.
	NumberFormat     string `json:"invoice_number_format"`
	DefaultCurrency  string `json:"default_currency"`
	DefaultTermsDays int    `json:"default_payment_terms_days"`
	// UpliftWording is how documents print a customer's uplift (a
	// positive global adjustment): empty, the default, folds it into the
	// prices of the service lines it applies to, as a price the customer
	// pays; otherwise it is printed as its own line under these words with
	// its rate and base ("Service management 5% of 232.21"). A discount is
	// always printed as a discount.
	UpliftWording string `json:"uplift_wording,omitempty"`
	// PaperSize is the paper documents are laid out for: PaperA4 (also
	// when empty) or PaperLetter.
	PaperSize string `json:"paper_size,omitempty"`
	// EInvoice is what the reseller's e-invoices need beyond the printed
	// profile: VAT and registration ids, electronic address, bank.
	EInvoice SellerEInvoice `json:"einvoice,omitzero"`
}

// Paper sizes of PaperSize.
const (
	PaperA4     = "A4"
	PaperLetter = "Letter"
)

// Logo limits: an invoice logo is a small image; anything bigger would
// bloat every PDF and the database.
const (
	MaxLogoBytes  = 1 << 20 // 1 MiB
	MaxLogoPixels = 4096    // per side
)

// Logo MIME types.
const (
	LogoPNG  = "image/png"
	LogoJPEG = "image/jpeg"
)

// DefaultProfile is the profile of a new database: numbers like
// INV-2026-00001, US dollars, 30 days.
func DefaultProfile() Profile {
	return Profile{
		Address:          []string{},
		NumberFormat:     "INV-{YYYY}-{SEQ:5}",
		DefaultCurrency:  "USD",
		DefaultTermsDays: 30,
	}
}

// MarshalJSON writes the profile with logo_bytes and logo_sha256 in place
// of the logo's bytes.
func (p Profile) MarshalJSON() ([]byte, error) {
	type plain Profile
	out := struct {
		plain
		LogoBytes  int    `json:"logo_bytes"`
		LogoSHA256 string `json:"logo_sha256,omitempty"`
	}{plain: plain(p), LogoBytes: len(p.Logo)}
	if len(p.Logo) > 0 {
		sum := sha256.Sum256(p.Logo)
		out.LogoSHA256 = hex.EncodeToString(sum[:])
	}
	return json.Marshal(out)
}

// Defaults returns what a new customer starts from.
func (p Profile) Defaults() Defaults {
	return Defaults{Currency: p.DefaultCurrency, TermsDays: p.DefaultTermsDays}
}

// Normalize trims what people type, upper-cases the currency and drops
// blank address lines.
func (p *Profile) Normalize() {
	for _, s := range []*string{&p.CompanyName, &p.Email, &p.Phone, &p.Website, &p.TaxNumber,
		&p.PaymentInstructions, &p.NumberFormat, &p.UpliftWording, &p.PaperSize} {
		*s = strings.TrimSpace(*s)
	}
	switch strings.ToLower(p.PaperSize) {
	case "a4":
		p.PaperSize = PaperA4
	case "letter":
		p.PaperSize = PaperLetter
	}
	p.DefaultCurrency = strings.ToUpper(strings.TrimSpace(p.DefaultCurrency))
	p.Country = strings.ToUpper(strings.TrimSpace(p.Country))
	p.Address = normalizeLines(p.Address)
	p.EInvoice.normalize()
}

// Validate checks the profile. The company name may still be empty (the
// accountant fills the profile in over time); Ready says whether invoices
// can be issued. It returns nil or Problems named by ProfileKeys.
func (p Profile) Validate() error {
	var ps problems
	ps.addErr("invoice_number_format", CheckNumberFormat(p.NumberFormat))
	ps.addErr("default_currency", CheckCurrency("default currency", p.DefaultCurrency))
	if p.DefaultTermsDays < 0 {
		ps.add("default_payment_terms_days", "default payment terms of %d days are negative: write 0 for payment due on receipt", p.DefaultTermsDays)
	}
	ps.addErr("email", checkEmail(p.Email))
	if c := p.Country; c != "" && (len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z') {
		ps.add("country", "country %q is not a two-letter ISO 3166 code such as FR or US", c)
	}
	ps.addErr("address", checkLines("address", p.Address))
	p.EInvoice.validate(&ps)
	if p.PaperSize != "" && p.PaperSize != PaperA4 && p.PaperSize != PaperLetter {
		ps.add("paper_size", "paper size %q is neither A4 nor Letter", p.PaperSize)
	}
	if len(p.UpliftWording) > 60 {
		ps.add("uplift_wording", "the uplift wording is %d characters: keep it to 60, it is printed in the totals", len(p.UpliftWording))
	}
	if len(p.Logo) > 0 || p.LogoType != "" {
		if mime, _, _, err := CheckLogo(p.Logo); err != nil {
			ps.addErr("logo", err)
		} else if mime != p.LogoType {
			ps.add("logo", "the logo is %s but recorded as %q: set it again", mime, p.LogoType)
		}
	}
	return ps.err()
}

// Ready explains what the profile lacks before an invoice can be issued
// with it, or returns nil.
func (p Profile) Ready() error {
	if p.CompanyName == "" {
		return fmt.Errorf("the reseller profile has no company name: set it in Settings > Account information (or rebill profile set company_name NAME)")
	}
	return p.Validate()
}

// CheckLogo reads a logo's type from its first bytes and its pixel size
// from its header, and explains why it cannot be used: not PNG or JPEG,
// over MaxLogoBytes, over MaxLogoPixels on a side, or unreadable.
func CheckLogo(data []byte) (mimeType string, width, height int, err error) {
	switch {
	case len(data) == 0:
		return "", 0, 0, fmt.Errorf("the logo file is empty")
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		mimeType = LogoPNG
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		mimeType = LogoJPEG
	default:
		return "", 0, 0, fmt.Errorf("the logo is neither PNG nor JPEG: save it as one of those")
	}
	if len(data) > MaxLogoBytes {
		return "", 0, 0, fmt.Errorf("the logo is %d KiB: keep it to %d KiB at most (a few hundred pixels wide is plenty for an invoice)", (len(data)+1023)/1024, MaxLogoBytes/1024)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return "", 0, 0, fmt.Errorf("the logo cannot be read as %s (%v): export it again from your image editor", mimeType, err)
	}
	if cfg.Width > MaxLogoPixels || cfg.Height > MaxLogoPixels {
		return "", 0, 0, fmt.Errorf("the logo is %dx%d pixels: keep it to %dx%d at most", cfg.Width, cfg.Height, MaxLogoPixels, MaxLogoPixels)
	}
	return mimeType, cfg.Width, cfg.Height, nil
}

// SetLogo checks a logo and makes it the profile's; nil data removes it.
func (p *Profile) SetLogo(data []byte) error {
	if len(data) == 0 {
		p.Logo, p.LogoType = nil, ""
		return nil
	}
	mime, _, _, err := CheckLogo(data)
	if err != nil {
		return err
	}
	p.Logo, p.LogoType = append([]byte(nil), data...), mime
	return nil
}

// Invoice number tokens, replaced by FormatNumber.
const (
	TokenYear4 = "{YYYY}" // issue year, 2026
	TokenYear2 = "{YY}"   // issue year, 26
	TokenMonth = "{MM}"   // issue month, 01..12
	// {SEQ} is the sequence number as is; {SEQ:n} pads it with zeros to
	// n digits (1 to 9), never truncating a longer number.
	TokenSeq = "{SEQ}"
)

// numberToken is one {...} of a number format: its text and, for SEQ,
// the padding width (0 for {SEQ}); ok is false for an unknown token.
func numberToken(tok string) (width int, seq, ok bool) {
	switch tok {
	case TokenYear4, TokenYear2, TokenMonth:
		return 0, false, true
	case TokenSeq:
		return 0, true, true
	}
	if w, found := strings.CutPrefix(tok, "{SEQ:"); found {
		n, err := strconv.Atoi(strings.TrimSuffix(w, "}"))
		if err == nil && n >= 1 && n <= 9 && strings.HasSuffix(w, "}") {
			return n, true, true
		}
	}
	return 0, false, false
}

// CheckNumberFormat explains what is wrong with an invoice number format,
// or returns nil. It must contain a SEQ token (numbers must differ) and no
// unknown token.
func CheckNumberFormat(format string) error {
	if strings.TrimSpace(format) == "" {
		return fmt.Errorf("the invoice number format is empty: write one such as INV-{YYYY}-{SEQ:5}")
	}
	hasSeq := false
	for rest := format; ; {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return fmt.Errorf("invoice number format %q has a '{' without '}'", format)
		}
		tok := rest[i : i+j+1]
		_, seq, ok := numberToken(tok)
		if !ok {
			return fmt.Errorf("invoice number format %q has the unknown token %s: use {YYYY}, {YY}, {MM}, {SEQ} or {SEQ:n} with n from 1 to 9", format, tok)
		}
		hasSeq = hasSeq || seq
		rest = rest[i+j+1:]
	}
	if !hasSeq {
		return fmt.Errorf("invoice number format %q has no {SEQ} or {SEQ:n}: without the sequence number, invoices would share numbers", format)
	}
	return nil
}

// FormatNumber makes the number of the invoice with sequence number seq
// issued at issue: {YYYY}, {YY} and {MM} are the issue date's year and
// month (in issue's location), {SEQ:n} is seq padded with zeros to n
// digits. Text outside tokens is kept as is.
func (p Profile) FormatNumber(seq int, issue time.Time) string {
	var b strings.Builder
	rest := p.NumberFormat
	for {
		i := strings.IndexByte(rest, '{')
		j := -1
		if i >= 0 {
			j = strings.IndexByte(rest[i:], '}')
		}
		if i < 0 || j < 0 {
			b.WriteString(rest)
			return b.String()
		}
		b.WriteString(rest[:i])
		tok := rest[i : i+j+1]
		rest = rest[i+j+1:]
		width, seqTok, ok := numberToken(tok)
		switch {
		case !ok:
			b.WriteString(tok)
		case seqTok:
			s := strconv.Itoa(seq)
			if pad := width - len(s); pad > 0 {
				s = strings.Repeat("0", pad) + s
			}
			b.WriteString(s)
		case tok == TokenYear4:
			fmt.Fprintf(&b, "%04d", issue.Year())
		case tok == TokenYear2:
			fmt.Fprintf(&b, "%02d", issue.Year()%100)
		case tok == TokenMonth:
			fmt.Fprintf(&b, "%02d", int(issue.Month()))
		}
	}
}

// ProfileKeys lists the profile settings Set and Get know, by their JSON
// names, in the order Settings shows them. The logo is set with SetLogo.
var ProfileKeys = []string{"company_name", "address", "email", "phone", "website", "tax_number",
	"payment_instructions", "invoice_number_format", "default_currency", "default_payment_terms_days",
	"uplift_wording", "paper_size", "country",
	"vat_id", "legal_id", "legal_id_scheme", "electronic_address", "electronic_address_scheme", "payment_means", "iban", "bic"}

// NextNumberKey is the profile setting the invoice counter once was. Set
// refuses it with ErrNextNumber, which says how the counter moves now.
const NextNumberKey = "next_invoice_number"

// ErrNextNumber refuses to set the invoice counter as a profile setting:
// setting it back would issue numbers twice and jumping it leaves a gap,
// so it only moves forward, explicitly and with a reason in the audit log.
var ErrNextNumber = errors.New("the next invoice number is no longer a profile setting: it only moves forward, with a reason recorded in the audit log, through rebill invoices next-number N --reason R (or Settings > Invoice numbers > Move forward…)")

// profileText and profileInt address the profile's settings by key.
func (p *Profile) profileText(key string) *string {
	switch key {
	case "company_name":
		return &p.CompanyName
	case "email":
		return &p.Email
	case "phone":
		return &p.Phone
	case "website":
		return &p.Website
	case "tax_number":
		return &p.TaxNumber
	case "payment_instructions":
		return &p.PaymentInstructions
	case "invoice_number_format":
		return &p.NumberFormat
	case "default_currency":
		return &p.DefaultCurrency
	case "uplift_wording":
		return &p.UpliftWording
	case "paper_size":
		return &p.PaperSize
	case "country":
		return &p.Country
	}
	return p.EInvoice.field(key)
}

func (p *Profile) profileInt(key string) *int {
	switch key {
	case "default_payment_terms_days":
		return &p.DefaultTermsDays
	}
	return nil
}

// Set reads one setting from its text form (the address as lines
// separated by ';', as in the customers CSV). It checks the syntax only;
// Validate checks the value.
func (p *Profile) Set(key, value string) error {
	if s := p.profileText(key); s != nil {
		*s = value
		return nil
	}
	if n := p.profileInt(key); n != nil {
		v, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil {
			return fmt.Errorf("%s %q is not a whole number", key, value)
		}
		*n = v
		return nil
	}
	if key == "address" {
		lines, err := parseLines(value)
		p.Address = lines
		return err
	}
	if key == NextNumberKey {
		return ErrNextNumber
	}
	return fmt.Errorf("unknown profile setting %q: use one of %s (the logo is set from a file)", key, strings.Join(ProfileKeys, ", "))
}

// Get returns one setting's text form, as Set reads it.
func (p *Profile) Get(key string) string {
	if s := p.profileText(key); s != nil {
		return *s
	}
	if n := p.profileInt(key); n != nil {
		return strconv.Itoa(*n)
	}
	if key == "address" {
		return formatLines(p.Address)
	}
	return ""
}
