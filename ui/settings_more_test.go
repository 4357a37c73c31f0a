package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/billing"
	"rebill/ui/view"
)

// TestSettingsBillingRules: rounding and the provider's tax are set from
// the window through the store's use case, as `rebill settings set` does.
func TestSettingsBillingRules(t *testing.T) {
	h := newHarness(t)
	h.state.show("Settings")
	p := h.settings().billing
	if p.rounding.Selected != view.RoundingChoices[0].Label || p.provider.Selected != view.ProviderTaxChoices[0].Label {
		t.Fatalf("defaults shown: %q, %q", p.rounding.Selected, p.provider.Selected)
	}
	tests := []struct {
		name   string
		sel    *widget.Select
		label  string
		check  func(billing.Settings) bool
		status string
	}{
		{"rounding half even", p.rounding, view.RoundingChoices[1].Label, func(s billing.Settings) bool { return s.Rounding == billing.HalfEven }, "Rounding is now"},
		{"rounding down", p.rounding, view.RoundingChoices[2].Label, func(s billing.Settings) bool { return s.Rounding == billing.Down }, "Rounding is now"},
		{"provider tax passed through", p.provider, view.ProviderTaxChoices[1].Label, func(s billing.Settings) bool { return s.ProviderTax == billing.PassThroughTax }, "The provider's tax is now"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.sel.SetSelected(tc.label)
			s, err := h.db.BillingSettings()
			if err != nil || !tc.check(s) {
				t.Errorf("stored %+v %v", s, err)
			}
			if !strings.HasPrefix(p.status.Text, tc.status) {
				t.Errorf("status %q", p.status.Text)
			}
		})
	}
}

// TestSettingsExchangeRates: a rate typed is checked as it is typed, each
// problem beside its field and Save disabled; saved, it is listed; a
// changed rate keeps the old one in its history, shown; deleting asks
// first and says what it deleted.
func TestSettingsExchangeRates(t *testing.T) {
	h := newHarness(t)
	h.state.show("Settings")
	p := h.settings().rates
	if !p.save.Disabled() || p.fields[billing.RateFieldFrom].problems() != "" {
		t.Fatal("an untouched form can be saved or greets in red")
	}
	test.Type(p.from, "USX")
	p.to.SetText("EUR")
	test.Type(p.period, "2024-9")
	test.Type(p.rate, "abc")
	for _, tc := range []struct{ field, want string }{
		{billing.RateFieldFrom, `"USX" is not an ISO 4217`},
		{billing.RateFieldPeriod, `"2024-9" is not a month`},
		{billing.RateFieldRate, `"abc" is not a number`},
	} {
		if got := p.fields[tc.field].problems(); !strings.Contains(got, tc.want) {
			t.Errorf("%s shows %q, want %q", tc.field, got, tc.want)
		}
	}
	if !p.save.Disabled() || !strings.HasPrefix(p.status.Text, "To save, correct From:") {
		t.Errorf("Save enabled %v, status %q", !p.save.Disabled(), p.status.Text)
	}
	// The source, not reached yet, is not in red; once the typed fields
	// are right, the status line says it is still to fill in.
	if got := p.fields[billing.RateFieldSource].problems(); got != "" {
		t.Errorf("the source is in red before anything was typed in it: %q", got)
	}

	p.from.SetText("usd")
	p.period.SetText("2024-09")
	p.rate.SetText("0.9123")
	if want := "To save, fill in Source."; p.status.Text != want || !p.save.Disabled() {
		t.Errorf("status %q, want %q", p.status.Text, want)
	}
	test.Type(p.source, "ECB 2024-09-30")
	if p.save.Disabled() {
		t.Fatalf("a valid rate cannot be saved: %q", p.status.Text)
	}
	test.Tap(p.save)
	if want := "2024-09: 1 USD = 0.9123 EUR (ECB 2024-09-30)."; p.status.Text != want {
		t.Errorf("status %q, want %q", p.status.Text, want)
	}

	later := testNow.Add(2 * time.Hour)
	h.state.now = func() time.Time { return later }
	p.rate.SetText("0.92")
	test.Type(p.source, "ECB corrected")
	if !p.replaces.Visible() || !strings.HasPrefix(p.replaces.Text, "Saving replaces 0.9123 (ECB 2024-09-30)") {
		t.Errorf("no word of the rate replaced: %q", p.replaces.Text)
	}
	test.Tap(p.save)
	rs, _ := h.db.Rates()
	if len(rs) != 1 || !rs[0].Rate.Equal(decimalOf(t, "0.92")) || len(rs[0].History) != 1 || !rs[0].History[0].Rate.Equal(decimalOf(t, "0.9123")) {
		t.Fatalf("rates %+v", rs)
	}
	if !h.shows("USD/EUR 2024-09: 1 USD = 0.92 EUR (ECB corrected)") || !h.shows("Before: 0.9123 (ECB 2024-09-30), entered") {
		t.Errorf("the list does not show the rate and its history: %q", h.texts())
	}

	p.onDelete(rs[0])
	if !h.shows("Delete the USD/EUR rate for 2024-09 (1 USD = 0.92 EUR)?") {
		t.Fatalf("no confirmation: %q", h.texts())
	}
	h.tapDialog("Delete")
	if rs, _ := h.db.Rates(); len(rs) != 0 {
		t.Errorf("rates after delete %+v", rs)
	}
	if want := "The USD/EUR rate for 2024-09 is deleted; the change log keeps it."; p.status.Text != want {
		t.Errorf("status %q, want %q", p.status.Text, want)
	}
}

