package store

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
	"rebill/engine/reconcile"
)

// Reconciliation is a month tied back to the distributor's invoices: one
// bridge per provider, and each invoiced customer's console variance, the
// per-service figures the margin report is made of.
type Reconciliation struct {
	Period  string             `json:"period"`
	Bridges []reconcile.Bridge `json:"bridges"`
	// Margins are the invoiced customers' statements explained against
	// their cost, per provider.
	Margins []reconcile.Margin `json:"-"`
}

// Reconcile builds the bridge of a YYYY-MM month for one provider ("aws",
// "azure", ...) or, when provider is "", for every billed provider with
// data that month. Everything is read in one read transaction: the
// month's current data, the distributor invoices, and the standing issued
// invoices, each computed again as it was issued (see Corrections), so a
// re-delivered file shows as an unexplained residual naming the lines it
// changed.
func (db *DB) Reconcile(period, provider string) (Reconciliation, error) {
	rec := Reconciliation{Period: period, Bridges: []reconcile.Bridge{}}
	if err := customer.CheckMonth("month", period); err != nil {
		return rec, err
	}
	provider = strings.ToLower(strings.TrimSpace(provider))
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		rec, err = reconcileTx(tx, period, provider)
		return err
	})
	if err == nil && len(rec.Bridges) == 0 {
		err = noProviderError{period, provider}
	}
	return rec, err
}

// noProviderError is a month without data of the provider asked for; it
// matches ErrNotFound, as a month without data does.
type noProviderError struct{ period, provider string }

func (e noProviderError) Error() string {
	return fmt.Sprintf("%s holds no %s data: rebill periods lists what is imported", e.period, strings.ToUpper(e.provider))
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e noProviderError) Is(target error) bool { return target == ErrNotFound }

func reconcileTx(tx *bolt.Tx, period, provider string) (Reconciliation, error) {
	rec := Reconciliation{Period: period, Bridges: []reconcile.Bridge{}}
	bm, err := readBillingMonth(tx, monthRead{period: period})
	if err != nil {
		return rec, err
	}
	var providers []lineitem.Provider
	for _, d := range bm.Deliveries {
		if (provider == "" || string(d.Provider) == provider) && !containsProvider(providers, d.Provider) {
			providers = append(providers, d.Provider)
		}
	}
	if len(providers) == 0 {
		return rec, nil // the caller says so: the margin report skips the month
	}
	dist, err := distributorInvoices(tx, period)
	if err != nil {
		return rec, err
	}
	all, err := indexed(tx, indexPrefix(period, ""))
	if err != nil {
		return rec, err
	}
	docs := map[string][]invoice.Invoice{}
	key := func(d invoice.Invoice) string { return d.CustomerID + "\x00" + string(d.Provider()) }
	var keys []string
	for _, d := range all {
		if docs[key(d)] == nil {
			keys = append(keys, key(d))
		}
		docs[key(d)] = append(docs[key(d)], d)
	}
	sort.Strings(keys)
	var issued []invoice.Invoice
	for _, k := range keys {
		if inv, ok := invoice.Standing(docs[k]); ok && containsProvider(providers, inv.Provider()) {
			issued = append(issued, inv)
		}
	}
	fresh, err := freshStatements(tx, issued)
	if err != nil {
		return rec, err
	}
	for _, p := range providers {
		accounts := bm.Month.ProviderAccounts(p)
		in := reconcile.Input{Period: period, Provider: string(p), Rounding: bm.Settings.Rounding,
			Currency: billingCurrency(tx, string(p), period), Accounts: accounts}
		if len(accounts) > 0 {
			in.Currency = accounts[0].Currency
		}
		for _, d := range dist {
			if d.Provider == string(p) {
				in.Distributor = append(in.Distributor, d)
			}
		}
		for i, inv := range issued {
			if inv.Provider() != p {
				continue
			}
			v := invoicedOf(inv, fresh[i], in.Currency)
			for _, n := range inv.CreditNotes(docs[key(inv)]) {
				if n.Status == invoice.Open || n.Status == invoice.Closed {
					v.Credited = v.Credited.Add(n.Total.Decimal())
					v.CreditedBeforeTax = v.CreditedBeforeTax.Add(n.Total.Decimal().Sub(n.Tax.Decimal()))
				}
			}
			in.Invoices = append(in.Invoices, v)
		}
		b, err := reconcile.Build(in)
		if err != nil {
			return rec, fmt.Errorf("%s %s: %w", strings.ToUpper(string(p)), period, err)
		}
		rec.Bridges = append(rec.Bridges, b)
		for _, v := range in.Invoices {
			if v.Console != nil {
				rec.Margins = append(rec.Margins, reconcile.Margin{Period: period, Provider: string(p), Customer: v.CustomerID, Invoice: v.Number, Console: *v.Console, Credited: v.CreditedBeforeTax})
			}
		}
	}
	return rec, nil
}

