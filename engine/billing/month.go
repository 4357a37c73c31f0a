package billing

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/shopspring/decimal"

	"rebill/engine/aggregate"
	"rebill/engine/customer"
	"rebill/engine/lineitem"
	"rebill/engine/money"
)

// Config is what the store knows about a month besides its line items.
type Config struct {
	// Period is the YYYY-MM month billed.
	Period string
	// Owners maps each account (AWS usage account, Azure subscription) to
	// the ID of the customer that owns it this month. Accounts not in it
	// are unassigned: reported by Unassigned, billed to nobody.
	Owners map[string]string
	// ProductTypes overrides the built-in product code table
	// (DefaultProductType) with the accountant's own sections.
	ProductTypes map[string]ProductType
	// Rates looks up exchange rates; nil when every customer is invoiced in
	// the files' currency.
	Rates RateFunc
	// SupportPlans are the stored support plan versions; nil takes
	// DefaultSupportPlans.
	SupportPlans SupportPlans
	// Transfers are the accounts that change owner inside the month, with
	// their owners by day (customer.TransfersIn): their line items go to
	// the owner on the item's usage day, overriding Owners.
	Transfers map[string][]customer.DayOwner
	// PriceTables are the reseller's volume price tables by name, for the
	// customers that name one (customer.Customer.PriceTable); those no
	// customer names may be left out (PriceTablesNamed).
	PriceTables map[string]PriceTable
	// Customers, when not empty, are the only customers the month is
	// read for: Add and AddGroup leave out the line items of accounts
	// none of them owns on any day of the month (Reads), so that one
	// customer's statement sums its own accounts, not the whole month.
	// Its statements are the same either way: a statement reads only
	// the sums of its customer's accounts, and the customer who bought a
	// commitment is found in Owners, not in the buyer's line items. The
	// month-wide views (Accounts, ProviderAccounts, Unassigned, Totals,
	// Items) then cover those customers' accounts only.
	Customers []string
}

// Month is one billing month reduced in a single pass over its line items
// to sums per account, product code, usage type, line item type, billing
// entity, currency and commitment owner. That is every distinction a rule
// needs, so every customer's statement, the usage view, the console
// variance and the traces are computed from these sums without reading the
// line items again.
//
// Add every line item, then ask for statements. Statement and the other
// views may be called concurrently; Add may not be called after them.
type Month struct {
	cfg     Config
	types   productTypes
	plans   SupportPlans
	index   map[bucketKey]*bucket
	buckets []*bucket
	items   int64
	// reads are the accounts summed when Config.Customers is set (nil:
	// every account).
	reads map[string]bool

	sealOnce   sync.Once
	sealed     bool
	byCustomer map[string][]*bucket // "" holds the unassigned accounts
}

// bucketKey is what a line item is summed by. Owner is the account that
// bought the reservation or Savings Plan behind a DiscountedUsage, RIFee or
// Savings Plan line, "" for other lines.
type bucketKey struct {
	account   string
	provider  lineitem.Provider
	entity    string
	code      string
	usageType string
	typ       string
	currency  string
	owner     string
	// customer and ownerCustomer are the owners on the item's day of its
	// account and of owner, set only for an account in Config.Transfers
	// (see Month.customerOf), so that a moved account's days are summed
	// apart and the buckets of other accounts stay as they were.
	customer, ownerCustomer string
}

// bucket is the sums of the line items sharing a key. list is what the
// usage would cost at public on-demand prices: pricing/publicOnDemandCost,
// or the unblended cost where AWS leaves that column empty (AWS does on
// some usage, e.g. EBS and free-tier lines). The *Cents sums are each line
// item rounded to the cent, for the usage view.
type bucket struct {
	key    bucketKey
	name   string // product name, as first named
	seller string // lineItem/LegalEntity, as first named
	count  int64

	unblended, blended, list                money.Sum
	unblendedCents, blendedCents, listCents money.Sum
	// partner is Microsoft's partner earned credit on the lines, already
	// taken off unblended (lineitem.Item.PartnerCredit).
	partner, partnerCents money.Sum
	// slots are the sums of lineItem/UsageAmount by usage start (Unix
	// seconds), kept only for a usage type some price table prices (see
	// tiers.go), so that the tiers are taken in usage order.
	slots map[int64]decimal.Decimal

	// Filled when the month is sealed.
	tot totals
}

