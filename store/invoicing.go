package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/einvoice"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
)

// The invoice workflow, one function per action the accountant takes, for
// every face (CLI, window, API): each reads what it needs, asks
// engine/invoice for the new values and writes them, their number counter,
// their credit ledger entries and their audit entries in one transaction,
// so an action either happens entirely or not at all.

// GenerateRequest asks for draft invoices of a month.
type GenerateRequest struct {
	Period    string
	Selection customer.Selection
	// Options are the accountant's four choices (Credits, Tax,
	// Marketplace, MarketplaceCredits); empty provider tax and rounding
	// take the billing settings.
	Options billing.Options
	Now     time.Time
	// Progress, when not nil, is called after each customer's statement
	// (the slow part) from the calling goroutine. When the database
	// changed while the statements were computed, they are computed
	// again inside the write transaction and Progress counts again from
	// 1: it must not write to the database itself.
	Progress func(done, total int)
	// Context, when not nil, stops generating when it is cancelled:
	// between two customers' statements, or before the transaction
	// commits, which then writes nothing.
	Context context.Context
}

// cancelled is the request's context error: non-nil once the accountant
// cancelled.
func (r GenerateRequest) cancelled() error {
	if r.Context == nil {
		return nil
	}
	return r.Context.Err()
}

// Outcome is what generating did for one customer.
type Outcome string

// Outcomes of generating.
const (
	// Created: a new draft.
	Created Outcome = "created"
	// Replaced: the customer's draft was regenerated (same id).
	Replaced Outcome = "replaced"
	// Issued: the customer's month is already invoiced (Open or Closed);
	// that invoice is never touched. Corrections handle changed data.
	Issued Outcome = "issued"
	// NothingToBill: no charges (and no recurring charge); no invoice.
	NothingToBill Outcome = "nothing_to_bill"
	// Failed: the statement could not be computed (Reason says why, e.g.
	// a missing exchange rate); an existing draft is left as it was.
	Failed Outcome = "failed"
)

// Generated is one selected customer's result for one provider: a
// customer gets one invoice per provider it has line items of in the
// month, since the distributor invoices each cloud program apart.
type Generated struct {
	CustomerID string            `json:"customer_id"`
	Customer   string            `json:"customer_name"`
	Provider   lineitem.Provider `json:"provider"`
	Outcome    Outcome           `json:"outcome"`
	// Invoice is the draft made, or the issued invoice left alone.
	Invoice *invoice.Invoice `json:"invoice,omitempty"`
	Reason  string           `json:"reason,omitempty"`
}

// GenerateReport is what generating did, per selected customer in the
// customer list's order and per provider (billing.BilledProviders' order).
type GenerateReport struct {
	Period string `json:"period"`
	// Final is false while a provider may still re-deliver the month;
	// Warning then says so, to show before anything is approved.
	Final   bool        `json:"final"`
	Warning string      `json:"warning,omitempty"`
	Results []Generated `json:"results"`
	// deliveries are each provider's deliveries the statements were
	// computed from, recorded on that provider's drafts.
	deliveries map[lineitem.Provider][]uint64
}

// Count returns how many results had the outcome.
func (r GenerateReport) Count(o Outcome) int {
	n := 0
	for _, g := range r.Results {
		if g.Outcome == o {
			n++
		}
	}
	return n
}

