package customer

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// SupportChange is a change of the customer's support plan from a month
// on: the plan Support names applies until the first change, each change
// until the next. A plan is a customer setting, so a change is dated; the
// months before it keep the plan they were priced with.
type SupportChange struct {
	From        string          `json:"from"` // YYYY-MM
	Plan        SupportPlan     `json:"plan"`
	FlatPercent decimal.Decimal `json:"flat_percent"` // for SupportFlat
}

// SupportAt is the customer's support plan in a YYYY-MM month, with the
// flat percentage that goes with it: the latest change from that month
// or before, else Support.
func (c *Customer) SupportAt(month string) (SupportPlan, decimal.Decimal) {
	plan, flat, from := c.Support, c.SupportFlat, ""
	for _, ch := range c.SupportChanges {
		if ch.From <= month && ch.From >= from {
			plan, flat, from = ch.Plan, ch.FlatPercent, ch.From
		}
	}
	return plan, flat
}

// SetSupportFrom records that the customer's plan is plan (with its flat
// percentage) from a month on, replacing a change already made from that
// month. Later changes stay: they still apply from their own months.
func (c *Customer) SetSupportFrom(month string, plan SupportPlan, flat decimal.Decimal) {
	out := c.SupportChanges[:0:0]
	for _, ch := range c.SupportChanges {
		if ch.From != month {
			out = append(out, ch)
		}
	}
	out = append(out, SupportChange{From: month, Plan: plan, FlatPercent: flat})
	sort.Slice(out, func(i, j int) bool { return out[i].From < out[j].From })
	c.SupportChanges = out
}

// DiscountMode says what a statement does with the provider's own
// discounts on the customer's charges (EdpDiscount, PrivateRateDiscount,
// BundledDiscount, SppDiscount, DistributorDiscount): they are the payer's
// contract with AWS, and the reseller decides whether its customer gets
// them.
type DiscountMode string

// Provider discount modes.
const (
	// DiscountsPassedOn nets the discount into the service line it
	// reduces: the customer pays what the payer paid (the default, and
	// Rebill's behaviour before the choice existed).
	DiscountsPassedOn DiscountMode = "passed-on"
	// DiscountsSeparate passes the discount on as a line of its own under
	// the service it reduces, so the customer sees it.
	DiscountsSeparate DiscountMode = "separate"
	// DiscountsMargin keeps the discount as the reseller's margin: the
	// customer is billed the service before the discount.
	DiscountsMargin DiscountMode = "margin"
)

// DiscountModes lists the modes in the order a form offers them.
var DiscountModes = []DiscountMode{DiscountsPassedOn, DiscountsSeparate, DiscountsMargin}

// ParseDiscountMode reads a mode as people type it ("Margin",
// "passed_on", "passedon"); "" is no choice.
func ParseDiscountMode(s string) (DiscountMode, error) {
	k := strings.NewReplacer("_", "-", " ", "-").Replace(strings.ToLower(strings.TrimSpace(s)))
	if k == "passedon" {
		k = string(DiscountsPassedOn)
	}
	m := DiscountMode(k)
	if m == "" || m.Known() {
		return m, nil
	}
	return "", fmt.Errorf("provider discount mode %q is not one of %s", s, joinModes())
}

// Known reports whether m is one of DiscountModes.
func (m DiscountMode) Known() bool {
	for _, k := range DiscountModes {
		if m == k {
			return true
		}
	}
	return false
}

func joinModes() string {
	s := make([]string, len(DiscountModes))
	for i, m := range DiscountModes {
		s[i] = string(m)
	}
	return strings.Join(s, ", ")
}

const supportChangesExample = "FROM=PLAN, FROM=flat PERCENT for the flat plan, e.g. 2027-01=business;2027-06=flat 7.5"

func formatSupportChanges(cs []SupportChange) string {
	items := make([]listItem, len(cs))
	for i, ch := range cs {
		v := string(ch.Plan)
		if ch.Plan == SupportFlat {
			v += " " + ch.FlatPercent.String()
		}
		items[i] = listItem{parts: []string{ch.From}, value: v, hasValue: true}
	}
	return formatList(items)
}

func parseSupportChanges(v string) ([]SupportChange, error) {
	items, err := parseList(v, 1, true, "support plan change", supportChangesExample)
	if err != nil {
		return nil, err
	}
	out := make([]SupportChange, len(items))
	for i, it := range items {
		plan, pct, _ := strings.Cut(strings.TrimSpace(it.value), " ")
		ch := SupportChange{From: strings.TrimSpace(it.parts[0]), Plan: SupportPlan(strings.TrimSpace(plan))}
		if ch.FlatPercent, err = parsePercent("flat support percentage from "+ch.From, pct); err != nil {
			return nil, err
		}
		out[i] = ch
	}
	return out, nil
}

// validateSupport checks the plan changes: real months, known plans, one
// change a month.
func (c *Customer) validateSupport(ps *problems) {
	seen := map[string]bool{}
	for _, ch := range c.SupportChanges {
		if err := CheckMonth("support plan change", ch.From); err != nil {
			ps.addErr("support_changes", err)
			continue
		}
		if seen[ch.From] {
			ps.add("support_changes", "the support plan changes twice from %s: keep one", ch.From)
		}
		seen[ch.From] = true
		if !knownPlan(ch.Plan) {
			ps.add("support_changes", "support plan %q from %s is unknown: use one of %s", ch.Plan, ch.From, joinPlans())
		}
		ps.addErr("support_changes", checkPercent("flat support percentage from "+ch.From, ch.FlatPercent))
	}
	if !c.ProviderDiscounts.Known() && c.ProviderDiscounts != "" {
		ps.add("provider_discounts", "provider discount mode %q is unknown: use one of %s, or leave it empty for the reseller's setting", c.ProviderDiscounts, joinModes())
	}
}
