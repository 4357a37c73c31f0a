package billing

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
)

// SupportBand is one band of a support plan's price: Percent of the part
// of the support base between From and To (To zero: no upper bound).
type SupportBand struct {
	From    decimal.Decimal `json:"from"`
	To      decimal.Decimal `json:"to"`
	Percent decimal.Decimal `json:"percent"`
}

// SupportPlan is one version of a support plan, as the reseller stores
// it: the greater of Minimum and the sum of its bands, for the months
// From to Until. Plans are data, not formulas in code, because AWS
// changes them: on 1 January 2027 it ends Developer, Business and
// Enterprise On-Ramp (Business Support+ replaces the first two, Enterprise
// absorbs the third).
//
// A customer names a plan by its setting (customer.SupportPlan:
// "business"); Serves lists the settings a version prices, so one setting
// resolves to the legacy version until 2026-12 and to its successor from
// 2027-01 without touching the customer. The successors serve the
// settings of the plans they replace: Business Support+ serves developer
// and business, Enterprise (2027) serves enterprise-on-ramp and
// enterprise. A customer whose contract says otherwise gets a plan change
// from a month (customer.SupportChange).
type SupportPlan struct {
	// ID names the version in the store, the CLI and the trace.
	ID string `json:"id"`
	// Name is printed on the statement's support line.
	Name   string                 `json:"name"`
	Serves []customer.SupportPlan `json:"serves"`
	From   string                 `json:"from"`  // YYYY-MM; "" since always
	Until  string                 `json:"until"` // YYYY-MM, the last month; "" open-ended
	// Currency is what Minimum and the band bounds are in (AWS: USD),
	// converted to the invoice currency at the month's rate; "" is the
	// invoice currency itself.
	Currency string          `json:"currency"`
	Minimum  decimal.Decimal `json:"minimum"`
	Bands    []SupportBand   `json:"bands"`
	// CustomerPercent makes the single band's percentage the customer's
	// own (customer.Customer.SupportFlat): the flat-percentage plan.
	CustomerPercent bool `json:"customer_percent,omitempty"`
	// ToConfirm marks a preset whose figures the accountant has not yet
	// checked against the provider's pricing page; confirming or editing
	// it clears the mark.
	ToConfirm bool   `json:"to_confirm,omitempty"`
	Source    string `json:"source,omitempty"`
}

// Covers reports whether the version applies in a YYYY-MM month.
func (p SupportPlan) Covers(month string) bool {
	return (p.From == "" || p.From <= month) && (p.Until == "" || month <= p.Until)
}

// ServesSetting reports whether the version prices a customer setting.
func (p SupportPlan) ServesSetting(s customer.SupportPlan) bool {
	for _, v := range p.Serves {
		if v == s {
			return true
		}
	}
	return false
}

// Months is the version's months as people read them: "2027-01 on",
// "until 2026-12", "2024-01 to 2026-12", "always".
func (p SupportPlan) Months() string {
	switch {
	case p.From == "" && p.Until == "":
		return "always"
	case p.From == "":
		return "until " + p.Until
	case p.Until == "":
		return p.From + " on"
	}
	return p.From + " to " + p.Until
}