// GenerateInvoices makes a Draft invoice for each selected customer and
// provider with something to bill (a customer with AWS accounts and Azure
// subscriptions gets two): a new draft, or its existing draft of that
// provider regenerated in place. A customer whose month is already invoiced (Open or Closed) is
// reported and its invoice never touched; a Void invoice does not count,
// so its month gets a new draft. A customer with nothing to bill gets no
// empty invoice (unless it has a recurring charge) and its stale draft, if
// any, is deleted. Every draft made or deleted has its audit entry.
//
// A customer one of whose accounts another customer's standing invoice
// already bills for the month (the account was moved after that invoice
// was issued) Fails, naming the account and the invoice
// (invoice.Claims.CheckBillable), and its draft is left as it was. Leaving the
// account out with a warning would issue an invoice that silently bills
// less than the customer's accounts used, and the warning is easy to miss
// in a batch; a failure stops the accountant at the one place where the
// mapping, or the other invoice, must be put right, and bills nothing
// twice meanwhile.
func (db *DB) GenerateInvoices(req GenerateRequest) (GenerateReport, error) {
	bm, err := db.BillingMonthFor(req.Period, req.Selection)
	if err != nil {
		return GenerateReport{}, err
	}
	rep, sts, cs, err := computeDrafts(bm, req)
	if err != nil {
		return GenerateReport{}, err
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		// The statements were computed outside this transaction, so that
		// other writes need not wait for them. When anything was written
		// since the month was read (an import, a mapping, a credit, a
		// draft), they are computed again here, where nothing can change
		// them, rather than stored from data that is no longer current.
		if !db.bolt.unchangedSince(tx, bm.Version) {
			bm, err := readBillingMonth(tx, monthRead{period: req.Period, customers: &req.Selection})
			if err != nil {
				return err
			}
			if rep, sts, cs, err = computeDrafts(bm, req); err != nil {
				return err
			}
		}
		p, err := getProfile(tx)
		if err != nil {
			return err
		}
		month, err := indexed(tx, indexPrefix(req.Period, ""))
		if err != nil {
			return err
		}
		claims := invoice.ClaimsOf(month)
		byCustomer := map[string][]invoice.Invoice{}
		for _, d := range month {
			byCustomer[d.CustomerID] = append(byCustomer[d.CustomerID], d)
		}
		for i, c := range cs {
			g := &rep.Results[i]
			docs := invoice.ForProvider(byCustomer[c.ID], g.Provider)
			if err := req.cancelled(); err != nil {
				return err
			}
			if err := generateOne(tx, req, g, c, sts[i], p, claims, docs, rep.deliveries[g.Provider]); err != nil {
				return fmt.Errorf("customer %s: %w", c.ID, err)
			}
		}
		// A cancel during the writes rolls all of them back.
		return req.cancelled()
	})
	if err != nil {
		return GenerateReport{}, err
	}
	return rep, nil
}

// computeDrafts computes the statements of the selected customers of a
// month (the slow part of generating), one per customer and provider
// (BillingMonth.Providers), with their outcomes so far: the statement to
// draft, nothing to bill, or failed. The customers returned run parallel
// to the results, a customer once per provider.
func computeDrafts(bm *BillingMonth, req GenerateRequest) (GenerateReport, []*billing.Statement, []customer.Customer, error) {
	sel, err := bm.Select(req.Selection)
	if err != nil {
		return GenerateReport{}, nil, nil, err
	}
	rep := GenerateReport{Period: req.Period, Final: bm.Final(), deliveries: map[lineitem.Provider][]uint64{}}
	if !rep.Final {
		rep.Warning = fmt.Sprintf("the provider has not closed %s yet: these drafts are computed from estimated data that may be re-delivered; approving them now may need corrections later", req.Period)
	}
	var cs []customer.Customer
	var sts []*billing.Statement
	for i, c := range sel {
		if err := req.cancelled(); err != nil {
			return GenerateReport{}, nil, nil, err
		}
		var spent []customer.Use // credits the customer's earlier statements spend
		for _, p := range bm.Providers(c.ID) {
			if _, ok := rep.deliveries[p]; !ok {
				rep.deliveries[p] = bm.ProviderDeliveryIDs(p)
			}
			g := Generated{CustomerID: c.ID, Customer: c.Name, Provider: p}
			opt := req.Options
			opt.Provider = p
			st, err := bm.statementWith(c.ID, opt, spent)
			switch {
			case err != nil:
				g.Outcome, g.Reason = Failed, err.Error()
				st = nil
			default:
				if why, empty := invoice.NothingToBill(st); empty {
					g.Outcome, g.Reason, st = NothingToBill, why, nil
				} else {
					spent = append(spent, st.CreditUses...)
				}
			}
			rep.Results = append(rep.Results, g)
			cs = append(cs, c)
			sts = append(sts, st)
		}
		if req.Progress != nil {
			req.Progress(i+1, len(sel))
		}
	}
	return rep, sts, cs, nil
}

