package billing

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/aggregate"
	"rebill/engine/customer"
	"rebill/engine/lineitem"
)

// AWS prices some usage in volume tiers over the whole consolidated
// family (the payer): S3 storage, data transfer out. A small customer
// inside a large payer so gets the large family's low tier price. A price
// table re-prices the customer's own usage of those usage types as if it
// were its own family: its own usage amounts of the month, cumulated in
// usage order, through the tiers its own volume reaches. It is data the
// accountant enters from the provider's public price list; Rebill invents
// no price.

// PriceTier is one band of a tiered price: the quantities from From up to
// To (zero To: no upper end) cost Price each.
type PriceTier struct {
	From  decimal.Decimal `json:"from"`
	To    decimal.Decimal `json:"to"` // zero: no upper end
	Price decimal.Decimal `json:"price"`
}

// TieredRate prices one usage type through tiers. UsageType matches a
// line item's usage type exactly, or, written "*suffix", every usage type
// ending in suffix (all regions' "*DataTransfer-Out-Bytes"). ProductCode,
// when set, narrows it to one product.
type TieredRate struct {
	ProductCode string `json:"product_code,omitempty"`
	UsageType   string `json:"usage_type"`
	// Unit is the unit of the usage amounts and of the tiers, as the file
	// gives them (S3 TimedStorage-ByteHrs: GB-Mo), for people to read.
	Unit  string      `json:"unit"`
	Tiers []PriceTier `json:"tiers"`
}

// PriceTable is a named set of tiered rates in one currency, the file's
// (a table in another currency than the usage it prices is refused).
type PriceTable struct {
	Name     string       `json:"name"`
	Currency string       `json:"currency"`
	Note     string       `json:"note,omitempty"`
	Rates    []TieredRate `json:"rates"`
}

// PresetS3StandardUSEast1 is the public S3 Standard storage price in US
// East (N. Virginia) per GB-month: first 50 TB 0.023, next 450 TB 0.022,
// over 500 TB 0.021 USD. AWS changes its prices: the accountant checks it
// against AWS's price list before using it.
func PresetS3StandardUSEast1() PriceTable {
	d := decimal.RequireFromString
	return PriceTable{Name: "s3-standard-us-east-1", Currency: "USD",
		Note: "check against AWS's price list (S3 Standard, US East N. Virginia, per GB-month)",
		Rates: []TieredRate{{ProductCode: "AmazonS3", UsageType: "TimedStorage-ByteHrs", Unit: "GB-Mo", Tiers: []PriceTier{
			{From: d("0"), To: d("51200"), Price: d("0.023")},
			{From: d("51200"), To: d("512000"), Price: d("0.022")},
			{From: d("512000"), Price: d("0.021")},
		}}}}
}

// PresetPriceTables are the tables Rebill ships, each to be checked.
func PresetPriceTables() []PriceTable { return []PriceTable{PresetS3StandardUSEast1()} }

// The fields of a price table's Validate problems.
const (
	TableFieldName      = "name"
	TableFieldCurrency  = "currency"
	TableFieldUsageType = "usage_type"
	TableFieldTiers     = "tiers"
)

// Validate refuses a table whose tiers do not follow each other from zero
// with a price each, so that every quantity has exactly one price. The
// refusal is a customer.Problem naming its field (the TableField
// constants), for a form to show beside it.
func (t PriceTable) Validate() error {
	bad := func(field, format string, a ...any) error {
		return customer.Problem{Field: field, Message: fmt.Sprintf(format, a...)}
	}
	if strings.TrimSpace(t.Name) == "" {
		return bad(TableFieldName, "the price table has no name")
	}
	if len(t.Currency) != 3 {
		return bad(TableFieldCurrency, "price table %s: currency %q is not a 3-letter code such as USD", t.Name, t.Currency)
	}
	for _, r := range t.Rates {
		if strings.TrimSpace(strings.TrimPrefix(r.UsageType, "*")) == "" {
			return bad(TableFieldUsageType, "price table %s: a rate names no usage type", t.Name)
		}
		if len(r.Tiers) == 0 {
			return bad(TableFieldTiers, "price table %s, %s: no tiers", t.Name, r.UsageType)
		}
		from := decimal.Zero
		for i, tr := range r.Tiers {
			if !tr.From.Equal(from) {
				return bad(TableFieldTiers, "price table %s, %s: tier %d starts at %s, not at %s where the one before ends", t.Name, r.UsageType, i+1, tr.From, from)
			}
			last := i == len(r.Tiers)-1
			if tr.To.IsZero() && !last || !tr.To.IsZero() && !tr.To.GreaterThan(tr.From) {
				return bad(TableFieldTiers, "price table %s, %s: tier %d must end above %s (only the last tier is open-ended)", t.Name, r.UsageType, i+1, tr.From)
			}
			if tr.Price.IsNegative() {
				return bad(TableFieldTiers, "price table %s, %s: tier %d has a negative price", t.Name, r.UsageType, i+1)
			}
			from = tr.To
		}
	}
	return nil
}