// totals are a bucket's sums as decimals.
type totals struct {
	unblended, blended, list                decimal.Decimal
	unblendedCents, blendedCents, listCents decimal.Decimal
	partner, partnerCents                   decimal.Decimal
}

// NewMonth starts a month. It fails when an override names a section that
// cannot hold a product code, or the support plans contradict each other.
func NewMonth(cfg Config) (*Month, error) {
	if len(cfg.Period) != 7 || cfg.Period[4] != '-' {
		return nil, fmt.Errorf("period %q is not a YYYY-MM month", cfg.Period)
	}
	pt, err := newProductTypes(cfg.ProductTypes)
	if err != nil {
		return nil, err
	}
	plans := cfg.SupportPlans
	if plans == nil {
		plans = DefaultSupportPlans()
	}
	if err := plans.Validate(); err != nil {
		return nil, fmt.Errorf("the support plans: %w", err)
	}
	m := &Month{cfg: cfg, types: pt, plans: plans, index: make(map[bucketKey]*bucket, 4096)}
	if len(cfg.Customers) > 0 {
		m.reads = readAccounts(cfg)
	}
	return m, nil
}

// readAccounts are the accounts the customers of cfg.Customers own on
// some day of the month: their month's owner (Owners), or one of their
// owners by day when they move inside it (Transfers).
func readAccounts(cfg Config) map[string]bool {
	wanted := map[string]bool{}
	for _, c := range cfg.Customers {
		wanted[c] = true
	}
	reads := map[string]bool{}
	for account, c := range cfg.Owners {
		if wanted[c] {
			reads[account] = true
		}
	}
	for account, owners := range cfg.Transfers {
		for _, o := range owners {
			if wanted[o.Customer] {
				reads[account] = true
			}
		}
	}
	return reads
}

// Reads reports whether the month sums an account's line items: every
// account's, unless Config.Customers names the customers it is read for.
// Whoever feeds the month may skip the others' items unread.
func (m *Month) Reads(account string) bool { return m.reads == nil || m.reads[account] }

// readFor refuses a customer the month was not read for
// (Config.Customers): its statement would miss its line items.
func (m *Month) readFor(customerID string) error {
	if m.reads == nil || slices.Contains(m.cfg.Customers, customerID) {
		return nil
	}
	return fmt.Errorf("the month %s was read for %s only, not for customer %s: read it for that customer", m.cfg.Period, strings.Join(m.cfg.Customers, ", "), customerID)
}

// Add sums one line item into the month. It has the signature of the
// store's scan callback and keeps nothing of it but copies of its strings,
// so the caller may reuse the item.
func (m *Month) Add(it *lineitem.Item) error {
	if m.sealed {
		return fmt.Errorf("line item added to %s after its statements were computed; scan the month again", m.cfg.Period)
	}
	if it.BillingPeriod != m.cfg.Period && it.BillingPeriod != "" {
		return fmt.Errorf("line item of %s in the scan of %s", it.BillingPeriod, m.cfg.Period)
	}
	if !m.Reads(it.UsageAccount) {
		return nil
	}
	k := m.keyOf(it)
	b := m.index[k]
	if b == nil {
		b = m.newBucket(k, it)
	}
	if b.name == "" && it.ProductName != "" {
		b.name = strings.Clone(it.ProductName) // the first item that names the product
	}
	if b.seller == "" && it.LegalEntity != "" {
		b.seller = strings.Clone(it.LegalEntity)
	}
	b.count++
	b.unblended.Add(it.UnblendedCost)
	b.blended.Add(it.BlendedCost)
	addCents(&b.unblendedCents, it.UnblendedCost)
	addCents(&b.blendedCents, it.BlendedCost)
	list := listCost(it)
	b.list.Add(list)
	addCents(&b.listCents, list)
	if !it.PartnerCredit.IsZero() {
		b.partner.Add(it.PartnerCredit)
		addCents(&b.partnerCents, it.PartnerCredit)
	}
	if b.slots != nil {
		s := slotOf(it)
		b.slots[s] = b.slots[s].Add(it.UsageAmount)
	}
	m.items++
	return nil
}