// generateOne writes one customer's draft (st nil: nothing to write but
// perhaps a stale draft to delete) and completes its result. docs are
// the customer's documents of the month and claims the month's standing
// invoices, both read before any draft was written: drafts never stand,
// and each customer's drafts are only its own. deliveries are the
// deliveries the statements were computed from, recorded on the draft.
func generateOne(tx *bolt.Tx, req GenerateRequest, g *Generated, c customer.Customer, st *billing.Statement, p customer.Profile,
	claims invoice.Claims, docs []invoice.Invoice, deliveries []uint64) error {
	var err error
	if inv, ok := invoice.Standing(docs); ok {
		g.Outcome, g.Invoice = Issued, &inv
		g.Reason = fmt.Sprintf("%s (%s) already bills %s for %s and is never changed; if the data changed, see the corrections", inv.Label(), inv.Status.Label(), c.ID, req.Period)
		return nil
	}
	old, hasDraft := invoice.DraftOf(docs)
	if st != nil {
		if err := claims.CheckBillable(c.ID, req.Period, st.Accounts, st.AccountDays...); err != nil {
			g.Outcome, g.Reason = Failed, err.Error()
		}
	}
	switch {
	case g.Outcome == Failed:
		if hasDraft {
			g.Reason += fmt.Sprintf("; its existing draft (id %s) was left as it was", old.ID)
		}
		return nil
	case g.Outcome == NothingToBill:
		if hasDraft {
			g.Reason += fmt.Sprintf("; its earlier draft (id %s) was deleted", old.ID)
			return removeDraft(tx, req.Now, old)
		}
		return nil
	}
	id := old.ID
	if !hasDraft {
		if id, err = newInvoiceID(tx); err != nil {
			return err
		}
	}
	d, err := invoice.NewDraft(id, st, c, p, req.Now)
	if err != nil {
		return err
	}
	d.Deliveries = deliveries
	if !hasDraft {
		g.Outcome, g.Invoice = Created, &d
		return putInvoice(tx, req.Now, invoice.ActionGenerate, nil, d)
	}
	if len(d.Notes) == 0 {
		d.Notes = old.Notes // a correction's replacement keeps saying what it replaces
	}
	if d, err = old.Replace(d); err != nil {
		return err
	}
	g.Outcome, g.Invoice = Replaced, &d
	return putInvoice(tx, req.Now, invoice.ActionRegenerate, &old, d)
}

// Approval is the result of approving one draft: the Open invoice, or
// why it was refused (Err, and Refused for JSON).
type Approval struct {
	ID      string           `json:"id"`
	Invoice *invoice.Invoice `json:"invoice,omitempty"`
	Refused string           `json:"refused,omitempty"`
	Err     error            `json:"-"`
}

// ApproveInvoices issues drafts, named by id, in the order given: each
// takes the next number of its series, an issue date (now's day) and a
// due date (plus the customer's payment terms), the customer's and the
// reseller's details as they are now, and debits the reseller credits it
// uses. A refused draft (see Approval) is left as it was and the others
// are issued; numbers stay gapless because a number is only taken by a
// draft that is issued, in the same transaction that advances the series.
func (db *DB) ApproveInvoices(refs []string, now time.Time) ([]Approval, error) {
	if len(refs) == 0 {
		return nil, errors.New("name the drafts to approve, or approve all the drafts of a month")
	}
	// A batch of approvals is undone only from a backup: take one first.
	backup, err := db.autoBackup(now, TriggerApproval)
	if err != nil {
		return nil, err
	}
	var out []Approval
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		var drafts []invoice.Invoice
		for _, ref := range refs {
			d, err := resolveInvoice(tx, ref)
			if err != nil {
				return err
			}
			drafts = append(drafts, d)
		}
		var err error
		out, err = approve(tx, drafts, now, monthClaims{})
		return err
	})
	backup.settle(err == nil && anyIssued(out))
	return out, err
}

