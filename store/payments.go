package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"

	"rebill/engine/customer"
	"rebill/engine/document"
	"rebill/engine/invoice"
	"rebill/engine/money"
)

// Payments received against invoices, the receivables they leave and the
// statements of account drawn from them. Every use case here is one
// transaction: the payment, the excess kept as credit, the invoice's new
// status and their audit entries are written together or not at all.

// getPayment reads one payment; the error wraps ErrNotFound.
func getPayment(tx *bolt.Tx, id uint64) (invoice.Payment, error) {
	var p invoice.Payment
	v := tx.Bucket(bucketPayments).Get(u64(id))
	if v == nil {
		return p, customer.NotFound("there is no payment %d: rebill payments list shows them", id)
	}
	if err := json.Unmarshal(v, &p); err != nil {
		return p, fmt.Errorf("payment %d is damaged in the database: %w", id, err)
	}
	return p, nil
}

// scanPayments reads the payments that keep returns true for, in the
// order recorded.
func scanPayments(tx *bolt.Tx, keep func(invoice.Payment) bool) ([]invoice.Payment, error) {
	out := []invoice.Payment{}
	err := tx.Bucket(bucketPayments).ForEach(func(k, v []byte) error {
		var p invoice.Payment
		if err := json.Unmarshal(v, &p); err != nil {
			return fmt.Errorf("payment %x is damaged in the database: %w", k, err)
		}
		if keep(p) {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

func paymentsOf(tx *bolt.Tx, invoiceID string) ([]invoice.Payment, error) {
	return scanPayments(tx, func(p invoice.Payment) bool { return p.Invoice == invoiceID })
}

// docsAndPayments reads what an invoice's open amount and status depend
// on (invoice.Invoice.OpenAmount, Settle): the documents of its customer
// and month, its credit notes among them, and its payments.
func docsAndPayments(tx *bolt.Tx, inv invoice.Invoice) ([]invoice.Invoice, []invoice.Payment, error) {
	docs, err := docsOf(tx, inv.Period, inv.CustomerID)
	if err != nil {
		return nil, nil, err
	}
	pays, err := paymentsOf(tx, inv.ID)
	return docs, pays, err
}

// settlementOf is what was credited and paid on an Open invoice
// (invoice.Invoice.Settlement), read from tx.
func settlementOf(tx *bolt.Tx, inv invoice.Invoice) (*invoice.Settlement, error) {
	docs, pays, err := docsAndPayments(tx, inv)
	if err != nil {
		return nil, err
	}
	return inv.Settlement(docs, pays), nil
}

// PaymentRequest records money received against an invoice.
type PaymentRequest struct {
	Invoice string // id or number
	invoice.PaymentRequest
}

// PaymentResult is a payment recorded, with the invoice after it.
type PaymentResult struct {
	Payment invoice.Payment
	Invoice invoice.Invoice
	// Open is what is still owed on the invoice after the payment.
	Open decimal.Decimal
	// Grant is the reseller credit the excess became, when there was one.
	Grant *customer.Grant
}

// RecordPayment records a payment against an invoice (invoice.Pay says
// what is refused: a void invoice, more than is open without keeping the
// excess, ...). An excess kept as credit becomes a reseller credit grant
// of the customer, the same credit the invoices spend (store/credits.go).
// The invoice is Closed when the payment settles it (invoice.Settle).
// The payment and any change of status go in the audit log.
func (db *DB) RecordPayment(req PaymentRequest) (PaymentResult, error) {
	var res PaymentResult
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		var err error
		res, err = recordPayment(tx, req)
		return err
	})
	return res, err
}

func recordPayment(tx *bolt.Tx, req PaymentRequest) (PaymentResult, error) {
	var res PaymentResult
	inv, err := resolveInvoice(tx, req.Invoice)
	if err != nil {
		return res, err
	}
	docs, pays, err := docsAndPayments(tx, inv)
	if err != nil {
		return res, err
	}
	p, err := inv.Pay(req.PaymentRequest, docs, pays)
	if err != nil {
		return res, err
	}
	if p.ID, err = tx.Bucket(bucketPayments).NextSequence(); err != nil {
		return res, err
	}
	if p.Excess.IsPositive() {
		ref := ""
		if p.Reference != "" {
			ref = ", reference " + p.Reference
		}
		g, err := addGrant(tx, customer.Grant{Customer: inv.CustomerID, Amount: p.Excess, Currency: inv.Currency,
			Reason: fmt.Sprintf("Overpayment of %s (payment %d of %s%s)", inv.Number, p.ID, p.Date, ref)}, req.Now)
		if err != nil {
			return res, fmt.Errorf("keeping the excess of %s %s as credit: %w", inv.Currency, money.Text(p.Excess, inv.Currency), err)
		}
		p.CreditGrant, res.Grant = g.ID, &g
	}
	if err := putPayment(tx, p, invoice.ActionPayment, req.Now); err != nil {
		return res, err
	}
	pays = append(pays, p)
	after, err := settle(tx, inv, docs, pays, p.Date, p.Reference, req.Now)
	if err != nil {
		return res, err
	}
	res.Payment, res.Invoice, res.Open = p, after, after.OpenAmount(docs, pays)
	return res, nil
}

// putPayment stores a payment and appends its audit entry under its
// invoice's id.
func putPayment(tx *bolt.Tx, p invoice.Payment, a invoice.Action, now time.Time) error {
	v, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketPayments).Put(u64(p.ID), v); err != nil {
		return err
	}
	return appendAuditRaw(tx, now, a, p.Invoice, nil, v)
}

// settle applies the status rule (invoice.Settle) to an invoice after a
// payment or credit note and stores the change, if any, with its entry.
func settle(tx *bolt.Tx, inv invoice.Invoice, docs []invoice.Invoice, pays []invoice.Payment, on invoice.Date, ref string, now time.Time) (invoice.Invoice, error) {
	after, a := inv.Settle(docs, pays, on, ref)
	if a == "" {
		return inv, nil
	}
	return after, putInvoice(tx, now, a, &inv, after)
}

// settleByID re-reads an invoice and its month's documents and payments
// and applies settle: after a credit note is issued or voided.
func settleByID(tx *bolt.Tx, id string, on invoice.Date, ref string, now time.Time) error {
	inv, err := getInvoice(tx, id)
	if err != nil {
		return err
	}
	docs, pays, err := docsAndPayments(tx, inv)
	if err != nil {
		return err
	}
	_, err = settle(tx, inv, docs, pays, on, ref, now)
	return err
}

// PaymentFilter narrows a list of payments; empty fields match all.
type PaymentFilter struct {
	Invoice  string // id or number
	Customer string
}

// Payments lists payments, in the order recorded.
func (db *DB) Payments(f PaymentFilter) ([]invoice.Payment, error) {
	var out []invoice.Payment
	err := db.bolt.View(func(tx *bolt.Tx) error {
		id := ""
		if f.Invoice != "" {
			inv, err := resolveInvoice(tx, f.Invoice)
			if err != nil {
				return err
			}
			id = inv.ID
		}
		if f.Customer != "" {
			if _, err := getCustomer(tx, f.Customer); err != nil {
				return err
			}
		}
		var err error
		out, err = scanPayments(tx, func(p invoice.Payment) bool {
			return (id == "" || p.Invoice == id) && (f.Customer == "" || p.Customer == f.Customer)
		})
		return err
	})
	return out, err
}

// OpenAmount returns what is still owed on an invoice and its payments.
func (db *DB) OpenAmount(ref string) (invoice.Invoice, []invoice.Payment, decimal.Decimal, error) {
	var inv invoice.Invoice
	var pays []invoice.Payment
	var open decimal.Decimal
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		if inv, err = resolveInvoice(tx, ref); err != nil {
			return err
		}
		var docs []invoice.Invoice
		if docs, pays, err = docsAndPayments(tx, inv); err != nil {
			return err
		}
		open = inv.OpenAmount(docs, pays)
		return nil
	})
	return inv, pays, open, err
}