// AddGroup sums a group of line items (aggregate.Group, made at import)
// into the month, as adding each of its items would: the month's sums, its
// statements and views come out the same to the last decimal, provided the
// groups come in the order of their first items (aggregate.Set keeps it,
// aggregate.Merger keeps it for day and month groups read together), so
// that a bucket is named after the same first product name and seller.
// The group's Slots are read only when NeedsSlots says so. A month's group
// (Day 0) is refused for a key the month reads by day (ReadsDaily).
func (m *Month) AddGroup(g *aggregate.Group) error {
	if m.sealed {
		return fmt.Errorf("line items added to %s after its statements were computed; scan the month again", m.cfg.Period)
	}
	if !m.Reads(g.Account) {
		return nil
	}
	if g.Day == 0 && m.ReadsDaily(&g.Key) {
		return fmt.Errorf("the month's sums of account %s %s %s added where %s needs them by day: read its day groups", g.Account, g.Code, g.UsageType, m.cfg.Period)
	}
	k := bucketKey{account: g.Account, provider: g.Provider, entity: g.Entity, code: g.Code,
		usageType: g.UsageType, typ: g.Type, currency: g.Currency, owner: g.Owner}
	if len(m.cfg.Transfers) > 0 {
		day := g.Date(m.cfg.Period)
		if owners, ok := m.cfg.Transfers[k.account]; ok {
			k.customer = customer.OwnerOnDay(owners, day)
		}
		if owners, ok := m.cfg.Transfers[k.owner]; ok {
			k.ownerCustomer = customer.OwnerOnDay(owners, day)
		}
	}
	b := m.index[k]
	if b == nil {
		b = m.newBucket(k, &lineitem.Item{ProductName: g.Name, LegalEntity: g.Seller})
	}
	if b.name == "" && g.Name != "" {
		b.name = strings.Clone(g.Name)
	}
	if b.seller == "" && g.Seller != "" {
		b.seller = strings.Clone(g.Seller)
	}
	b.count += g.Count
	b.unblended.AddSum(g.Sums[aggregate.Unblended])
	b.blended.AddSum(g.Sums[aggregate.Blended])
	b.list.AddSum(g.Sums[aggregate.List])
	b.unblendedCents.AddSum(g.Sums[aggregate.UnblendedCents])
	b.blendedCents.AddSum(g.Sums[aggregate.BlendedCents])
	b.listCents.AddSum(g.Sums[aggregate.ListCents])
	b.partner.AddSum(g.Sums[aggregate.Partner])
	b.partnerCents.AddSum(g.Sums[aggregate.PartnerCents])
	if b.slots != nil {
		for _, sl := range g.Slots {
			b.slots[sl.Start] = b.slots[sl.Start].Add(sl.Usage.Total())
		}
	}
	m.items += g.Count
	return nil
}

// NeedsSlots reports whether the month reads a group's usage by usage
// start (aggregate.Group.Slots): only for Usage a price table prices, so
// that whoever reads groups may skip the others' slots.
func (m *Month) NeedsSlots(k *aggregate.Key) bool {
	return k.Type == lineitem.Usage && m.tiersPrice(bucketKey{code: k.Code, usageType: k.UsageType, typ: k.Type})
}

// ReadsDaily reports whether the month needs a key's sums day by day
// (aggregate groups of one day, with their usage by the hour) rather than
// the month's (aggregate.Monthly): for an account, or the buyer of its
// commitment, moved inside the month, whose days go to different
// customers, and for usage a price table prices in usage order
// (NeedsSlots). Whoever feeds the month reads the others' month groups.
func (m *Month) ReadsDaily(k *aggregate.Key) bool {
	if _, ok := m.cfg.Transfers[k.Account]; ok {
		return true
	}
	if _, ok := m.cfg.Transfers[k.Owner]; ok && k.Owner != "" {
		return true
	}
	return m.NeedsSlots(k)
}