// invoicedOf is an issued invoice with its fresh statement, for the bridge.
func invoicedOf(inv invoice.Invoice, f fresh, bridgeCurrency string) reconcile.Invoiced {
	v := reconcile.Invoiced{CustomerID: inv.CustomerID, Number: inv.Number, Total: inv.Total, Currency: inv.Currency,
		Rounding: inv.Options.Normalize().Rounding}
	for _, r := range inv.Rates {
		if r.From == bridgeCurrency && r.To == inv.Currency {
			v.Rate = r.Rate
		}
	}
	if f.err != nil {
		v.Problem = fmt.Sprintf("%s could not be computed again: %v", inv.Label(), f.err)
		return v
	}
	v.Console, v.FreshTotal = &f.st.Console, f.st.Total
	if v.Rate.IsZero() {
		for _, r := range f.st.Rates {
			if r.From == bridgeCurrency && r.To == inv.Currency {
				v.Rate = r.Rate
			}
		}
	}
	d, err := invoice.Diff(inv, f.st)
	if err != nil {
		v.Problem = err.Error()
		return v
	}
	v.Changes = changesOf(d)
	return v
}

// changesOf lists an invoice's printed figures that the month now computes
// otherwise: the lines a residual comes from.
func changesOf(d invoice.Difference) []string {
	var out []string
	for _, l := range d.Lines {
		if l.Changed() {
			out = append(out, fmt.Sprintf("%s %s: invoiced %s, now %s (%s)", l.ProductType, l.Service, l.Was, l.Now, l.By))
		}
	}
	for _, c := range []struct {
		name string
		c    invoice.Change
	}{{"Discount", d.Discount}, {"Support", d.Support}, {"Reseller credits", d.CreditsApplied}, {"Tax", d.Tax}} {
		if c.c.Changed() {
			out = append(out, fmt.Sprintf("%s: invoiced %s, now %s (%s)", c.name, c.c.Was, c.c.Now, c.c.By))
		}
	}
	if len(out) > 0 {
		out = append(out, "the month was re-delivered or a rule changed since "+d.Number+" was issued: rebill invoices corrections lists it, rebill invoices correct issues the correction")
	}
	return out
}

func containsProvider(ps []lineitem.Provider, p lineitem.Provider) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

// Margins is the margin report of the months from..until (YYYY-MM, until
// "" for from alone), per customer, provider and service: the invoiced
// customers' statements against their cost, split by cause (see
// reconcile.Margins). A month with no data is skipped. One read
// transaction.
func (db *DB) Margins(from, until, provider string) ([]reconcile.MarginRow, error) {
	if until == "" {
		until = from
	}
	for _, m := range []string{from, until} {
		if err := customer.CheckMonth("month", m); err != nil {
			return nil, err
		}
	}
	if until < from {
		return nil, fmt.Errorf("--until %s is before --period %s: give the first month, then the last", until, from)
	}
	provider = strings.ToLower(strings.TrimSpace(provider))
	var ms []reconcile.Margin
	err := db.bolt.View(func(tx *bolt.Tx) error {
		for m := from; m <= until; m = customer.AddMonths(m, 1) {
			rec, err := reconcileTx(tx, m, provider)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			ms = append(ms, rec.Margins...)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return reconcile.Margins(ms), nil
}
