package billing

import (
	"errors"
	"testing"
)

// TestCreditsPayMarketplace is the rule "may credits pay Marketplace" for
// every combination of the three choices: only all three together.
func TestCreditsPayMarketplace(t *testing.T) {
	tests := []struct {
		name                        string
		credits, market, mktCredits bool
		offered, pays               bool
		checkErr                    error
	}{
		{"nothing", false, false, false, false, false, nil},
		{"credits only", true, false, false, false, false, nil},
		{"credits, marketplace credits, no Marketplace", true, false, true, false, false, nil},
		{"credits and Marketplace, not allowed", true, true, false, true, false, nil},
		{"all three", true, true, true, true, true, nil},
		{"Marketplace and marketplace credits without credits", false, true, true, false, false, ErrMarketplaceCredits},
		{"marketplace credits alone", false, false, true, false, false, ErrMarketplaceCredits},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := Options{Credits: tc.credits, Marketplace: tc.market, MarketplaceCredits: tc.mktCredits}
			if got := o.MarketplaceCreditsOffered(); got != tc.offered {
				t.Errorf("offered = %v, want %v", got, tc.offered)
			}
			if got := o.CreditsPayMarketplace(); got != tc.pays {
				t.Errorf("pays = %v, want %v", got, tc.pays)
			}
			if got := o.Normalize().MarketplaceCredits; got != tc.pays {
				t.Errorf("normalized MarketplaceCredits = %v, want %v", got, tc.pays)
			}
			if err := o.Check(); !errors.Is(err, tc.checkErr) {
				t.Errorf("Check = %v, want %v", err, tc.checkErr)
			}
		})
	}
}

// TestNormalizeDefaults: the one place the defaults are written.
func TestNormalizeDefaults(t *testing.T) {
	tests := []struct {
		name string
		in   Options
		tax  ProviderTax
		mode Rounding
	}{
		{"empty takes the defaults", Options{}, ReplaceTax, HalfUp},
		{"chosen kept", Options{ProviderTax: PassThroughTax, Rounding: Down}, PassThroughTax, Down},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.in.Normalize()
			if got.ProviderTax != tc.tax || got.Rounding != tc.mode {
				t.Errorf("Normalize = %s %s, want %s %s", got.ProviderTax, got.Rounding, tc.tax, tc.mode)
			}
		})
	}
	if d := DefaultSettings(); d != (Settings{}).Normalize() || d.ProviderTax != ReplaceTax || d.Rounding != HalfUp {
		t.Errorf("DefaultSettings = %+v, Settings{}.Normalize() = %+v", d, Settings{}.Normalize())
	}
}

// TestSettingsSet reads settings as people type them, and refuses the
// rest naming the value.
func TestSettingsSet(t *testing.T) {
	tests := []struct {
		name, key, value string
		want             Settings
		err              string
	}{
		{"pass-through with a dash", "provider-tax", "Pass-Through", Settings{ProviderTax: PassThroughTax, Rounding: HalfUp}, ""},
		{"underscore key", "provider_tax", "replace", Settings{ProviderTax: ReplaceTax, Rounding: HalfUp}, ""},
		{"rounding in capitals", "ROUNDING", "HALF-EVEN", Settings{ProviderTax: ReplaceTax, Rounding: HalfEven}, ""},
		{"unknown rounding", "rounding", "up", DefaultSettings(), `rounding "up" is not one of half-up, half-even, down`},
		{"empty rounding", "rounding", "", DefaultSettings(), `rounding "" is not one of half-up, half-even, down`},
		{"unknown tax", "provider-tax", "both", DefaultSettings(), `provider tax "both" is not one of passthrough, replace`},
		{"unknown key", "currency", "EUR", DefaultSettings(), `unknown setting "currency": use one of provider-tax, rounding, support-base, provider-discounts`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := DefaultSettings()
			err := s.Set(tc.key, tc.value)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.err {
				t.Fatalf("Set(%q, %q) error = %q, want %q", tc.key, tc.value, got, tc.err)
			}
			if err == nil && s != tc.want {
				t.Errorf("Set(%q, %q) = %+v, want %+v", tc.key, tc.value, s, tc.want)
			}
		})
	}
}

// TestStatementRecordsNormalizedOptions: a statement records the options
// as Normalize gives them, so the invoice made from it stores the same
// options for the same choice.
func TestStatementRecordsNormalizedOptions(t *testing.T) {
	m := newMonth(t, Config{Owners: owners}, nil)
	st, err := m.Statement(acme, Ledger{}, Options{Credits: true, MarketplaceCredits: true})
	if err != nil {
		t.Fatal(err)
	}
	want := Options{Basis: "rerated", Credits: true, ProviderTax: ReplaceTax, Rounding: HalfUp}
	if st.Options != want {
		t.Errorf("options = %+v, want %+v", st.Options, want)
	}
}