// keyOf is the bucket a line item is summed into.
func (m *Month) keyOf(it *lineitem.Item) bucketKey {
	typ := lineType(it)
	k := bucketKey{account: it.UsageAccount, provider: it.Provider, entity: it.BillingEntity,
		code: it.ProductCode, usageType: it.UsageType, typ: typ, currency: it.Currency,
		owner: commitmentOwner(it, typ)}
	if len(m.cfg.Transfers) > 0 {
		day := UsageDay(it, m.cfg.Period)
		if owners, ok := m.cfg.Transfers[k.account]; ok {
			k.customer = customer.OwnerOnDay(owners, day)
		}
		if owners, ok := m.cfg.Transfers[k.owner]; ok {
			k.ownerCustomer = customer.OwnerOnDay(owners, day)
		}
	}
	return k
}

// UsageDay is the YYYY-MM-DD day a line item is billed to an account's
// owner on (aggregate.UsageDay).
func UsageDay(it *lineitem.Item, period string) string { return aggregate.UsageDay(it, period) }

// customerOf is the customer a bucket's line items are billed to: the
// account's owner on their day for a moved account, else the month's.
func (m *Month) customerOf(k bucketKey) string {
	if _, ok := m.cfg.Transfers[k.account]; ok {
		return k.customer
	}
	return m.cfg.Owners[k.account]
}

// commitmentCustomer is the customer owning the reservation or Savings
// Plan behind a bucket, on the bucket's day for a moved owner account.
func (m *Month) commitmentCustomer(k bucketKey) string {
	if _, ok := m.cfg.Transfers[k.owner]; ok {
		return k.ownerCustomer
	}
	return m.cfg.Owners[k.owner]
}

// listCost is what a line item would cost at public on-demand prices
// (aggregate.ListCost).
var listCost = aggregate.ListCost

// newBucket copies the key's strings: the caller's item, and whatever its
// strings point into, may be reused.
func (m *Month) newBucket(k bucketKey, it *lineitem.Item) *bucket {
	for _, s := range []*string{&k.account, &k.entity, &k.code, &k.usageType, &k.typ, &k.currency, &k.owner, &k.customer, &k.ownerCustomer} {
		*s = strings.Clone(*s)
	}
	k.provider = lineitem.Provider(strings.Clone(string(k.provider)))
	b := &bucket{key: k, name: strings.Clone(it.ProductName), seller: strings.Clone(it.LegalEntity)}
	if m.tiersPrice(k) {
		b.slots = map[int64]decimal.Decimal{}
	}
	m.index[k] = b
	m.buckets = append(m.buckets, b)
	return b
}

// seal turns the sums into decimals and indexes the buckets by customer,
// once, before the first statement.
func (m *Month) seal() {
	m.sealOnce.Do(func() {
		m.sealed = true
		m.byCustomer = map[string][]*bucket{}
		for _, b := range m.buckets {
			b.tot = totals{
				unblended: b.unblended.Total(), blended: b.blended.Total(), list: b.list.Total(),
				unblendedCents: b.unblendedCents.Total(), blendedCents: b.blendedCents.Total(),
				listCents: b.listCents.Total(), partner: b.partner.Total(), partnerCents: b.partnerCents.Total(),
			}
			c := m.customerOf(b.key)
			m.byCustomer[c] = append(m.byCustomer[c], b)
		}
	})
}

// Providers lists the providers whose line items a customer's accounts
// have in the month, in BilledProviders' order: the customer gets one
// statement per provider. Providers Rebill does not bill are left out.
func (m *Month) Providers(customerID string) []lineitem.Provider {
	m.seal()
	seen := map[lineitem.Provider]bool{}
	for _, b := range m.byCustomer[customerID] {
		seen[b.key.provider] = true
	}
	var out []lineitem.Provider
	for _, p := range BilledProviders {
		if seen[p] {
			out = append(out, p)
		}
	}
	return out
}

// bucketsOf are a customer's buckets of one provider.
func (m *Month) bucketsOf(customerID string, p lineitem.Provider) []*bucket {
	m.seal()
	var out []*bucket
	for _, b := range m.byCustomer[customerID] {
		if b.key.provider == p {
			out = append(out, b)
		}
	}
	return out
}