// TestSettingsInvoiceSections: a product code put in another section,
// listed, then put back after a confirmation.
func TestSettingsInvoiceSections(t *testing.T) {
	h := newHarness(t)
	h.state.show("Settings")
	p := h.settings().productTypes
	p.section.SetSelected("Other")
	if want := "To save, fill in Product code."; p.status.Text != want || !p.save.Disabled() {
		t.Errorf("empty code: status %q, want %q", p.status.Text, want)
	}
	test.Type(p.code, "x")
	p.code.SetText("")
	if got := p.fields["code"].problems(); !strings.Contains(got, "product code is empty") || !p.save.Disabled() {
		t.Errorf("emptied code: %q", got)
	}
	test.Type(p.code, "AmazonSageMaker")
	test.Type(p.from, "2024-13")
	if got := p.fields["from"].problems(); !strings.Contains(got, `"2024-13"`) || !p.save.Disabled() {
		t.Errorf("bad month: %q", got)
	}
	p.from.SetText("")
	test.Tap(p.save)
	if want := "AmazonSageMaker lines now go in Other (built-in: Machine Learning)."; p.status.Text != want {
		t.Errorf("status %q, want %q", p.status.Text, want)
	}
	if !h.shows("AmazonSageMaker: Other (built-in: Machine Learning)") {
		t.Errorf("not listed: %q", h.texts())
	}
	for _, s := range p.section.Options {
		if s == string(billing.Marketplace) || s == string(billing.Credits) {
			t.Errorf("section %s offered, which the engine refuses", s)
		}
	}
	list, _ := h.db.ProductTypes()
	p.onDelete(list[0])
	h.tapDialog("Put back")
	if list, _ := h.db.ProductTypes(); len(list) != 0 {
		t.Errorf("overrides after putting back %+v", list)
	}
	if want := "AmazonSageMaker lines go back to Machine Learning."; p.status.Text != want {
		t.Errorf("status %q, want %q", p.status.Text, want)
	}
}

