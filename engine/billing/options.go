package billing

import (
	"errors"
	"fmt"
	"strings"

	"rebill/engine/customer"
	"rebill/engine/lineitem"
)

// The accountant's choices for a statement (Options) and the reseller's
// standing choices they default to (Settings), with the rules that decide
// what they mean: every face (window, CLI, API) and the store pass the
// choices as given and ask these rules, so the same choice gives the same
// statement and the same stored invoice whichever face made it.

// ProviderTax says what happens to the Tax lines in the provider's file
// when a statement includes tax: the customer pays either the provider's
// tax or the reseller's own, never both.
type ProviderTax string

// Provider tax handling.
const (
	// ReplaceTax drops the provider's Tax lines and applies the customer's
	// own rates (the default: a reseller invoices its own VAT or sales tax).
	ReplaceTax ProviderTax = "replace"
	// PassThroughTax charges the provider's Tax lines of the customer's
	// accounts as they are, and no rate of the customer's.
	PassThroughTax ProviderTax = "passthrough"
)

// The defaults of the two settings, written once: the reseller's own tax
// replaces the provider's, and figures round half-up, unless the reseller
// promised its customers otherwise (Settings).
const (
	DefaultProviderTax = ReplaceTax
	DefaultRounding    = HalfUp
)

// ParseProviderTax reads a provider tax handling as people type it:
// "passthrough", "pass-through", "Replace".
func ParseProviderTax(s string) (ProviderTax, error) {
	t := ProviderTax(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", ""))
	if err := t.valid(); err != nil || t == "" {
		return "", fmt.Errorf("provider tax %q is not one of %s, %s", s, PassThroughTax, ReplaceTax)
	}
	return t, nil
}

func (t ProviderTax) valid() error {
	switch t {
	case "", ReplaceTax, PassThroughTax:
		return nil
	}
	return fmt.Errorf("provider tax %q is not one of %s, %s", t, PassThroughTax, ReplaceTax)
}

// ParseRounding reads a rounding mode as people type it: "half-even",
// "HALF-UP", "down".
func ParseRounding(s string) (Rounding, error) {
	r := Rounding(strings.ToLower(strings.TrimSpace(s)))
	if err := r.valid(); err != nil || r == "" {
		return "", fmt.Errorf("rounding %q is not one of %s", s, roundingNames())
	}
	return r, nil
}

func roundingNames() string {
	names := make([]string, len(Roundings))
	for i, r := range Roundings {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// Options are the accountant's choices when generating statements: the
// same month and customer give different statements with different options,
// so they are part of the request, not of the customer.
type Options struct {
	// Basis overrides the customer's cost basis; "" uses the customer's,
	// whose own default is re-rated.
	Basis customer.CostBasis `json:"basis,omitempty"`
	// Credits applies the customer's reseller credits.
	Credits bool `json:"credits"`
	// Tax adds tax: the customer's rates or the provider's Tax lines, as
	// ProviderTax says. Without it the statement carries no tax at all.
	Tax bool `json:"tax"`
	// Marketplace includes AWS Marketplace charges (pass-through). They
	// never count in the support, discount or tax bases.
	Marketplace bool `json:"marketplace"`
	// MarketplaceCredits lets reseller credits pay Marketplace charges
	// (see CreditsPayMarketplace).
	MarketplaceCredits bool        `json:"marketplace_credits"`
	ProviderTax        ProviderTax `json:"provider_tax,omitempty"` // "" is DefaultProviderTax
	Rounding           Rounding    `json:"rounding,omitempty"`     // "" is DefaultRounding
	// Provider is the cloud program the statement bills: a customer's
	// month has one statement, and one invoice, per provider, because the
	// distributor invoices each cloud program apart. "" is AWS, which
	// every statement was before other providers were billed, and how
	// Normalize stores it (see Cloud).
	Provider lineitem.Provider `json:"provider,omitempty"`
	// PassPartnerCredit passes Microsoft's partner earned credit on to the
	// customer. Without it the credit is the reseller's margin: the
	// customer pays the cost before it (see Month.rerate).
	PassPartnerCredit bool `json:"pass_partner_credit,omitempty"`
	// SupportBase is the charges support plans are computed on; "" is
	// GrossBase.
	SupportBase SupportBase `json:"support_base,omitempty"`
	// ProviderDiscounts is the reseller's provider discount mode, which a
	// customer's own (customer.Customer.ProviderDiscounts) overrides; ""
	// is passed on inside the service line.
	ProviderDiscounts customer.DiscountMode `json:"provider_discounts,omitempty"`
}

// Cloud is the provider the statement bills: Provider, AWS when empty.
func (o Options) Cloud() lineitem.Provider {
	if o.Provider == "" {
		return lineitem.AWS
	}
	return o.Provider
}

// MarketplaceCreditsOffered reports whether "credits may pay Marketplace"
// is a choice at all: only when credits are applied and Marketplace
// charges are included. Forms enable the choice by it.
func (o Options) MarketplaceCreditsOffered() bool { return o.Credits && o.Marketplace }

// CreditsPayMarketplace is the rule "may reseller credits pay Marketplace
// charges": when the accountant allows it, applies credits and includes
// the Marketplace charges. Otherwise credits pay the other charges only.
func (o Options) CreditsPayMarketplace() bool {
	return o.MarketplaceCredits && o.MarketplaceCreditsOffered()
}

// ErrMarketplaceCredits refuses credits for Marketplace asked without
// credits: the choice contradicts itself.
var ErrMarketplaceCredits = errors.New("credits may pay Marketplace charges only when credits are applied")

// Check refuses options that contradict themselves or name an unknown
// rounding or provider tax handling. Credits for Marketplace without
// Marketplace charges is no contradiction (there is nothing for them to
// pay): Normalize drops it.
func (o Options) Check() error {
	if o.MarketplaceCredits && !o.Credits {
		return ErrMarketplaceCredits
	}
	if err := o.Rounding.valid(); err != nil {
		return err
	}
	if !Billed(o.Cloud()) {
		return fmt.Errorf("provider %q is not one Rebill bills: %s", o.Provider, providerNames())
	}
	if err := o.SupportBase.valid(); err != nil {
		return err
	}
	if o.ProviderDiscounts != "" && !o.ProviderDiscounts.Known() {
		return fmt.Errorf("provider discount mode %q is not one of passed-on, separate, margin", o.ProviderDiscounts)
	}
	return o.ProviderTax.valid()
}

// Normalize returns the options as a statement records them and an
// invoice stores them: MarketplaceCredits only when credits pay
// Marketplace (CreditsPayMarketplace), and the default rounding and
// provider tax handling where none is chosen. The same choice is then
// stored the same whichever face made it.
func (o Options) Normalize() Options {
	o.MarketplaceCredits = o.CreditsPayMarketplace()
	if o.Provider == lineitem.AWS {
		o.Provider = ""
	}
	if o.ProviderTax == "" {
		o.ProviderTax = DefaultProviderTax
	}
	if o.Rounding == "" {
		o.Rounding = DefaultRounding
	}
	return o
}

// Settings are the reseller's choices that apply to every statement
// unless a report asks otherwise.
type Settings struct {
	// ProviderTax says whether the Tax lines of the provider's files are
	// passed through or replaced by the customers' own rates.
	ProviderTax ProviderTax `json:"provider_tax"`
	// Rounding is how figures are rounded to the cent (see Rounding):
	// half-up unless the reseller promised otherwise.
	Rounding Rounding `json:"rounding"`
	// SupportBase is the charges support plans are computed on: gross
	// (AWS's rule; "" is gross) or after provider discounts, for
	// contracts that say so.
	SupportBase SupportBase `json:"support_base,omitempty"`
	// ProviderDiscounts is what statements do with the provider's
	// discounts (EDP, private pricing, bundled, SPP) unless a customer
	// says otherwise: passed on inside the service line (the default),
	// shown as a line of their own, or kept as the reseller's margin ("" is
	// passed on).
	ProviderDiscounts customer.DiscountMode `json:"provider_discounts,omitempty"`
}

// DefaultSettings are the settings until the reseller saves its own.
func DefaultSettings() Settings {
	return Settings{ProviderTax: DefaultProviderTax, Rounding: DefaultRounding}
}

// Normalize fills what is empty with the defaults.
func (s Settings) Normalize() Settings {
	if s.ProviderTax == "" {
		s.ProviderTax = DefaultProviderTax
	}
	if s.Rounding == "" {
		s.Rounding = DefaultRounding
	}
	return s
}

// Validate names an unknown provider tax handling or rounding mode.
func (s Settings) Validate() error {
	if err := s.ProviderTax.valid(); err != nil {
		return err
	}
	if err := s.Rounding.valid(); err != nil {
		return fmt.Errorf("rounding %q is not one of %s", s.Rounding, roundingNames())
	}
	if err := s.SupportBase.valid(); err != nil {
		return err
	}
	if s.ProviderDiscounts != "" && !s.ProviderDiscounts.Known() {
		return fmt.Errorf("provider discount mode %q is not one of passed-on, separate, margin", s.ProviderDiscounts)
	}
	return nil
}

// Set changes one setting by its key as the CLI and forms name it
// ("provider-tax", "rounding"; "_" for "-" and any case), with the value
// as people type it.
func (s *Settings) Set(key, value string) error {
	var err error
	switch strings.ReplaceAll(strings.ToLower(strings.TrimSpace(key)), "_", "-") {
	case "provider-tax":
		s.ProviderTax, err = ParseProviderTax(value)
	case "rounding":
		s.Rounding, err = ParseRounding(value)
	case "support-base":
		s.SupportBase, err = ParseSupportBase(value)
	case "provider-discounts":
		var m customer.DiscountMode
		if m, err = customer.ParseDiscountMode(value); err == nil && m == "" {
			m = customer.DiscountsPassedOn
		}
		s.ProviderDiscounts = m
	default:
		err = fmt.Errorf("unknown setting %q: use one of %s", key, strings.Join(SettingKeys, ", "))
	}
	return err
}

// SettingKeys are the keys Set knows.
var SettingKeys = []string{"provider-tax", "rounding", "support-base", "provider-discounts"}

// Apply fills the options a report left to the settings: provider tax
// handling, rounding, support base and provider discount mode.
func (s Settings) Apply(opt Options) Options {
	if opt.ProviderTax == "" {
		opt.ProviderTax = s.ProviderTax
	}
	if opt.Rounding == "" {
		opt.Rounding = s.Rounding
	}
	if opt.SupportBase == "" {
		opt.SupportBase = s.SupportBase
	}
	if opt.ProviderDiscounts == "" {
		opt.ProviderDiscounts = s.ProviderDiscounts
	}
	return opt
}