// anyIssued tells whether a batch of approvals issued a draft.
func anyIssued(out []Approval) bool {
	return slices.ContainsFunc(out, func(a Approval) bool { return a.Err == nil && a.Invoice != nil })
}

// ApproveDrafts issues every draft invoice of a month, as ApproveInvoices
// does, numbered in customer name order.
func (db *DB) ApproveDrafts(period string, now time.Time) ([]Approval, error) {
	if err := customer.CheckMonth("month", period); err != nil {
		return nil, err
	}
	// A batch of approvals is undone only from a backup: take one first.
	backup, err := db.autoBackup(now, TriggerApproval)
	if err != nil {
		return nil, err
	}
	var out []Approval
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		docs, err := indexed(tx, indexPrefix(period, ""))
		if err != nil {
			return err
		}
		var drafts []invoice.Invoice
		for _, d := range docs {
			if d.Status == invoice.Draft {
				drafts = append(drafts, d)
			}
		}
		if len(drafts) == 0 {
			return fmt.Errorf("there are no drafts for %s to approve: generate them first", period)
		}
		invoice.SortForApproval(drafts)
		claims := invoice.ClaimsOf(docs)
		out, err = approve(tx, drafts, now, monthClaims{period: &claims})
		return err
	})
	backup.settle(err == nil && anyIssued(out))
	return out, err
}

// series is the number series being advanced by one transaction.
type series struct {
	profile    customer.Profile
	invoices   invoice.Numbering
	creditNote invoice.Numbering
	advanced   bool
}

// invoiceCounter is the stored invoice series: its next sequence number.
// The format is the profile's, which the accountant edits; the counter is
// kept apart so that no profile edit moves it (see customer.Profile).
type invoiceCounter struct {
	Next int `json:"next"`
}

// readInvoiceCounter reads the invoice series' next number: 1 before the
// first invoice.
func readInvoiceCounter(tx *bolt.Tx) (int, error) {
	v := tx.Bucket(bucketInvoiceSeries).Get(keyInvoiceSeries)
	if v == nil {
		return 1, nil
	}
	var c invoiceCounter
	if err := json.Unmarshal(v, &c); err != nil {
		return 0, fmt.Errorf("the invoice number series is damaged in the database: %w", err)
	}
	return c.Next, nil
}

func putInvoiceCounter(tx *bolt.Tx, next int) error {
	v, err := json.Marshal(invoiceCounter{Next: next})
	if err != nil {
		return err
	}
	return tx.Bucket(bucketInvoiceSeries).Put(keyInvoiceSeries, v)
}

func readSeries(tx *bolt.Tx) (*series, error) {
	p, err := getProfile(tx)
	if err != nil {
		return nil, err
	}
	next, err := readInvoiceCounter(tx)
	if err != nil {
		return nil, err
	}
	s := &series{profile: p, invoices: invoice.InvoiceNumbering(p.NumberFormat, next), creditNote: invoice.CreditNoteNumbering("", 1)}
	if v := tx.Bucket(bucketInvoiceSeries).Get(keyCreditNoteSeries); v != nil {
		if err := json.Unmarshal(v, &s.creditNote); err != nil {
			return nil, fmt.Errorf("the credit note number series is damaged in the database: %w", err)
		}
	}
	return s, nil
}

// of returns the series numbering a document.
func (s *series) of(k invoice.Kind) *invoice.Numbering {
	if k == invoice.KindCreditNote {
		return &s.creditNote
	}
	return &s.invoices
}

// save writes the advanced counters, both kept in bucketInvoiceSeries.
func (s *series) save(tx *bolt.Tx) error {
	if !s.advanced {
		return nil
	}
	if err := putInvoiceCounter(tx, s.invoices.Next); err != nil {
		return err
	}
	v, err := json.Marshal(s.creditNote)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketInvoiceSeries).Put(keyCreditNoteSeries, v)
}

// InvoiceNumbering returns the invoice series as it stands: the profile's
// number format and the number the next invoice approved takes, for a
// face to preview ("the next invoice will be INV-2026-00043").
func (db *DB) InvoiceNumbering() (invoice.Numbering, error) {
	var n invoice.Numbering
	err := db.bolt.View(func(tx *bolt.Tx) error {
		s, err := readSeries(tx)
		if err == nil {
			n = s.invoices
		}
		return err
	})
	return n, err
}