// homeProvider is the provider whose statement carries a customer's
// recurring charges, so that they are billed once a month whatever the
// number of providers: the first of Providers, AWS when it has none.
func (m *Month) homeProvider(customerID string) lineitem.Provider {
	if ps := m.Providers(customerID); len(ps) > 0 {
		return ps[0]
	}
	return lineitem.AWS
}

// Period returns the YYYY-MM month.
func (m *Month) Period() string { return m.cfg.Period }

// Items returns how many line items were added.
func (m *Month) Items() int64 { return m.items }

// AccountTotal is what one account was billed in the month, at full
// precision, for reconciliation: the provider's total must equal the sum
// over accounts, and unassigned accounts must be visible.
type AccountTotal struct {
	Account   string          `json:"account"`
	Customer  string          `json:"customer"` // "" when unassigned
	Currency  string          `json:"currency"`
	Items     int64           `json:"items"`
	Unblended decimal.Decimal `json:"unblended"`
	Blended   decimal.Decimal `json:"blended"`
}

// Accounts lists every account seen in the month with its owner and
// totals, by customer then account.
func (m *Month) Accounts() []AccountTotal { return m.accounts(nil) }

// ProviderAccounts is Accounts for one provider's line items: what that
// provider's distributor invoice covers.
func (m *Month) ProviderAccounts(p lineitem.Provider) []AccountTotal {
	return m.accounts(func(b *bucket) bool { return b.key.provider == p })
}

// accounts is Accounts over the buckets keep accepts (all when nil).
func (m *Month) accounts(keep func(*bucket) bool) []AccountTotal {
	m.seal()
	type key struct{ account, currency, customer string }
	at := map[key]*AccountTotal{}
	var out []*AccountTotal
	for _, b := range m.buckets {
		if keep != nil && !keep(b) {
			continue
		}
		k := key{b.key.account, b.key.currency, m.customerOf(b.key)}
		a := at[k]
		if a == nil {
			a = &AccountTotal{Account: k.account, Customer: k.customer, Currency: k.currency}
			at[k] = a
			out = append(out, a)
		}
		a.Items += b.count
		a.Unblended = a.Unblended.Add(b.tot.unblended)
		a.Blended = a.Blended.Add(b.tot.blended)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Customer != b.Customer {
			return a.Customer < b.Customer
		}
		if a.Account != b.Account {
			return a.Account < b.Account
		}
		return a.Currency < b.Currency
	})
	res := make([]AccountTotal, len(out))
	for i, a := range out {
		res[i] = *a
	}
	return res
}

// Unassigned lists the accounts no customer owns this month: their charges
// are billed to nobody, so they must be shown, never dropped.
func (m *Month) Unassigned() []AccountTotal {
	var out []AccountTotal
	for _, a := range m.Accounts() {
		if a.Customer == "" {
			out = append(out, a)
		}
	}
	return out
}

// CurrencyTotal is the unblended total of the month's files in one currency.
type CurrencyTotal struct {
	Currency  string          `json:"currency"`
	Items     int64           `json:"items"`
	Unblended decimal.Decimal `json:"unblended"`
}

// Totals returns the files' unblended totals per currency: what the
// distributor's invoice should match.
func (m *Month) Totals() []CurrencyTotal {
	m.seal()
	var out []CurrencyTotal
	for _, a := range m.Accounts() {
		i := sort.Search(len(out), func(i int) bool { return out[i].Currency >= a.Currency })
		if i == len(out) || out[i].Currency != a.Currency {
			out = append(out, CurrencyTotal{})
			copy(out[i+1:], out[i:])
			out[i] = CurrencyTotal{Currency: a.Currency}
		}
		out[i].Items += a.Items
		out[i].Unblended = out[i].Unblended.Add(a.Unblended)
	}
	return out
}

// fileCurrency is the currency most of a customer's buckets are in, the
// invoice currency when the customer names none.
func fileCurrency(bs []*bucket) string {
	n := map[string]int64{}
	best := ""
	for _, b := range bs {
		n[b.key.currency] += b.count
		if c := b.key.currency; best == "" || n[c] > n[best] || n[c] == n[best] && c < best {
			best = c
		}
	}
	if best == "" {
		return "USD"
	}
	return best
}