// Validate names what is wrong with one version: an ID, a name, a setting
// it serves, months in order, a non-negative minimum, and bands that start
// at zero, follow each other without gap and end open.
func (p SupportPlan) Validate() error {
	if err := customer.CheckID(p.ID); err != nil {
		return planProblem(PlanFieldID, fmt.Errorf("support plan %q: %w", p.ID, err))
	}
	if strings.TrimSpace(p.Name) == "" {
		return planProblem(PlanFieldName, fmt.Errorf("support plan %s has no name: give the name the statement prints", p.ID))
	}
	if len(p.Serves) == 0 {
		return planProblem(PlanFieldServes, fmt.Errorf("support plan %s serves no customer setting: say which of developer, business, enterprise-on-ramp, enterprise, flat it prices", p.ID))
	}
	for _, s := range p.Serves {
		if s == customer.SupportNone || !known(s) {
			return planProblem(PlanFieldServes, fmt.Errorf("support plan %s serves %q, which is not one of developer, business, enterprise-on-ramp, enterprise, flat", p.ID, s))
		}
	}
	for _, m := range []string{p.From, p.Until} {
		if m != "" && !customer.ValidMonth(m) {
			return planProblem(monthField(m, p.From), fmt.Errorf("support plan %s: %q is not a month: write it as YYYY-MM", p.ID, m))
		}
	}
	if p.From != "" && p.Until != "" && p.Until < p.From {
		return planProblem(PlanFieldUntil, fmt.Errorf("support plan %s ends (%s) before it starts (%s)", p.ID, p.Until, p.From))
	}
	if p.Currency != "" {
		if err := customer.CheckCurrency("support plan "+p.ID+" currency", p.Currency); err != nil {
			return planProblem(PlanFieldCurrency, err)
		}
	}
	if p.Minimum.IsNegative() {
		return planProblem(PlanFieldMinimum, fmt.Errorf("support plan %s has a negative minimum (%s)", p.ID, p.Minimum))
	}
	if len(p.Bands) == 0 {
		return planProblem(PlanFieldBands, fmt.Errorf("support plan %s has no band: give at least one, e.g. 0- at 10%%", p.ID))
	}
	if p.CustomerPercent && len(p.Bands) != 1 {
		return planProblem(PlanFieldBands, fmt.Errorf("support plan %s takes the customer's percentage and must have exactly one band", p.ID))
	}
	at := decimal.Zero
	for i, b := range p.Bands {
		if !b.From.Equal(at) {
			return planProblem(PlanFieldBands, fmt.Errorf("support plan %s: band %d starts at %s, where the band before ends at %s: bands must follow each other from 0", p.ID, i+1, b.From, at))
		}
		last := i == len(p.Bands)-1
		if last != b.To.IsZero() {
			return planProblem(PlanFieldBands, fmt.Errorf("support plan %s: only the last band is open-ended (band %d)", p.ID, i+1))
		}
		if !last && !b.To.GreaterThan(b.From) {
			return planProblem(PlanFieldBands, fmt.Errorf("support plan %s: band %d ends (%s) where it starts (%s)", p.ID, i+1, b.To, b.From))
		}
		if b.Percent.IsNegative() || b.Percent.GreaterThan(decimal.NewFromInt(100)) {
			return planProblem(PlanFieldBands, fmt.Errorf("support plan %s: band %d's percentage %s is not between 0 and 100", p.ID, i+1, b.Percent))
		}
		at = b.To
	}
	return nil
}

// The fields of a support plan, as its Validate problems name them.
const (
	PlanFieldID       = "id"
	PlanFieldName     = "name"
	PlanFieldServes   = "serves"
	PlanFieldFrom     = "from"
	PlanFieldUntil    = "until"
	PlanFieldCurrency = "currency"
	PlanFieldMinimum  = "minimum"
	PlanFieldBands    = "bands"
)

// planProblem names the field of a support plan's refusal, for a form to
// show it beside the field; its message is err's.
func planProblem(field string, err error) error {
	return customer.Problem{Field: field, Message: err.Error()}
}

// monthField is the field of a month m of a plan that starts at from.
func monthField(m, from string) string {
	if m == from {
		return PlanFieldFrom
	}
	return PlanFieldUntil
}

func settingNames() string {
	s := make([]string, len(customer.SupportPlans))
	for i, p := range customer.SupportPlans {
		s[i] = string(p)
	}
	return strings.Join(s, ", ")
}

func known(s customer.SupportPlan) bool {
	for _, p := range customer.SupportPlans {
		if p == s {
			return true
		}
	}
	return false
}

// SupportPlans are the stored versions of every support plan.
type SupportPlans []SupportPlan

// Validate checks each version and that no customer setting has two
// versions in one month.
func (ps SupportPlans) Validate() error {
	ids := map[string]bool{}
	for _, p := range ps {
		if err := p.Validate(); err != nil {
			return err
		}
		if ids[p.ID] {
			return fmt.Errorf("support plan %s is listed twice", p.ID)
		}
		ids[p.ID] = true
	}
	for i, p := range ps {
		for _, q := range ps[i+1:] {
			for _, s := range p.Serves {
				if q.ServesSetting(s) && overlap(p, q) {
					return fmt.Errorf("support plans %s (%s) and %s (%s) both price %q in the same months: end one before the other starts",
						p.ID, p.Months(), q.ID, q.Months(), s)
				}
			}
		}
	}
	return nil
}