// TestSettingsHolidays: the country comes from Account information when
// none is typed; a holiday is checked as typed, added, listed and deleted
// after a confirmation, each step said.
func TestSettingsHolidays(t *testing.T) {
	h := newHarness(t)
	h.state.show("Settings")
	s := h.settings()
	p := s.holidays
	test.Type(p.day, "2024-12-25")
	if want := "To save, fill in Country."; p.status.Text != want || !p.add.Disabled() {
		t.Errorf("no country anywhere: status %q, want %q", p.status.Text, want)
	}
	// The reseller's country, saved in Account information.
	test.Type(s.country, "zz9")
	if got := s.fields["country"].problems(); !strings.Contains(got, "is not a two-letter ISO 3166 code") || !s.save.Disabled() {
		t.Errorf("bad profile country: %q", got)
	}
	if !strings.HasPrefix(s.status.Text, "To save, correct Country:") {
		t.Errorf("the status line does not name the field: %q", s.status.Text)
	}
	s.country.SetText("gb")
	test.Tap(s.save)
	if pr, _ := h.db.Profile(); pr.Country != "GB" {
		t.Fatalf("profile country %q", pr.Country)
	}

	p.name.SetText("Christmas Day")
	if p.add.Disabled() {
		t.Fatalf("a valid holiday cannot be added: %q", p.status.Text)
	}
	test.Tap(p.add)
	if want := "GB 2024-12-25 (Wednesday) is a holiday: it no longer counts as a business day."; p.status.Text != want {
		t.Errorf("status %q, want %q", p.status.Text, want)
	}
	if !h.shows("GB 2024-12-25 (Wed) Christmas Day") {
		t.Errorf("not listed: %q", h.texts())
	}
	test.Type(p.day, "2024-12-32")
	if got := p.fields["date"].problems(); got == "" || !p.add.Disabled() {
		t.Errorf("bad day accepted: %q", got)
	}
	hs, _ := h.db.Holidays("")
	p.onDelete(hs[0])
	h.tapDialog("Delete")
	if hs, _ := h.db.Holidays(""); len(hs) != 0 {
		t.Errorf("holidays after delete %+v", hs)
	}
	if want := "GB 2024-12-25 is a business day again."; p.status.Text != want {
		t.Errorf("status %q, want %q", p.status.Text, want)
	}
}

// TestSettingsPriceTables: the preset table is listed; a usage type's
// tiers typed are checked as typed (a gap between tiers is named beside
// the tiers) and then added to the table, the others kept.
func TestSettingsPriceTables(t *testing.T) {
	h := newHarness(t)
	h.state.show("Settings")
	p := h.settings().priceTables
	if !h.shows("s3-standard-us-east-1 (USD)") || !h.shows("AmazonS3 TimedStorage-ByteHrs, per GB-Mo: 0-51200=0.023;51200-512000=0.022;512000-=0.021") {
		t.Fatalf("the preset table is not listed: %q", h.texts())
	}
	p.name.SetText("s3-standard-us-east-1")
	if p.currency.Text != "USD" {
		t.Errorf("choosing a table does not show its currency: %q", p.currency.Text)
	}
	test.Type(p.usageType, "*DataTransfer-Out-Bytes")
	test.Type(p.unit, "GB")
	test.Type(p.tiers, "0-10240=0.09;10241-=0.085")
	if got := p.fields[billing.TableFieldTiers].problems(); !strings.Contains(got, "tier 2 starts at 10241, not at 10240") || !p.save.Disabled() {
		t.Errorf("gap between tiers: %q", got)
	}
	if !strings.HasPrefix(p.status.Text, "To save, correct Tiers:") {
		t.Errorf("status %q", p.status.Text)
	}
	p.tiers.SetText("0-10240=0.09;10240-=0.085")
	if p.save.Disabled() {
		t.Fatalf("valid tiers refused: %q", p.status.Text)
	}
	test.Tap(p.save)
	got, err := h.db.PriceTable("s3-standard-us-east-1")
	if err != nil || len(got.Rates) != 2 || got.Rates[1].UsageType != "*DataTransfer-Out-Bytes" || !got.Rates[1].Tiers[1].Price.Equal(decimalOf(t, "0.085")) {
		t.Fatalf("stored %+v %v", got, err)
	}
	if !strings.HasPrefix(p.status.Text, "Price table s3-standard-us-east-1 now prices *DataTransfer-Out-Bytes too.") {
		t.Errorf("status %q", p.status.Text)
	}
}