func (r TieredRate) matches(k bucketKey) bool {
	if r.ProductCode != "" && r.ProductCode != k.code {
		return false
	}
	if s, ok := strings.CutPrefix(r.UsageType, "*"); ok {
		return strings.HasSuffix(k.usageType, s)
	}
	return k.usageType == r.UsageType
}

// TierTrace is the quantity of one tier a line's usage was priced at.
type TierTrace struct {
	Table     string          `json:"table"`
	UsageType string          `json:"usage_type"`
	Unit      string          `json:"unit"`
	Currency  string          `json:"currency"`
	Quantity  decimal.Decimal `json:"quantity"`
	Price     decimal.Decimal `json:"price"`
	Charge    decimal.Decimal `json:"charge"`
}

// TiersText says how a line's usage was tiered: "tiered: 51200 GB-Mo at
// 0.023, 10240 GB-Mo at 0.022".
func TiersText(ts []TierTrace) string {
	if len(ts) == 0 {
		return ""
	}
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = fmt.Sprintf("%s %s at %s", t.Quantity, t.Unit, t.Price)
	}
	return "tiered: " + strings.Join(parts, ", ")
}

// tiered is a bucket's charge through a price table, the tiers it took
// and its charge per usage start (slot), for the item charges.
type tiered struct {
	charge decimal.Decimal
	tiers  []TierTrace
	slots  map[int64]decimal.Decimal
}

// slotOf is the usage start a line item's usage is ordered by
// (aggregate.SlotOf).
var slotOf = aggregate.SlotOf

// PriceTablesNamed are the tables of tables that some customer of cs
// names for the month (its terms then): the only ones its statements
// price through. A month given only these (Config.PriceTables) keeps usage
// by the hour just for the usage they price, not for all that any table,
// such as an unused preset, could price.
func PriceTablesNamed(tables map[string]PriceTable, cs []customer.Customer, period string) map[string]PriceTable {
	out := map[string]PriceTable{}
	for _, c := range cs {
		name := c.At(period).PriceTable
		if t, ok := tables[name]; ok && name != "" {
			out[name] = t
		}
	}
	return out
}

// tiersPrice reports whether some price table prices a bucket's usage, so
// that the bucket keeps its usage by usage start.
func (m *Month) tiersPrice(k bucketKey) bool {
	if k.typ != lineitem.Usage {
		return false
	}
	for _, t := range m.cfg.PriceTables {
		for _, r := range t.Rates {
			if r.matches(k) {
				return true
			}
		}
	}
	return false
}

// tieredCharges prices the customer's own usage through its price table:
// per tiered rate, the usage amounts of its Usage buckets of the
// statement's provider take the tiers cumulatively in usage order (usage
// start, then account and usage type for a stable order). Other
// customers' usage in the same payer never counts, which is the point.
// Only the re-rated basis (the customer billed as its own family) uses it:
// the other bases say what the provider billed or listed.
func (b *builder) tieredCharges() error {
	name := b.c.PriceTable
	if name == "" || b.basis != customer.BasisRerated {
		return nil
	}
	t, ok := b.m.cfg.PriceTables[name]
	if !ok {
		return fmt.Errorf("customer %s names price table %q, which is not among the price tables: add it (rebill price-tables set) or clear the customer's", b.c.ID, name)
	}
	if err := t.Validate(); err != nil {
		return err
	}
	type use struct {
		bk    *bucket
		start int64
		qty   decimal.Decimal
	}
	b.tiered = map[bucketKey]tiered{}
	for _, r := range t.Rates {
		var uses []use
		for _, bk := range b.m.byCustomer[b.c.ID] {
			if bk.key.provider != b.provider || bk.key.typ != lineitem.Usage || !r.matches(bk.key) {
				continue
			}
			if _, done := b.tiered[bk.key]; done {
				continue // an earlier rate of the table prices it
			}
			if bk.key.currency != t.Currency {
				return fmt.Errorf("price table %s is in %s but the usage %s of account %s is in %s: enter the table in the file's currency", t.Name, t.Currency, bk.key.usageType, bk.key.account, bk.key.currency)
			}
			b.tiered[bk.key] = tiered{charge: decimal.Zero, slots: map[int64]decimal.Decimal{}}
			for start, q := range bk.slots {
				uses = append(uses, use{bk, start, q})
			}
		}
		sort.Slice(uses, func(i, j int) bool {
			x, y := uses[i], uses[j]
			if x.start != y.start {
				return x.start < y.start
			}
			if x.bk.key.account != y.bk.key.account {
				return x.bk.key.account < y.bk.key.account
			}
			return x.bk.key.usageType < y.bk.key.usageType
		})
		pos := decimal.Zero
		for _, u := range uses {
			end := pos.Add(decimal.Max(u.qty, decimal.Zero))
			tr := b.tiered[u.bk.key]
			slot := decimal.Zero
			for _, tier := range r.Tiers {
				lo, hi := decimal.Max(pos, tier.From), end
				if !tier.To.IsZero() {
					hi = decimal.Min(hi, tier.To)
				}
				if !hi.GreaterThan(lo) {
					continue
				}
				qty := hi.Sub(lo)
				c := qty.Mul(tier.Price)
				slot = slot.Add(c)
				tr.tiers = append(tr.tiers, TierTrace{Table: t.Name, UsageType: r.UsageType, Unit: r.Unit,
					Currency: t.Currency, Quantity: qty, Price: tier.Price, Charge: c})
			}
			tr.charge = tr.charge.Add(slot)
			tr.slots[u.start] = tr.slots[u.start].Add(slot)
			b.tiered[u.bk.key] = tr
			pos = end
		}
	}
	return nil
}