func overlap(p, q SupportPlan) bool {
	pStartsBeforeQEnds := p.From == "" || q.Until == "" || p.From <= q.Until
	qStartsBeforePEnds := q.From == "" || p.Until == "" || q.From <= p.Until
	return pStartsBeforeQEnds && qStartsBeforePEnds
}

// For is the version that prices a customer setting in a month.
func (ps SupportPlans) For(setting customer.SupportPlan, month string) (SupportPlan, error) {
	for _, p := range ps {
		if p.ServesSetting(setting) && p.Covers(month) {
			return p, nil
		}
	}
	if !known(setting) {
		return SupportPlan{}, fmt.Errorf("support plan %q is not one of %s", setting, settingNames())
	}
	return SupportPlan{}, fmt.Errorf("support plan %q has no version for %s: add one (rebill support-plans add) or change the customer's plan from that month", setting, month)
}

// ByID is the version with that ID.
func (ps SupportPlans) ByID(id string) (SupportPlan, bool) {
	for _, p := range ps {
		if strings.EqualFold(p.ID, id) {
			return p, true
		}
	}
	return SupportPlan{}, false
}

// Sorted returns the versions by their first setting, then by month.
func (ps SupportPlans) Sorted() SupportPlans {
	out := append(SupportPlans(nil), ps...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.From != b.From {
			return a.From < b.From
		}
		return a.ID < b.ID
	})
	return out
}

