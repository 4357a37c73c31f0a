// Package ingest imports provider billing files: it recognises the container
// (plain, gzip, zip, Parquet) and the provider format from the header, streams
// the rows through the provider's mapping and hands line items to a
// Destination (the store) in batches, so a file of any size is imported in
// constant memory and lands whole or not at all.
package ingest

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/lineitem"
	"rebill/engine/money"
	"rebill/engine/period"
)

// Status tells what an import did with a file or a delivery.
type Status string

// Statuses reported per file and per delivery.
const (
	// Imported: a new month (per delivery) or a file read (per file).
	Imported Status = "imported"
	// AlreadyImported: the file's bytes are in the month's current
	// delivery already; nothing changed.
	AlreadyImported Status = "already imported"
	// EarlierDelivery: the file's bytes belong to a delivery that is no
	// longer current; nothing changed (rebill deliveries restore brings it
	// back).
	EarlierDelivery Status = "earlier delivery"
	// Replaced: the delivery replaced the month's earlier one, which is
	// kept in the history.
	Replaced Status = "replaced an earlier delivery"
	// Joined: the parts completed the month's current delivery, which
	// came with fewer parts.
	Joined Status = "joined the current delivery"
	// Restored: an earlier delivery was made current again.
	Restored Status = "restored"
)

// Delivery is one provider month of one payer account: every part (file)
// the provider split it into, summed. It is the unit a newer delivery
// replaces as a whole, and what an invoice is computed from.
type Delivery struct {
	// ID numbers the delivery in the store's history; 0 until stored.
	ID            uint64                     `json:"id,omitempty"`
	Provider      lineitem.Provider          `json:"provider"`
	Payer         string                     `json:"payer"`
	Period        string                     `json:"period"` // YYYY-MM
	Currency      string                     `json:"currency"`
	Rows          int64                      `json:"rows"`
	UnblendedCost decimal.Decimal            `json:"unblended_cost"`
	Accounts      map[string]decimal.Decimal `json:"accounts"` // usage account -> unblended cost
	AccountRows   map[string]int64           `json:"account_rows"`
	// Final is true once the provider has closed the month: AWS writes
	// bill/InvoiceId only then. A delivery is final when every part is.
	Final      bool     `json:"final"`
	InvoiceIDs []string `json:"invoice_ids,omitempty"`
	// Confirmed is set when Final is the accountant's word rather than
	// the files' (ConfirmFinal).
	Confirmed *Confirmation `json:"confirmed,omitempty"`
	// LatestUsage is the start of the latest usage hour in the delivery:
	// the provider's own measure of how far a provisional month goes,
	// used to tell an older re-delivery from a newer one.
	LatestUsage time.Time `json:"latest_usage"`
	// CostView is which of the provider's views of cost the delivery
	// holds, where it writes two of a month (read.ViewActual, the cost
	// invoiced, or read.ViewAmortized: Azure's exports); "" when its
	// rows do not tell. One view never silently replaces the other
	// (Resolve).
	CostView string `json:"cost_view,omitempty"`
	// ViewChange says, when the accountant chose to replace one view of
	// cost with the other, what the month is billed from now.
	ViewChange string `json:"view_change,omitempty"`
	// Parts are the files the month came in, in part order.
	Parts  []Part `json:"parts"`
	Origin Origin `json:"origin"`
	Status Status `json:"status"`
	// Previous is the delivery this one replaced or completed.
	Previous uint64 `json:"previous,omitempty"`
	// Deliberate is true when the accountant chose the replacement
	// (--replace) over the rule that keeps the fresher delivery.
	Deliberate bool `json:"deliberate,omitempty"`
	// Missing lists parts a joined delivery still lacks.
	Missing []string `json:"missing,omitempty"`
	// LateAdjustment is set when the delivery was imported into a month
	// the accountant had closed: what it changed, per customer.
	LateAdjustment *period.Adjustment `json:"late_adjustment,omitempty"`
	// Issued are the numbers of the standing issued invoices of the
	// month and provider computed from the data this delivery replaced
	// or completed (their customers own its accounts, or the earlier
	// delivery's): the month's corrections say which of them changed.
	Issued []string `json:"issued,omitempty"`
}

