package customer

import (
	"bytes"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"
)

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestCheckLogo(t *testing.T) {
	small := pngOf(t, 120, 40)
	cases := []struct {
		name       string
		data       []byte
		mime       string
		w, h       int
		wantErrSub string
	}{
		{"PNG", small, LogoPNG, 120, 40, ""},
		{"JPEG", jpegOf(t, 64, 32), LogoJPEG, 64, 32, ""},
		{"largest allowed size", pngOf(t, 4096, 1), LogoPNG, 4096, 1, ""},
		{"empty", nil, "", 0, 0, "the logo file is empty"},
		{"GIF", []byte("GIF89a\x01\x00\x01\x00"), "", 0, 0, "neither PNG nor JPEG"},
		{"SVG", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), "", 0, 0, "neither PNG nor JPEG"},
		{"PNG named but truncated", small[:20], "", 0, 0, "cannot be read as image/png"},
		{"over 1 MiB", append(append([]byte(nil), small...), make([]byte, MaxLogoBytes)...), "", 0, 0, "keep it to 1024 KiB at most"},
		{"too wide", pngOf(t, 4097, 1), "", 0, 0, "4097x1 pixels: keep it to 4096x4096 at most"},
		{"too tall", pngOf(t, 1, 5000), "", 0, 0, "1x5000 pixels"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mime, w, h, err := CheckLogo(tc.data)
			if tc.wantErrSub != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErrSub) {
					t.Fatalf("CheckLogo = %v, want %q", err, tc.wantErrSub)
				}
				return
			}
			if err != nil || mime != tc.mime || w != tc.w || h != tc.h {
				t.Fatalf("CheckLogo = %s %dx%d %v, want %s %dx%d", mime, w, h, err, tc.mime, tc.w, tc.h)
			}
		})
	}
}

func TestProfileValidate(t *testing.T) {
	cases := []struct {
		name   string
		break_ func(p *Profile)
		field  string
		want   string
	}{
		{"default profile", func(p *Profile) {}, "", ""},
		{"format without sequence", func(p *Profile) { p.NumberFormat = "INV-{YYYY}" }, "invoice_number_format", "has no {SEQ} or {SEQ:n}"},
		{"empty format", func(p *Profile) { p.NumberFormat = "" }, "invoice_number_format", "format is empty"},
		{"unknown token", func(p *Profile) { p.NumberFormat = "INV-{DD}-{SEQ}" }, "invoice_number_format", "unknown token {DD}"},
		{"sequence width 0", func(p *Profile) { p.NumberFormat = "{SEQ:0}" }, "invoice_number_format", "unknown token {SEQ:0}"},
		{"sequence width 10", func(p *Profile) { p.NumberFormat = "{SEQ:10}" }, "invoice_number_format", "unknown token {SEQ:10}"},
		{"unclosed brace", func(p *Profile) { p.NumberFormat = "INV-{SEQ" }, "invoice_number_format", "'{' without '}'"},
		{"unknown currency", func(p *Profile) { p.DefaultCurrency = "DOLLAR" }, "default_currency", `"DOLLAR" is not an ISO 4217`},
		{"negative terms", func(p *Profile) { p.DefaultTermsDays = -30 }, "default_payment_terms_days", "negative"},
		{"bad email", func(p *Profile) { p.Email = "billing@" }, "email", "not an email address"},
		{"logo type lies", func(p *Profile) { p.Logo, p.LogoType = pngOf(t, 2, 2), LogoJPEG }, "logo", "the logo is image/png but recorded as \"image/jpeg\""},
		{"type without logo", func(p *Profile) { p.LogoType = LogoPNG }, "logo", "the logo file is empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := DefaultProfile()
			tc.break_(&p)
			err := p.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ps Problems
			if !errors.As(err, &ps) || !strings.Contains(strings.Join(ps.Of(tc.field), "\n"), tc.want) {
				t.Fatalf("Validate = %v, want on %s: %q", err, tc.field, tc.want)
			}
		})
	}
	p := DefaultProfile()
	if err := p.Ready(); err == nil || !strings.Contains(err.Error(), "no company name") {
		t.Errorf("Ready without a name = %v", err)
	}
}