// MoveInvoiceNumbering moves the invoice series forward by hand, so that
// the next invoice approved takes sequence number next (invoice.Numbering
// MoveTo: never back, never to where it is, always with a reason). The
// counter and its audit entry, which records the series before and after
// with the reason under the series' own id ("series:invoice"), are
// written in one transaction. It returns the series afterwards.
func (db *DB) MoveInvoiceNumbering(next int, reason string, now time.Time) (invoice.Numbering, error) {
	var out invoice.Numbering
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		s, err := readSeries(tx)
		if err != nil {
			return err
		}
		move, err := s.invoices.MoveTo(next, reason)
		if err != nil {
			return err
		}
		before, err := json.Marshal(invoice.SeriesMove{Numbering: s.invoices})
		if err != nil {
			return err
		}
		after, err := json.Marshal(move)
		if err != nil {
			return err
		}
		if err := putInvoiceCounter(tx, move.Next); err != nil {
			return err
		}
		out = move.Numbering
		return appendAuditRaw(tx, now, invoice.ActionMoveSeries, s.invoices.AuditID(), before, after)
	})
	return out, err
}

// approve issues drafts in order within one transaction, collecting
// refusals; it fails only when the database does.
func approve(tx *bolt.Tx, drafts []invoice.Invoice, now time.Time, months monthClaims) ([]Approval, error) {
	s, err := readSeries(tx)
	if err != nil {
		return nil, err
	}
	out := make([]Approval, 0, len(drafts))
	var l *ledgers // read once, when the first draft uses credits
	for _, d := range drafts {
		if l == nil && len(d.CreditUses) > 0 {
			if l, err = readLedgers(tx); err != nil {
				return nil, err
			}
		}
		open, err := issue(tx, s, months, l, d, now)
		a := Approval{ID: d.ID}
		var refused *refusal
		switch {
		case errors.As(err, &refused):
			a.Err, a.Refused = refused.err, refused.err.Error()
		case err != nil:
			return nil, err
		default:
			a.Invoice = &open
		}
		out = append(out, a)
	}
	return out, s.save(tx)
}

// refusal marks an error that refuses one action and writes nothing, as
// opposed to a database failure that aborts the transaction.
type refusal struct{ err error }

func (r *refusal) Error() string { return r.err.Error() }
func (r *refusal) Unwrap() error { return r.err }

func refuse(err error) error { return &refusal{err} }

// monthClaims holds the standing invoices (invoice.Claims) of the months
// a batch of approvals touches, read once per month and kept current as
// the batch issues drafts, so each approval sees the invoices issued
// before it in the batch without reading the month again.
type monthClaims map[string]*invoice.Claims

// of returns a month's claims.
func (m monthClaims) of(tx *bolt.Tx, period string) (*invoice.Claims, error) {
	if c, ok := m[period]; ok {
		return c, nil
	}
	docs, err := indexed(tx, indexPrefix(period, ""))
	if err != nil {
		return nil, err
	}
	c := invoice.ClaimsOf(docs)
	m[period] = &c
	return &c, nil
}