// Part is one file's share of a delivery.
type Part struct {
	File          string          `json:"file"` // as named when imported
	Name          string          `json:"name"` // base name, how manifests list it
	Hash          string          `json:"sha256"`
	Bytes         int64           `json:"bytes"`
	Number        int             `json:"number,omitempty"` // part number; 0 for a whole file
	Rows          int64           `json:"rows"`             // of this delivery's month and payer
	UnblendedCost decimal.Decimal `json:"unblended_cost"`
	Final         bool            `json:"final"`
	// Slice is where the store keeps the part's rows; 0 until stored.
	Slice uint64 `json:"slice,omitempty"`
	// Index is the part's file in the import that read it.
	Index int `json:"-"`
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

// Files names the delivery's files for people: the first part's file and
// how many more.
func (d *Delivery) Files() string {
	switch len(d.Parts) {
	case 0:
		return ""
	case 1:
		return d.Parts[0].File
	}
	if len(d.Parts) == 2 {
		return d.Parts[0].File + " and 1 more part"
	}
	return fmt.Sprintf("%s and %d more parts", d.Parts[0].File, len(d.Parts)-1)
}

// PartNames are the base names of the parts.
func (d *Delivery) PartNames() []string {
	out := make([]string, len(d.Parts))
	for i, p := range d.Parts {
		out[i] = p.Name
	}
	return out
}

// merge adds the parts of o (same provider, payer and month) to d and
// recomputes the sums; parts d has already (same name and bytes) are
// skipped. Sums are recomputed from the parts' exact figures, accounts
// from both.
func (d *Delivery) merge(o Delivery) {
	if d.CostView == "" {
		d.CostView = o.CostView
	} else if o.CostView != "" && o.CostView != d.CostView {
		d.CostView = "" // parts that disagree tell nothing
	}
	var total money.Sum
	total.Add(d.UnblendedCost)
	accounts := map[string]*money.Sum{}
	for a, c := range d.Accounts {
		accounts[a] = &money.Sum{}
		accounts[a].Add(c)
	}
	rows := maps.Clone(d.AccountRows)
	if rows == nil {
		rows = map[string]int64{}
	}
	for _, p := range o.Parts {
		if slices.ContainsFunc(d.Parts, func(q Part) bool { return q.Name == p.Name && q.Hash == p.Hash }) {
			continue
		}
		d.Parts = append(d.Parts, p)
	}
	d.Rows += o.Rows
	total.Add(o.UnblendedCost)
	for a, c := range o.Accounts {
		if accounts[a] == nil {
			accounts[a] = &money.Sum{}
		}
		accounts[a].Add(c)
		rows[a] += o.AccountRows[a]
	}
	d.UnblendedCost = total.Total()
	d.Accounts = make(map[string]decimal.Decimal, len(accounts))
	for a, s := range accounts {
		d.Accounts[a] = s.Total()
	}
	d.AccountRows = rows
	d.Final = d.Final && o.Final
	if !d.Final {
		// Parts joined after a confirmation make a delivery the
		// accountant has not seen whole.
		d.Confirmed = nil
	}
	for _, id := range o.InvoiceIDs {
		if !slices.Contains(d.InvoiceIDs, id) {
			d.InvoiceIDs = append(d.InvoiceIDs, id)
		}
	}
	sort.Strings(d.InvoiceIDs)
	if o.LatestUsage.After(d.LatestUsage) {
		d.LatestUsage = o.LatestUsage
	}
	if d.Currency == "" {
		d.Currency = o.Currency
	}
	sortParts(d.Parts)
}

// sortParts orders parts by part number, then name.
func sortParts(ps []Part) {
	slices.SortStableFunc(ps, func(a, b Part) int {
		if a.Number != b.Number {
			return a.Number - b.Number
		}
		return strings.Compare(a.Name, b.Name)
	})
}

// FileResult reports one file named in an import.
type FileResult struct {
	File   string `json:"file"`
	Hash   string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
	Format string `json:"format,omitempty"`
	Rows   int64  `json:"rows"`
	Status Status `json:"status"`
	// Number is the file's part number, 0 for a whole file.
	Number int `json:"number,omitempty"`
	// CostView is which view of cost the file's rows hold, when they
	// tell (Delivery.CostView).
	CostView string `json:"cost_view,omitempty"`
	Origin   Origin `json:"origin"`
	// Deliveries are, for a file imported before, the deliveries that
	// hold its bytes.
	Deliveries []uint64 `json:"deliveries,omitempty"`
	// Note says what the accountant can do about an earlier delivery.
	Note string `json:"note,omitempty"`
}

// Result reports one import: every file named and every delivery it made
// current. An import lands whole or not at all.
type Result struct {
	ImportID uint64 `json:"import_id"`
	// File, Hash, Bytes and Format describe the first file, for an
	// import of one file.
	File       string       `json:"file"`
	Hash       string       `json:"sha256"`
	Bytes      int64        `json:"bytes"`
	Format     string       `json:"format"`
	Status     Status       `json:"status"`
	Rows       int64        `json:"rows"`
	Files      []FileResult `json:"files"`
	Deliveries []Delivery   `json:"deliveries"`
	// Skipped says what of a folder was not read, and why.
	Skipped    []string  `json:"skipped,omitempty"`
	ImportedAt time.Time `json:"imported_at"`
	// Replace records that the accountant chose --replace, and By who
	// ran the import (the system user).
	Replace bool   `json:"replace,omitempty"`
	By      string `json:"by,omitempty"`
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

// UnblendedCost is the exact total of the deliveries the import made current.
func (r *Result) UnblendedCost() decimal.Decimal {
	var s money.Sum
	for _, d := range r.Deliveries {
		s.Add(d.UnblendedCost)
	}
	return s.Total()
}

// Final is true when every month of the import is final.
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
	key      deliveryKey
	currency string
	rows     int64
	// accounts hold the delivery's sums; its total is theirs, added once
	// at the end rather than once more per row.
	accounts map[string]*accountTally
	invoices map[string]bool
	// unbilled counts rows without an invoice id: one is enough to keep
	// the delivery provisional (see delivery).
	unbilled int64
	latest   time.Time
	// lastAccount is the account of the row before and its tally: rows
	// come in runs of one account, and comparing is cheaper than hashing.
	lastAccount string
	last        *accountTally
	lastInvoice string // the invoice id last noted in invoices
}

type accountTally struct {
	rows int64
	sum  money.Sum
}

func (t *tally) add(it *lineitem.Item) {
	t.rows++
	a := t.last
	if a == nil || it.UsageAccount != t.lastAccount {
		if a = t.accounts[it.UsageAccount]; a == nil {
			a = &accountTally{}
			t.accounts[it.UsageAccount] = a
		}
		t.lastAccount, t.last = it.UsageAccount, a
	}
	a.rows++
	a.sum.Add(it.UnblendedCost)
	switch {
	case it.InvoiceID == "":
		t.unbilled++
	case it.InvoiceID == t.lastInvoice:
	case len(t.invoices) < 100:
		t.invoices[it.InvoiceID] = true
		t.lastInvoice = it.InvoiceID
	}
	if it.UsageStart.After(t.latest) {
		t.latest = it.UsageStart
	}
}

// final is the finality rule for every format: a delivery is final
// once the provider has invoiced every one of its rows, i.e. every row
// carries an invoice id (AWS CUR bill/InvoiceId; DBR InvoiceID other than
// "Estimated"; FOCUS 1.2+ InvoiceId; for Azure and Partner Center the
// invoice id, or the billed flag, the reader puts in Item.InvoiceID). A
// single row not invoiced yet (a FOCUS export where Marketplace purchases
// are invoiced before usage, a format without the column) keeps the
// month Provisional: the provider may still add or revise charges.
func (t *tally) final() bool { return len(t.invoices) > 0 && t.unbilled == 0 }

func (t *tally) delivery() Delivery {
	d := Delivery{
		Provider:    t.key.provider,
		Payer:       t.key.payer,
		Period:      t.key.period,
		Currency:    t.currency,
		Rows:        t.rows,
		Accounts:    make(map[string]decimal.Decimal, len(t.accounts)),
		AccountRows: make(map[string]int64, len(t.accounts)),
		Final:       t.final(),
		LatestUsage: t.latest,
	}
	var total money.Sum
	for acct, a := range t.accounts {
		d.Accounts[acct] = a.sum.Total()
		d.AccountRows[acct] = a.rows
		total.AddSum(a.sum)
	}
	d.UnblendedCost = total.Total()
	for id := range t.invoices {
		d.InvoiceIDs = append(d.InvoiceIDs, id)
	}
	sort.Strings(d.InvoiceIDs)
	return d
}

// FileShare is what one file of an import is part of, as the import's
// faces report it per file: the deliveries holding it, their months and
// payers, the cost of the file's own rows, and the usage accounts of those
// deliveries.
type FileShare struct {
	Deliveries []Delivery
	// Periods and Payers of those deliveries, sorted.
	Periods, Payers []string
	// UnblendedCost is the cost of the file's own rows, in Currency.
	UnblendedCost decimal.Decimal
	Currency      string
	// Final is true when every delivery holding the file is final (and
	// there is at least one): the file's figures can no longer change.
	Final bool
	// Accounts are the usage accounts of those deliveries, by account.
	Accounts []AccountShare
}

// AccountShare is one usage account's rows and cost in a FileShare.
type AccountShare struct {
	Account       string          `json:"account"`
	Rows          int64           `json:"rows"`
	UnblendedCost decimal.Decimal `json:"unblended_cost"`
}

// FileShare returns what file i of the result is part of.
func (r *Result) FileShare(i int) FileShare {
	f := r.Files[i]
	var s FileShare
	var own money.Sum
	sums := map[string]*money.Sum{}
	rows := map[string]int64{}
	for _, d := range r.Deliveries {
		p := slices.IndexFunc(d.Parts, func(p Part) bool { return p.File == f.File && p.Hash == f.Hash })
		if p < 0 {
			continue
		}
		own.Add(d.Parts[p].UnblendedCost)
		s.Deliveries = append(s.Deliveries, d)
		s.Currency = d.Currency
		if !slices.Contains(s.Periods, d.Period) {
			s.Periods = append(s.Periods, d.Period)
		}
		if !slices.Contains(s.Payers, d.Payer) {
			s.Payers = append(s.Payers, d.Payer)
		}
		for acct, c := range d.Accounts {
			if sums[acct] == nil {
				sums[acct] = &money.Sum{}
			}
			sums[acct].Add(c)
			rows[acct] += d.AccountRows[acct]
		}
	}
	s.Final = len(s.Deliveries) > 0
	for _, d := range s.Deliveries {
		s.Final = s.Final && d.Final
	}
	s.UnblendedCost = own.Total()
	slices.Sort(s.Periods)
	slices.Sort(s.Payers)
	for _, acct := range slices.Sorted(maps.Keys(sums)) {
		s.Accounts = append(s.Accounts, AccountShare{Account: acct, Rows: rows[acct], UnblendedCost: sums[acct].Total()})
	}
	return s
}