// itemTiered is one line item's part of its bucket's tiered charge: its
// usage start's charge, shared by usage amount among the items that
// started then (exact when one item did).
func (b *builder) itemTiered(it *lineitem.Item, k bucketKey, t *tiered) decimal.Decimal {
	s := slotOf(it)
	whole := b.m.index[k].slots[s]
	if !whole.IsPositive() || !it.UsageAmount.IsPositive() {
		return decimal.Zero
	}
	if it.UsageAmount.Equal(whole) {
		return t.slots[s]
	}
	return t.slots[s].Mul(it.UsageAmount).Div(whole)
}

// rerate is Month.rerate for the statement's customer, then its price
// table: a tiered bucket's charge replaces what the basis gave it.
func (b *builder) rerate(bk *bucket) (rerate, *tiered) {
	rr := b.m.rerate(bk, b.basis, b.c.ID, b.opt.PassPartnerCredit)
	t, ok := b.tiered[bk.key]
	if !ok {
		return rr, nil
	}
	rr.charged, rr.chargedCents, rr.asBilled = t.charge, t.charge, false
	return rr, &t
}

// mergeTiers sums a line's tier quantities per table, usage type and
// price, keeping the order the tiers were first met (cheapest last).
func mergeTiers(ts []TierTrace) []TierTrace {
	var out []TierTrace
next:
	for _, t := range ts {
		for i := range out {
			o := &out[i]
			if o.Table == t.Table && o.UsageType == t.UsageType && o.Currency == t.Currency && o.Price.Equal(t.Price) {
				o.Quantity, o.Charge = o.Quantity.Add(t.Quantity), o.Charge.Add(t.Charge)
				continue next
			}
		}
		out = append(out, t)
	}
	return out
}

// WithRate is the table with r's tiers for its usage type: they replace
// the tiers the table has for the same usage type and product code (r
// keeps their unit when it names none), or are added. The command line
// and the window change a table's usage type by this one rule.
func (t PriceTable) WithRate(r TieredRate) PriceTable {
	rates := append([]TieredRate(nil), t.Rates...)
	replaced := false
	for i := range rates {
		if rates[i].UsageType == r.UsageType && rates[i].ProductCode == r.ProductCode {
			if r.Unit == "" {
				r.Unit = rates[i].Unit
			}
			rates[i], replaced = r, true
		}
	}
	if !replaced {
		rates = append(rates, r)
	}
	t.Rates = rates
	return t
}

// TiersExample is how ParseTiers reads tiers: FROM-TO=PRICE, the last
// open-ended.
const TiersExample = "0-51200=0.023;51200-512000=0.022;512000-=0.021"

// ParseTiers reads tiers as people type them (TiersExample).
func ParseTiers(s string) ([]PriceTier, error) {
	var out []PriceTier
	for i, item := range strings.Split(s, ";") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		rng, price, ok := strings.Cut(item, "=")
		from, to, ok2 := strings.Cut(rng, "-")
		if !ok || !ok2 {
			return nil, fmt.Errorf("tier %d %q is not written as FROM-TO=PRICE (%s)", i+1, item, TiersExample)
		}
		num := func(what, v string) (decimal.Decimal, error) {
			v = strings.ReplaceAll(strings.TrimSpace(v), "_", "")
			d, err := decimal.NewFromString(v)
			if err != nil {
				return d, fmt.Errorf("tier %d %q: %s %q is not a number", i+1, item, what, v)
			}
			return d, nil
		}
		var t PriceTier
		var err error
		if t.From, err = num("from", from); err != nil {
			return nil, err
		}
		if strings.TrimSpace(to) != "" {
			if t.To, err = num("to", to); err != nil {
				return nil, err
			}
		}
		if t.Price, err = num("price", price); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no tiers: write them as %s", TiersExample)
	}
	return out, nil
}

// FormatTiers writes tiers as ParseTiers reads them.
func FormatTiers(ts []PriceTier) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		to := ""
		if !t.To.IsZero() {
			to = t.To.String()
		}
		parts[i] = t.From.String() + "-" + to + "=" + t.Price.String()
	}
	return strings.Join(parts, ";")
}
