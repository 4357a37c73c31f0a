package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
)

// BillingMonth is one month read for billing: its line items summed once
// into a billing.Month, with everything a statement needs besides them
// (customers, account owners that month, credit ledgers, product type
// overrides, exchange rates, support plans, settings). Everything is read in one read
// transaction, so every statement of a report sees the same database,
// even while an import or an edit lands.
//
// It is the one place where the store feeds the engine: the CLI's report,
// the window's Reports screen, and later invoice generation and the API
// all ask it, so they all show the same numbers.
//
// Statement and the views may be called concurrently.
type BillingMonth struct {
	// Month holds the month's sums; ask it for Accounts, Unassigned and
	// Totals. Ask the BillingMonth, not the Month, for statements.
	Month *billing.Month
	// Period is the YYYY-MM month.
	Period string
	// Deliveries are the month's current deliveries of the providers
	// Rebill bills (billing.Billed), one per provider and payer, with
	// their finality. Each provider's are billed on statements of their
	// own (billing.Options.Provider).
	Deliveries []Period
	// Settings are the billing settings the statements default to.
	Settings billing.Settings
	// Version is the database version read (see DB.Version): when it
	// still equals DB.Version, the month need not be read again.
	Version uint64

	customers []customer.Customer // in list order (Customers)
	byID      map[string]int
	ledgers   map[string]billing.Ledger
	// docs are the month's invoices and credit notes by customer, read
	// in the same transaction, so a report knows which months are
	// invoiced (Report).
	docs map[string][]invoice.Invoice
}

// BillingMonth reads a YYYY-MM month for billing, scanning its line items
// once. It fails when the month has no imported data or the product type
// overrides are damaged.
func (db *DB) BillingMonth(period string) (*BillingMonth, error) {
	return db.billingMonth(monthRead{period: period})
}

// BillingMonthFor reads a YYYY-MM month for the selected customers'
// statements only: the sums of the accounts they own in the month, not
// the whole month's, so that one customer's statement of a month of many
// accounts takes a fraction of the month's read. Their statements are
// those BillingMonth gives; another customer's is refused, and the
// month-wide views (Month.Accounts, Unassigned, Totals) cover their
// accounts only. A selection of all customers reads the whole month.
func (db *DB) BillingMonthFor(period string, sel customer.Selection) (*BillingMonth, error) {
	return db.billingMonth(monthRead{period: period, customers: &sel})
}