func TestFormatNumber(t *testing.T) {
	issue := time.Date(2026, time.March, 5, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name, format string
		seq          int
		want         string
	}{
		{"default", "INV-{YYYY}-{SEQ:5}", 42, "INV-2026-00042"},
		{"two-digit year and month", "{YY}{MM}/{SEQ:3}", 7, "2603/007"},
		{"no padding", "R{SEQ}", 42, "R42"},
		{"longer than the padding is kept whole", "INV-{SEQ:3}", 123456, "INV-123456"},
		{"literal text with braces kept", "X-{SEQ:2}-{NOPE}", 3, "X-03-{NOPE}"},
		{"sequence twice", "{SEQ:2}/{SEQ}", 5, "05/5"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := Profile{NumberFormat: tc.format}
			if got := p.FormatNumber(tc.seq, issue); got != tc.want {
				t.Errorf("FormatNumber(%d) with %q = %q, want %q", tc.seq, tc.format, got, tc.want)
			}
		})
	}
	// The issue date's own location decides the year: 1 January 00:30 in
	// Paris is still 31 December in UTC.
	paris := time.FixedZone("CET", 3600)
	p := Profile{NumberFormat: "{YYYY}-{SEQ}"}
	if got := p.FormatNumber(1, time.Date(2027, 1, 1, 0, 30, 0, 0, paris)); got != "2027-1" {
		t.Errorf("year in the issue's location = %q", got)
	}
}

func TestProfileJSONLeavesTheLogoOut(t *testing.T) {
	p := DefaultProfile()
	p.CompanyName = "Cloudy Reseller"
	if err := p.SetLogo(pngOf(t, 10, 10)); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.Contains(s, `"logo_type":"image/png"`) || !strings.Contains(s, `"logo_sha256":"`) || !strings.Contains(s, `"logo_bytes":`) {
		t.Errorf("JSON lacks the logo summary: %s", s)
	}
	if len(s) > 1000 {
		t.Errorf("JSON carries the logo itself (%d bytes)", len(s))
	}
	var back Profile
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.CompanyName != p.CompanyName || back.Logo != nil || back.LogoType != LogoPNG {
		t.Errorf("read back %+v", back)
	}
}

func TestProfileSet(t *testing.T) {
	p := DefaultProfile()
	for _, kv := range [][2]string{
		{"company_name", "Cloudy Reseller Ltd"},
		{"address", "1 Cloud Street;London EC1A 1BB"},
		{"default_payment_terms_days", "14"},
		{"default_currency", "GBP"},
	} {
		if err := p.Set(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
		if got := p.Get(kv[0]); got != kv[1] {
			t.Errorf("Get(%s) = %q, want %q", kv[0], got, kv[1])
		}
	}
	if len(p.Address) != 2 || p.DefaultTermsDays != 14 {
		t.Errorf("profile = %+v", p)
	}
	if err := p.Set("default_payment_terms_days", "ten"); err == nil {
		t.Error("a non-number was accepted")
	}
	// The invoice counter is not a profile setting: neither a number back
	// nor forward is taken, and the refusal names the command that moves it.
	before := p
	for _, v := range []string{"1", "120"} {
		if err := p.Set("next_invoice_number", v); !errors.Is(err, ErrNextNumber) || !strings.Contains(err.Error(), "rebill invoices next-number N --reason R") {
			t.Errorf("Set(next_invoice_number, %s) = %v", v, err)
		}
	}
	if a, b := p.Get("default_payment_terms_days"), before.Get("default_payment_terms_days"); a != b || slices.Contains(ProfileKeys, NextNumberKey) {
		t.Errorf("the refused setting changed the profile or is still listed: %s %s %v", a, b, ProfileKeys)
	}
	if err := p.Set("colour", "blue"); err == nil || !strings.Contains(err.Error(), "unknown profile setting \"colour\"") {
		t.Errorf("unknown key: %v", err)
	}
	// An address typed over several lines (a terminal's quoted value, a
	// spreadsheet's multi-line cell) is those lines, as ';' separates
	// them; a blank line is no line. It was refused: "address line 1
	// contains a line break: make it two lines".
	for _, v := range []string{"Hauptstr. 1\n10115 Berlin", "Hauptstr. 1\r\n\r\n10115 Berlin\r\n"} {
		if err := p.Set("address", v); err != nil || !slices.Equal(p.Address, []string{"Hauptstr. 1", "10115 Berlin"}) {
			t.Errorf("Set(address, %q): %v, %q", v, err, p.Address)
		}
	}
}
