// Package ingest imports provider billing files: it recognises the container
// (plain, gzip, zip, Parquet) and the provider format from the header, streams
// the rows through the provider's mapping and hands line items to a
// Destination (the store) in batches, so a file of any size is imported in
// constant memory and lands whole or not at all.
package ingest

import (
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/lineitem"
	"rebill/engine/money"
)

// Status tells what an import did with a file's month.
type Status string

// Statuses reported per file and per delivery.
const (
	Imported        Status = "imported"
	AlreadyImported Status = "already imported"
	Replaced        Status = "replaced an earlier delivery"
)

// Delivery is one provider month of one payer account as delivered by one
// file: the unit that a newer delivery replaces.
type Delivery struct {
	Provider      lineitem.Provider          `json:"provider"`
	Payer         string                     `json:"payer"`
	Period        string                     `json:"period"` // YYYY-MM
	Currency      string                     `json:"currency"`
	Rows          int64                      `json:"rows"`
	UnblendedCost decimal.Decimal            `json:"unblended_cost"`
	Accounts      map[string]decimal.Decimal `json:"accounts"` // usage account -> unblended cost
	AccountRows   map[string]int64           `json:"account_rows"`
	// Final is true once the provider has closed the month: AWS writes
	// bill/InvoiceId only then.
	Final      bool     `json:"final"`
	InvoiceIDs []string `json:"invoice_ids,omitempty"`
	Status     Status   `json:"status"`
	// ReplacedImport is the import whose data this delivery replaced.
	ReplacedImport uint64 `json:"replaced_import,omitempty"`
}

// AccountIDs returns the delivery's usage accounts, sorted.
func (d *Delivery) AccountIDs() []string {
	ids := make([]string, 0, len(d.Accounts))
	for a := range d.Accounts {
		ids = append(ids, a)
	}
	sort.Strings(ids)
	return ids
}

// Result reports the import of one file.
type Result struct {
	ImportID   uint64     `json:"import_id"`
	File       string     `json:"file"`
	Hash       string     `json:"sha256"`
	Bytes      int64      `json:"bytes"`
	Format     string     `json:"format"`
	Status     Status     `json:"status"`
	Rows       int64      `json:"rows"`
	Deliveries []Delivery `json:"deliveries"`
	ImportedAt time.Time  `json:"imported_at"`
}

// Periods lists the YYYY-MM billing periods of the result, sorted.
func (r *Result) Periods() []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range r.Deliveries {
		if !seen[d.Period] {
			seen[d.Period] = true
			out = append(out, d.Period)
		}
	}
	sort.Strings(out)
	return out
}

// Payers lists the payer accounts of the result, sorted.
func (r *Result) Payers() []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range r.Deliveries {
		if !seen[d.Payer] {
			seen[d.Payer] = true
			out = append(out, d.Payer)
		}
	}
	sort.Strings(out)
	return out
}

// UnblendedCost is the exact total of the file.
func (r *Result) UnblendedCost() decimal.Decimal {
	var s money.Sum
	for _, d := range r.Deliveries {
		s.Add(d.UnblendedCost)
	}
	return s.Total()
}

// Final is true when every month of the file is final.
func (r *Result) Final() bool {
	for _, d := range r.Deliveries {
		if !d.Final {
			return false
		}
	}
	return len(r.Deliveries) > 0
}

// deliveryKey identifies a delivery inside one file.
type deliveryKey struct {
	provider      lineitem.Provider
	payer, period string
}

// tally accumulates a delivery's summary while rows stream past.
type tally struct {
	key       deliveryKey
	currency  string
	rows      int64
	total     money.Sum
	accounts  map[string]*accountTally
	invoices  map[string]bool
	firstLine string // where the currency was first seen, for mismatch messages
}

type accountTally struct {
	rows int64
	sum  money.Sum
}

func (t *tally) add(it *lineitem.Item) {
	t.rows++
	t.total.Add(it.UnblendedCost)
	a := t.accounts[it.UsageAccount]
	if a == nil {
		a = &accountTally{}
		t.accounts[it.UsageAccount] = a
	}
	a.rows++
	a.sum.Add(it.UnblendedCost)
	if it.InvoiceID != "" && len(t.invoices) < 100 {
		t.invoices[it.InvoiceID] = true
	}
}

func (t *tally) delivery() Delivery {
	d := Delivery{
		Provider:      t.key.provider,
		Payer:         t.key.payer,
		Period:        t.key.period,
		Currency:      t.currency,
		Rows:          t.rows,
		UnblendedCost: t.total.Total(),
		Accounts:      make(map[string]decimal.Decimal, len(t.accounts)),
		AccountRows:   make(map[string]int64, len(t.accounts)),
		Final:         len(t.invoices) > 0,
	}
	for acct, a := range t.accounts {
		d.Accounts[acct] = a.sum.Total()
		d.AccountRows[acct] = a.rows
	}
	for id := range t.invoices {
		d.InvoiceIDs = append(d.InvoiceIDs, id)
	}
	sort.Strings(d.InvoiceIDs)
	return d
}