// billingMonth reads a month in a read transaction of its own.
func (db *DB) billingMonth(r monthRead) (*BillingMonth, error) {
	var bm *BillingMonth
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		bm, err = readBillingMonth(tx, r)
		if err == nil {
			bm.Version = db.bolt.version(tx) // DB.Version's, restores counted
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return bm, nil
}

// monthRead is what readBillingMonth reads.
type monthRead struct {
	// period is the YYYY-MM month.
	period string
	// atRates, when not nil, wraps the exchange rate lookup: an issued
	// invoice's month is computed again at the invoice's own rates
	// (invoice.Invoice.RateFunc), so that a correction shows what the
	// data changed, not what the day's rates did.
	atRates func(billing.RateFunc) billing.RateFunc
	// deliveries, when not empty, are the deliveries the month is read
	// from (an invoice's own, current or not) instead of the current ones.
	deliveries []uint64
	// customers, when not nil and not all of them, are the customers the
	// month is read for (billing.Config.Customers, see readFor).
	customers *customer.Selection
	// src reads the line items; nil reads the groups (fromGroups).
	src itemSource
}

// noDataError is a month with no imported data. Its message is the
// accountant's; it matches ErrNotFound, so the API answers 404.
type noDataError string

func (e noDataError) Error() string {
	return fmt.Sprintf("no billing data for %s: import its files first", string(e))
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e noDataError) Is(target error) bool { return target == ErrNotFound }

// notBilledError is a month whose data is all of providers Rebill does
// not bill yet (billing.Billed); it matches ErrNotFound like a month with
// no data.
type notBilledError struct {
	period    string
	providers []string
}

func (e notBilledError) Error() string {
	return fmt.Sprintf("no billing data for %s: it holds only %s data, which Rebill imports and lists (rebill periods) but does not bill yet",
		e.period, strings.Join(e.providers, " and "))
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e notBilledError) Is(target error) bool { return target == ErrNotFound }

// readBillingMonth is billingMonth inside a transaction. Only the
// deliveries of providers Rebill bills are read.
func readBillingMonth(tx *bolt.Tx, r monthRead) (*BillingMonth, error) {
	period, src := r.period, r.src
	if src == nil {
		src = fromGroups
	}
	if err := customer.CheckMonth("month", period); err != nil {
		return nil, err
	}
	bm := &BillingMonth{Period: period, byID: map[string]int{}, ledgers: map[string]billing.Ledger{}}
	bm.Version = uint64(tx.ID())
	var err error
	all, err := monthDeliveries(tx, period, r.deliveries)
	if err != nil {
		return nil, err
	}
	var unbilled []string
	for _, d := range all {
		if billing.Billed(d.Provider) {
			bm.Deliveries = append(bm.Deliveries, d)
		} else if p := strings.ToUpper(string(d.Provider)); !slices.Contains(unbilled, p) {
			unbilled = append(unbilled, p)
		}
	}
	if len(bm.Deliveries) == 0 && len(unbilled) > 0 {
		return nil, notBilledError{period, unbilled}
	}
	if len(bm.Deliveries) == 0 {
		return nil, noDataError(period)
	}
	if err := bm.readCustomers(tx); err != nil {
		return nil, err
	}
	only, err := bm.readFor(r.customers)
	if err != nil {
		return nil, err
	}
	docs, err := indexed(tx, indexPrefix(period, ""))
	if err != nil {
		return nil, err
	}
	bm.docs = map[string][]invoice.Invoice{}
	for _, d := range docs {
		bm.docs[d.CustomerID] = append(bm.docs[d.CustomerID], d)
	}
	mappings, err := allMappings(tx)
	if err != nil {
		return nil, err
	}
	overrides, err := allProductTypes(tx)
	if err != nil {
		return nil, err
	}
	rates, err := allRates(tx)
	if err != nil {
		return nil, err
	}
	table := billing.NewRateTable(rates)
	if bm.Settings, err = getBillingSettings(tx); err != nil {
		return nil, err
	}
	plans, err := allSupportPlans(tx)
	if err != nil {
		return nil, err
	}
	tables, err := allPriceTables(tx)
	if err != nil {
		return nil, err
	}
	lookup := billing.RateFunc(table.Lookup)
	if r.atRates != nil {
		lookup = r.atRates(lookup)
	}
	bm.Month, err = billing.NewMonth(billing.Config{Period: period, Owners: customer.OwnersAt(mappings, period),
		Transfers:    customer.TransfersIn(mappings, period),
		ProductTypes: billing.OverrideMapAt(overrides, period), Rates: lookup, SupportPlans: plans,
		PriceTables: billing.PriceTablesNamed(tables, bm.customers, period), Customers: only})
	if err != nil {
		return nil, fmt.Errorf("the product type overrides or support plans: %w", err)
	}
	for _, p := range bm.Deliveries {
		if err := src(tx, &p.deliveryRecord, bm.Month); err != nil {
			return nil, err
		}
	}
	return bm, nil
}

// monthDeliveries are the deliveries a month is read from: the current
// ones, or those of ids.
func monthDeliveries(tx *bolt.Tx, period string, ids []uint64) ([]Period, error) {
	if len(ids) == 0 {
		return currentDeliveries(tx, period)
	}
	out := make([]Period, 0, len(ids))
	for _, id := range ids {
		rec, err := getDelivery(tx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, Period{deliveryRecord: *rec})
	}
	return out, nil
}

// DeliveryIDs are the ids of the deliveries the month was read from.
func (bm *BillingMonth) DeliveryIDs() []uint64 {
	ids := make([]uint64, len(bm.Deliveries))
	for i, d := range bm.Deliveries {
		ids[i] = d.ID
	}
	return ids
}

// ProviderDeliveryIDs are the ids of one provider's deliveries the month
// was read from: what that provider's invoice is computed from and
// records.
func (bm *BillingMonth) ProviderDeliveryIDs(p lineitem.Provider) []uint64 {
	var ids []uint64
	for _, d := range bm.Deliveries {
		if d.Provider == p {
			ids = append(ids, d.ID)
		}
	}
	return ids
}

// ProviderFinal reports whether the provider has closed every delivery of
// the month it has: until then that provider's statements are estimates.
func (bm *BillingMonth) ProviderFinal(p lineitem.Provider) bool {
	var ps []Period
	for _, d := range bm.Deliveries {
		if d.Provider == p {
			ps = append(ps, d)
		}
	}
	for _, m := range monthsOf(ps) {
		if !m.Final {
			return false
		}
	}
	return len(ps) > 0
}

// Providers lists the providers a customer has line items of in the
// month (billing.Month.Providers): one statement, and one invoice, each.
// A customer with none is listed with AWS, the statement its recurring
// charges alone would be on.
func (bm *BillingMonth) Providers(customerID string) []lineitem.Provider {
	if ps := bm.Month.Providers(customerID); len(ps) > 0 {
		return ps
	}
	return []lineitem.Provider{lineitem.AWS}
}

// readFor is the ids of the customers a month is read for
// (monthRead.customers), nil for all of them: a group's members, or the
// ids listed. An unknown id in a list is kept, not refused: the month
// reads nothing for it, and its statement refuses it as the whole
// month's would, so that a batch reports it beside the others.
func (bm *BillingMonth) readFor(sel *customer.Selection) ([]string, error) {
	if sel == nil || sel.All {
		return nil, nil
	}
	if len(sel.Customers) > 0 && sel.Group == "" {
		return sel.Customers, nil
	}
	cs, err := bm.Select(*sel)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids, nil
}

// readCustomers reads every customer and every credit ledger.
func (bm *BillingMonth) readCustomers(tx *bolt.Tx) error {
	if err := tx.Bucket(bucketCustomers).ForEach(func(k, v []byte) error {
		c, err := decodeCustomer(k, v)
		bm.customers = append(bm.customers, c)
		return err
	}); err != nil {
		return err
	}
	customer.SortList(bm.customers)
	for i, c := range bm.customers {
		bm.byID[c.ID] = i
	}
	if err := tx.Bucket(bucketGrants).ForEach(func(k, v []byte) error {
		var g customer.Grant
		if err := json.Unmarshal(v, &g); err != nil {
			return fmt.Errorf("credit grant %x is damaged in the database: %w", k, err)
		}
		l := bm.ledgers[g.Customer]
		l.Grants = append(l.Grants, g)
		bm.ledgers[g.Customer] = l
		return nil
	}); err != nil {
		return err
	}
	return tx.Bucket(bucketUses).ForEach(func(k, v []byte) error {
		var u customer.Use
		if err := json.Unmarshal(v, &u); err != nil {
			return fmt.Errorf("credit use %x is damaged in the database: %w", k, err)
		}
		l := bm.ledgers[u.Customer]
		l.Uses = append(l.Uses, u)
		bm.ledgers[u.Customer] = l
		return nil
	})
}

// Final reports whether the provider has closed every delivery of the
// month: until then its statements are estimates.
func (bm *BillingMonth) Final() bool {
	ms := monthsOf(bm.Deliveries)
	return len(ms) == 1 && ms[0].Final
}

// Customers returns every customer, in the customer list's order.
func (bm *BillingMonth) Customers() []customer.Customer {
	return append([]customer.Customer(nil), bm.customers...)
}

// Customer returns one customer as read with the month.
func (bm *BillingMonth) Customer(id string) (customer.Customer, bool) {
	i, ok := bm.byID[id]
	if !ok {
		return customer.Customer{}, false
	}
	return bm.customers[i], true
}

// Select returns the customers a selection chooses among the month's
// (customer.Selection.Select), in the customer list's order.
func (bm *BillingMonth) Select(sel customer.Selection) ([]customer.Customer, error) {
	return sel.Select(bm.customers)
}

// Statement computes a customer's statement for the month with its credit
// ledger; options the report leaves empty (provider tax, rounding) take
// the billing settings. The error wraps ErrNotFound for an unknown
// customer, and is a *billing.RateError when an exchange rate is missing.
func (bm *BillingMonth) Statement(customerID string, opt billing.Options) (*billing.Statement, error) {
	return bm.statementWith(customerID, opt, nil)
}

// statementWith is Statement with the reseller credits that earlier
// statements of the same batch spend (spent) taken off the customer's
// ledger, so that the customer's statements of several providers in one
// month never plan to spend the same credit twice.
func (bm *BillingMonth) statementWith(customerID string, opt billing.Options, spent []customer.Use) (*billing.Statement, error) {
	c, ok := bm.Customer(customerID)
	if !ok {
		return nil, customer.NotFound("there is no customer %q (ids are case-sensitive)", customerID)
	}
	l := bm.ledgers[customerID]
	if len(spent) > 0 {
		l.Uses = append(append([]customer.Use(nil), l.Uses...), spent...)
	}
	return bm.Month.Statement(c, l, bm.Settings.Apply(opt))
}

// Statements computes the statements of several customers, in the order
// given; the first failure stops it, naming the customer.
func (bm *BillingMonth) Statements(ids []string, opt billing.Options) ([]*billing.Statement, error) {
	out := make([]*billing.Statement, 0, len(ids))
	for _, id := range ids {
		st, err := bm.Statement(id, opt)
		if err != nil {
			return nil, fmt.Errorf("customer %s: %w", id, err)
		}
		out = append(out, st)
	}
	return out, nil
}

// Report is one statement of a report (`rebill report`, the Reports
// screen, the API's statements) with the issued invoice that stands for
// its customer, provider and month, if any.
type Report struct {
	*billing.Statement
	// Invoiced compares the statement's month with its issued invoice;
	// nil while the month is not invoiced.
	Invoiced *invoice.Reported `json:"invoiced,omitempty"`
}

// Report computes a customer's statement of the month for one provider
// (opt.Provider, AWS when empty) as a report shows it: once the month is
// invoiced, with the credits the invoice used counted as this month's and
// the invoice beside it (invoice.Report). The comparison is computed at
// the month's exchange rates as they are now; `invoices corrections`
// computes it at the invoice's own.
func (bm *BillingMonth) Report(customerID string, opt billing.Options) (Report, error) {
	return bm.reportWith(customerID, opt, nil)
}

// reportWith is Report with the credits earlier statements of the batch
// spend taken off the ledger, as statementWith does.
func (bm *BillingMonth) reportWith(customerID string, opt billing.Options, spent []customer.Use) (Report, error) {
	c, ok := bm.Customer(customerID)
	if !ok {
		return Report{}, customer.NotFound("there is no customer %q (ids are case-sensitive)", customerID)
	}
	l := bm.ledgers[customerID]
	if len(spent) > 0 {
		l.Uses = append(append([]customer.Use(nil), l.Uses...), spent...)
	}
	opt = bm.Settings.Apply(opt)
	compute := func(l billing.Ledger, o billing.Options, currency string) (*billing.Statement, error) {
		cc := c
		cc.Currency = currency
		return bm.Month.Statement(cc, l, o)
	}
	st, rep, err := invoice.Report(bm.docs[customerID], opt.Cloud(), l, opt, c.Currency, compute)
	if err != nil {
		return Report{}, err
	}
	return Report{Statement: st, Invoiced: rep}, nil
}

// Reports computes the reports of several customers, in the order given,
// one per provider each customer has line items of, or of opt.Provider
// alone when it is set; the credits an earlier statement of the same
// customer spends are not spent again by the next, as GenerateInvoices
// does. Each invoiced month carries its invoice (Report). The first
// failure stops it, naming the customer.
func (bm *BillingMonth) Reports(ids []string, opt billing.Options) ([]Report, error) {
	var out []Report
	for _, id := range ids {
		ps := bm.Providers(id)
		if opt.Provider != "" {
			ps = []lineitem.Provider{opt.Provider}
		}
		var spent []customer.Use
		for _, p := range ps {
			o := opt
			o.Provider = p
			r, err := bm.reportWith(id, o, spent)
			if err != nil {
				return nil, fmt.Errorf("customer %s: %w", id, err)
			}
			if r.Invoiced == nil {
				spent = append(spent, r.CreditUses...)
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// Version changes whenever anything is written to the database: an
// import, a customer, mapping, credit, rate or setting, or a restore. A
// BillingMonth read at the same version is still current.
func (db *DB) Version() (uint64, error) {
	var v uint64
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v = db.bolt.version(tx)
		return nil
	})
	return v, err
}