// PaymentDeletion is a payment removed and the audit entry that records
// its removal.
type PaymentDeletion struct {
	Payment invoice.Payment `json:"payment"`
	Audit   invoice.Head    `json:"audit_entry"`
	// Invoice is the invoice after the removal (Open again when the
	// payment had closed it).
	Invoice invoice.Invoice `json:"-"`
}

// DeletePayment removes a payment recorded in error. Its audit entry
// keeps what was removed, so the log shows the payment and its removal.
// The credit its excess became is removed with it, unless an invoice has
// spent some of it (then the refusal says so). An invoice the payment had
// closed is Open again (and Past Due if its due date has passed).
func (db *DB) DeletePayment(id uint64, now time.Time) (PaymentDeletion, error) {
	var del PaymentDeletion
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		p, err := getPayment(tx, id)
		if err != nil {
			return err
		}
		del.Payment = p
		if p.CreditGrant != 0 {
			if err := removeExcessGrant(tx, p, now); err != nil {
				return err
			}
		}
		v := tx.Bucket(bucketPayments).Get(u64(id))
		if err := appendAuditRaw(tx, now, invoice.ActionPaymentDelete, p.Invoice, slices.Clone(v), nil); err != nil {
			return err
		}
		if del.Audit, err = auditHead(tx); err != nil {
			return err
		}
		if err := tx.Bucket(bucketPayments).Delete(u64(id)); err != nil {
			return err
		}
		if err := settleByID(tx, p.Invoice, p.Date, "", now); err != nil {
			return err
		}
		del.Invoice, err = getInvoice(tx, p.Invoice)
		return err
	})
	return del, err
}

// removeExcessGrant removes the credit grant a payment's excess became,
// refusing when an invoice has used some of it.
func removeExcessGrant(tx *bolt.Tx, p invoice.Payment, now time.Time) error {
	uses, err := usesOf(tx, p.Customer)
	if err != nil {
		return err
	}
	for _, u := range uses {
		if u.Grant == p.CreditGrant {
			return fmt.Errorf("payment %d's excess became credit %d, which invoice %s has used since: the payment cannot be deleted; void or credit that invoice first, or record the correction as a credit note",
				p.ID, p.CreditGrant, u.Invoice)
		}
	}
	v := tx.Bucket(bucketGrants).Get(u64(p.CreditGrant))
	if v == nil {
		return nil
	}
	var g customer.Grant
	if err := json.Unmarshal(v, &g); err != nil {
		return fmt.Errorf("credit grant %d is damaged in the database: %w", p.CreditGrant, err)
	}
	_, err = grantRecord(g).del(tx, now)
	return err
}