// issue approves one draft: the checks first (a refusal writes nothing),
// then the invoice, its number, its credits and its audit entry.
func issue(tx *bolt.Tx, s *series, months monthClaims, l *ledgers, d invoice.Invoice, now time.Time) (invoice.Invoice, error) {
	if err := d.Can(invoice.ActionApprove); err != nil {
		return d, refuse(err)
	}
	if d.Kind == invoice.KindInvoice {
		docs, err := docsOf(tx, d.Period, d.CustomerID)
		if err != nil {
			return d, err
		}
		if inv, ok := invoice.Standing(invoice.ForProvider(docs, d.Provider())); ok {
			return d, refuse(fmt.Errorf("%s already bills %s for %s: delete this draft, or credit %s in full first (a correction does both)", inv.Label(), d.CustomerID, d.Period, inv.Label()))
		}
		// A draft made before one of its accounts moved may list an
		// account another customer has been invoiced for since.
		claims, err := months.of(tx, d.Period)
		if err != nil {
			return d, err
		}
		if err := claims.CheckBillable(d.CustomerID, d.Period, d.Accounts, d.AccountDays...); err != nil {
			return d, refuse(fmt.Errorf("%s cannot be issued: %w", d.Label(), err))
		}
	}
	d = partiesOfToday(tx, s, d)
	n := s.of(d.Kind)
	open, next, err := d.Approve(*n, invoice.DateOf(now), now)
	if err != nil {
		return d, refuse(err)
	}
	if err := einvoice.Ready(open); err != nil {
		return d, refuse(fmt.Errorf("%s cannot be issued: %w", d.Label(), err))
	}
	if err := numberFree(tx, open); err != nil {
		return d, refuse(err)
	}
	if len(open.CreditUses) > 0 {
		// The invoice keeps the uses it made, with their ledger ids, so
		// voiding or crediting it gives back exactly those.
		if open.CreditUses, err = l.record(tx, open.CreditUses, now); err != nil {
			return d, refuse(fmt.Errorf("%s cannot use the credits it was drafted with (%w): regenerate the draft so it applies the credit that is left, then approve it", d.Label(), err))
		}
	}
	before := d
	if err := putInvoice(tx, now, invoice.ActionApprove, &before, open); err != nil {
		return d, err
	}
	*n, s.advanced = next, true
	if c, ok := months[open.Period]; ok && open.Kind == invoice.KindInvoice {
		c.Add(open)
	}
	return open, nil
}

// DeleteInvoice deletes a draft. An issued invoice is never deleted (its
// number must stay in the sequence): the refusal says to void it or issue
// a credit note.
func (db *DB) DeleteInvoice(ref string, now time.Time) (invoice.Invoice, error) {
	var d invoice.Invoice
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		var err error
		if d, err = resolveInvoice(tx, ref); err != nil {
			return err
		}
		if err := d.Can(invoice.ActionDelete); err != nil {
			return err
		}
		return removeDraft(tx, now, d)
	})
	return d, err
}

// CloseInvoice records that an Open invoice was paid in full on a day:
// it records a payment of what is open on it (total less payments and
// credit notes), with the reference, and the payment closes it
// (invoice.Settle); so a Closed invoice always says what settled it, and
// the receivables and statements of account see the payment. An invoice
// its credit notes already cover closes with no payment. A credit note
// (nothing owed on it) is closed as before: settled on the day.
func (db *DB) CloseInvoice(ref string, paid invoice.Date, paymentRef string, now time.Time) (invoice.Invoice, error) {
	var after invoice.Invoice
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		inv, err := resolveInvoice(tx, ref)
		if err != nil {
			return err
		}
		closed, err := inv.Close(paid, paymentRef) // the lifecycle's checks: Open, a date not before the issue
		if err != nil {
			return err
		}
		if inv.Kind == invoice.KindCreditNote {
			after = closed
			return putInvoice(tx, now, invoice.ActionClose, &inv, closed)
		}
		docs, pays, err := docsAndPayments(tx, inv)
		if err != nil {
			return err
		}
		if open := inv.OpenAmount(docs, pays); open.IsPositive() {
			res, err := recordPayment(tx, PaymentRequest{Invoice: inv.ID, PaymentRequest: invoice.PaymentRequest{Date: paid, Amount: open, Reference: paymentRef, Now: now}})
			after = res.Invoice
			return err
		}
		after, err = settle(tx, inv, docs, pays, paid, paymentRef, now)
		return err
	})
	return after, err
}