func usd(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

// bands builds contiguous bands from their upper bounds and percentages;
// the last bound is 0 (open).
func bands(pairs ...int64) []SupportBand {
	var out []SupportBand
	from := decimal.Zero
	for i := 0; i+1 < len(pairs); i += 2 {
		b := SupportBand{From: from, To: usd(pairs[i]), Percent: usd(pairs[i+1])}
		out = append(out, b)
		from = b.To
	}
	return out
}

// The month AWS's support plans change: Developer, Business and
// Enterprise On-Ramp end on 1 January 2027.
const (
	LegacySupportUntil = "2026-12"
	NewSupportFrom     = "2027-01"
)

const (
	awsPricingPage = "https://aws.amazon.com/premiumsupport/pricing/"
	awsPlanChange  = "AWS Support plan changes announced December 2025: Developer and Business end on 1 January 2027 " +
		"(Business Support+ replaces both), Enterprise On-Ramp folds into Enterprise"
)

// DefaultSupportPlans are the presets a new database is seeded with.
//
// Until 2026-12, AWS's published prices (https://aws.amazon.com/premiumsupport/pricing/),
// in USD on the month's charges:
//   - Developer: the greater of $29 or 3%.
//   - Business: the greater of $100 or 10% of the first $10K, 7% of
//     $10K-$80K, 5% of $80K-$250K, 3% above $250K.
//   - Enterprise On-Ramp: the greater of $5,500 or 10%.
//   - Enterprise: the greater of $15,000 or 10% of the first $150K, 7% of
//     $150K-$500K, 5% of $500K-$1M, 3% above $1M.
//
// From 2027-01, the plans AWS offers then, marked ToConfirm: the
// accountant checks them against AWS's pricing page before invoicing
// January 2027 (in February 2027), with Settings or `rebill support-plans
// set`. Business Support+ has a $29 minimum and bands from 9% down to 3%
// (as resellers' documentation summarises AWS's announcement); the middle
// bands are kept at Business's 7% and 5% until confirmed. Enterprise
// keeps the legacy Enterprise figures until confirmed.
//
// The flat plan takes the customer's own percentage on the whole base.
func DefaultSupportPlans() SupportPlans {
	dev, biz := customer.SupportDeveloper, customer.SupportBusiness
	onRamp, ent := customer.SupportEnterpriseOnRamp, customer.SupportEnterprise
	return SupportPlans{
		{ID: "aws-developer", Name: "AWS Support (Developer)", Serves: []customer.SupportPlan{dev}, Until: LegacySupportUntil,
			Currency: "USD", Minimum: usd(29), Bands: bands(0, 3), Source: awsPricingPage},
		{ID: "aws-business", Name: "AWS Support (Business)", Serves: []customer.SupportPlan{biz}, Until: LegacySupportUntil,
			Currency: "USD", Minimum: usd(100), Bands: bands(10_000, 10, 80_000, 7, 250_000, 5, 0, 3), Source: awsPricingPage},
		{ID: "aws-enterprise-on-ramp", Name: "AWS Support (Enterprise On-Ramp)", Serves: []customer.SupportPlan{onRamp}, Until: LegacySupportUntil,
			Currency: "USD", Minimum: usd(5_500), Bands: bands(0, 10), Source: awsPricingPage},
		{ID: "aws-enterprise", Name: "AWS Support (Enterprise)", Serves: []customer.SupportPlan{ent}, Until: LegacySupportUntil,
			Currency: "USD", Minimum: usd(15_000), Bands: bands(150_000, 10, 500_000, 7, 1_000_000, 5, 0, 3), Source: awsPricingPage},
		{ID: "aws-business-plus-2027", Name: "AWS Support (Business Support+)", Serves: []customer.SupportPlan{dev, biz}, From: NewSupportFrom,
			Currency: "USD", Minimum: usd(29), Bands: bands(10_000, 9, 80_000, 7, 250_000, 5, 0, 3), ToConfirm: true, Source: awsPlanChange},
		{ID: "aws-enterprise-2027", Name: "AWS Support (Enterprise)", Serves: []customer.SupportPlan{onRamp, ent}, From: NewSupportFrom,
			Currency: "USD", Minimum: usd(15_000), Bands: bands(150_000, 10, 500_000, 7, 1_000_000, 5, 0, 3), ToConfirm: true, Source: awsPlanChange},
		{ID: "flat", Name: "Support", Serves: []customer.SupportPlan{customer.SupportFlat},
			Bands: bands(0, 0), CustomerPercent: true},
	}
}

// BandsExample is the text form of bands, as FormatBands writes them and
// ParseBands reads them.
const BandsExample = "FROM-TO=PERCENT;..., the last band open (FROM-=PERCENT), e.g. 0-10000=10;10000-80000=7;80000-250000=5;250000-=3"

// FormatBands writes bands as text (BandsExample).
func FormatBands(bs []SupportBand) string {
	parts := make([]string, len(bs))
	for i, b := range bs {
		to := ""
		if !b.To.IsZero() {
			to = b.To.String()
		}
		parts[i] = b.From.String() + "-" + to + "=" + b.Percent.String()
	}
	return strings.Join(parts, ";")
}

// ParseBands reads bands from text (BandsExample); amounts may have
// thousands written with '_' or ',' left out: 10000, not 10,000. It checks
// the syntax; SupportPlan.Validate checks that the bands follow each other.
func ParseBands(s string) ([]SupportBand, error) {
	var out []SupportBand
	for i, item := range strings.Split(s, ";") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		rng, pct, ok := strings.Cut(item, "=")
		from, to, ok2 := strings.Cut(rng, "-")
		if !ok || !ok2 {
			return nil, fmt.Errorf("band %d %q is not written as FROM-TO=PERCENT (%s)", i+1, item, BandsExample)
		}
		var b SupportBand
		var err error
		num := func(what, v string) (decimal.Decimal, error) {
			v = strings.TrimSuffix(strings.ReplaceAll(strings.TrimSpace(v), "_", ""), "%")
			d, err := decimal.NewFromString(v)
			if err != nil {
				return d, fmt.Errorf("band %d %q: %s %q is not a number", i+1, item, what, v)
			}
			return d, nil
		}
		if b.From, err = num("from", from); err != nil {
			return nil, err
		}
		if strings.TrimSpace(to) != "" {
			if b.To, err = num("to", to); err != nil {
				return nil, err
			}
		}
		if b.Percent, err = num("percent", pct); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no band given: write them as %s", BandsExample)
	}
	return out, nil
}