// allDocuments reads every document of every customer and month.
func allDocuments(tx *bolt.Tx) ([]invoice.Invoice, error) {
	return indexed(tx, nil)
}

// Receivables ages what customers owed at the end of asOf
// (invoice.AgeReceivables).
func (db *DB) Receivables(asOf invoice.Date) (invoice.Ageing, error) {
	var out invoice.Ageing
	err := db.bolt.View(func(tx *bolt.Tx) error {
		docs, err := allDocuments(tx)
		if err != nil {
			return err
		}
		pays, err := scanPayments(tx, func(invoice.Payment) bool { return true })
		if err != nil {
			return err
		}
		out = invoice.AgeReceivables(docs, pays, asOf)
		return nil
	})
	return out, err
}

// StatementOfAccount is a customer's account from from to until
// (invoice.StatementOfAccount), with the reseller's profile to print it
// with; the customer's current record fills in a customer with no
// documents yet.
func (db *DB) StatementOfAccount(customerID string, from, until invoice.Date) (invoice.Account, customer.Profile, error) {
	var acc invoice.Account
	var p customer.Profile
	err := db.bolt.View(func(tx *bolt.Tx) error {
		c, err := getCustomer(tx, customerID)
		if err != nil {
			return err
		}
		var docs []invoice.Invoice
		all, err := allDocuments(tx)
		if err != nil {
			return err
		}
		for _, d := range all {
			if d.CustomerID == customerID {
				docs = append(docs, d)
			}
		}
		pays, err := scanPayments(tx, func(p invoice.Payment) bool { return p.Customer == customerID })
		if err != nil {
			return err
		}
		if acc, err = invoice.StatementOfAccount(customerID, docs, pays, from, until); err != nil {
			return err
		}
		if acc.Customer.Name == "" {
			acc.Customer = invoice.PartyOf(c)
		}
		if acc.Currency == "" {
			acc.Currency = c.Currency
		}
		p, err = getProfile(tx)
		return err
	})
	return acc, p, err
}

// paymentID reads a payment id as typed.
func ParsePaymentID(s string) (uint64, error) {
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil || id == 0 {
		return 0, errors.New("payment id " + strconv.Quote(s) + " is not a number: rebill payments list shows the ids")
	}
	return id, nil
}

// closeCreditedInFull creates the payment bucket and closes every Open
// invoice that its issued credit notes already cover (invoice.Settle),
// which until then stayed Open and turned Past Due. Each closing is in
// the audit log, stamped with the approval time of the credit note that
// settled it, so the migration writes the same log whenever it runs.
func closeCreditedInFull(tx *bolt.Tx) error {
	if err := createBuckets(tx, bucketPayments); err != nil {
		return err
	}
	docs, err := allDocuments(tx)
	if err != nil {
		return err
	}
	for _, inv := range docs {
		if inv.Kind != invoice.KindInvoice || inv.Status != invoice.Open {
			continue
		}
		notes := inv.IssuedCreditNotes(docs)
		if len(notes) == 0 {
			continue
		}
		last := notes[0]
		for _, n := range notes {
			if n.IssueDate.After(last.IssueDate) {
				last = n
			}
		}
		if _, err := settle(tx, inv, docs, nil, last.IssueDate, "", last.Approved); err != nil {
			return err
		}
	}
	return nil
}

// Reminder is what a payment reminder for a Past Due invoice prints as
// of a day: the invoice, what was paid and credited, what is open, and
// the reseller as the profile has it today (a reminder is a new letter,
// not a copy of the invoice). An invoice that is not Past Due that day
// gets none (invoice.CheckReminder).
func (db *DB) Reminder(ref string, asOf invoice.Date) (document.Reminder, error) {
	var r document.Reminder
	err := db.bolt.View(func(tx *bolt.Tx) error {
		inv, err := resolveInvoice(tx, ref)
		if err != nil {
			return err
		}
		docs, pays, err := docsAndPayments(tx, inv)
		if err != nil {
			return err
		}
		open := inv.OpenAt(docs, pays, asOf)
		if err := inv.CheckReminder(open, asOf); err != nil {
			return err
		}
		p, err := getProfile(tx)
		if err != nil {
			return err
		}
		r = document.Reminder{Seller: invoice.SellerOf(p), Invoice: inv, Open: open, AsOf: asOf, Paid: decimal.Zero, Credited: decimal.Zero}
		for _, pay := range pays {
			if !pay.Date.After(asOf) {
				r.Paid = r.Paid.Add(pay.Applied)
			}
		}
		r.Credited = inv.Total.Decimal().Sub(r.Paid).Sub(open)
		return nil
	})
	return r, err
}