// VoidInvoice cancels an Open invoice, dated now's day; it keeps its
// number, which is never reused. The reseller credits a voided invoice
// used go back to the customer's balance, since it bills nothing. A
// credit note that gave credits back cannot be voided (that would take
// them again after they may have been spent): invoice what it credited
// instead. An invoice with payments is not voided (invoice.VoidablePaid);
// voiding a credit note reopens the invoice it had closed.
func (db *DB) VoidInvoice(ref, reason string, now time.Time) (invoice.Invoice, error) {
	var v invoice.Invoice
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		inv, err := resolveInvoice(tx, ref)
		if err != nil {
			return err
		}
		if v, err = inv.Void(reason, now); err != nil {
			return err
		}
		pays, err := paymentsOf(tx, inv.ID)
		if err != nil {
			return err
		}
		if err := inv.VoidablePaid(pays); err != nil {
			return err
		}
		if err := releaseCredits(tx, inv, decimal.Decimal{}, true, now); err != nil {
			return err
		}
		if err := putInvoice(tx, now, invoice.ActionVoid, &inv, v); err != nil {
			return err
		}
		if v.Kind == invoice.KindCreditNote && v.Corrects != "" {
			// The invoice it credited may owe again.
			return settleByID(tx, v.Corrects, v.VoidDate, "", now)
		}
		return nil
	})
	return v, err
}

// CreditRequest asks for a credit note against an Open or Closed invoice.
type CreditRequest struct {
	Invoice string // id or number
	// Amount is what to credit, tax included, positive; zero credits all
	// that is left.
	Amount decimal.Decimal
	Reason string
	Now    time.Time
}

// IssueCreditNote issues a credit note against an invoice at once: made,
// numbered in the credit note series and Open in one transaction (the
// accountant asked for it with a reason; there is nothing to preview). A
// note that reverses reseller credits the invoice used gives them back to
// the customer's balance.
func (db *DB) IssueCreditNote(req CreditRequest) (invoice.Invoice, error) {
	var note invoice.Invoice
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		inv, err := resolveInvoice(tx, req.Invoice)
		if err != nil {
			return err
		}
		docs, err := docsOf(tx, inv.Period, inv.CustomerID)
		if err != nil {
			return err
		}
		docs = invoice.ForProvider(docs, inv.Provider())
		id, err := newInvoiceID(tx)
		if err != nil {
			return err
		}
		draft, err := inv.CreditNote(invoice.CreditRequest{ID: id, Amount: req.Amount, Reason: req.Reason, Earlier: docs, Now: req.Now})
		if err != nil {
			return err
		}
		note, err = issueCreditNote(tx, inv, draft, invoice.ActionCredit, req.Now)
		return err
	})
	return note, err
}

// partiesOfToday gives a document about to be issued the customer's and
// the reseller's details of the day it is issued, not of the day it was
// drafted nor, for a credit note, of the invoice it credits: a document
// carries the particulars valid on its own date (a VAT identifier or an
// e-invoice address set since the invoice included).
func partiesOfToday(tx *bolt.Tx, s *series, d invoice.Invoice) invoice.Invoice {
	if c, err := getCustomer(tx, d.CustomerID); err == nil {
		d.Customer = invoice.PartyOf(c)
	}
	d.Seller = invoice.SellerOf(s.profile)
	return d
}

// issueCreditNote numbers and stores a draft credit note of inv, gives
// back the credits it reverses, and appends its audit entry under action
// a (credit note or correction).
func issueCreditNote(tx *bolt.Tx, inv, draft invoice.Invoice, a invoice.Action, now time.Time) (invoice.Invoice, error) {
	s, err := readSeries(tx)
	if err != nil {
		return draft, err
	}
	draft = partiesOfToday(tx, s, draft)
	note, next, err := draft.Approve(s.creditNote, invoice.DateOf(now), now)
	if err != nil {
		return draft, err
	}
	if err := einvoice.Ready(note); err != nil {
		return draft, fmt.Errorf("the credit note of %s cannot be issued: %w", inv.Label(), err)
	}
	if err := putInvoice(tx, now, a, nil, note); err != nil {
		return note, err
	}
	s.creditNote, s.advanced = next, true
	if err := s.save(tx); err != nil {
		return note, err
	}
	// A note that leaves nothing owed closes the invoice.
	if err := settleByID(tx, inv.ID, note.IssueDate, "", now); err != nil {
		return note, err
	}
	if back := note.CreditsApplied.Decimal(); back.IsPositive() {
		return note, releaseCredits(tx, inv, back, false, now)
	}
	return note, nil
}
