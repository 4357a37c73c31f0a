package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
)

// Invoices are stored as engine/invoice values; this file keeps them:
// by id, indexed by month and customer, numbers indexed so none is issued
// twice. Every write goes through putInvoice or removeDraft, which append
// the audit entry in the same transaction. The lifecycle (generate,
// approve, close, void, credit notes, corrections) is in invoicing.go and
// corrections.go; each function there is one transaction.

// invoiceKey is the bucket key of an invoice id ("17"); ok is false when
// the id is not one the store gives.
func invoiceKey(id string) ([]byte, bool) {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil || n == 0 || strconv.FormatUint(n, 10) != id {
		return nil, false
	}
	return u64(n), true
}

// newInvoiceID takes the next invoice id. Ids are never reused, but unlike
// numbers they may have gaps: a draft's id is lost when it is deleted,
// which is why customers only ever see numbers.
func newInvoiceID(tx *bolt.Tx) (string, error) {
	n, err := tx.Bucket(bucketInvoices).NextSequence()
	return strconv.FormatUint(n, 10), err
}

func indexPrefix(period, customerID string) []byte {
	if customerID == "" {
		return []byte(period + "\x00")
	}
	return []byte(period + "\x00" + customerID + "\x00")
}

func indexKey(inv invoice.Invoice, key []byte) []byte {
	return append(indexPrefix(inv.Period, inv.CustomerID), key...)
}

// getInvoice reads one invoice by id; the error wraps ErrNotFound.
func getInvoice(tx *bolt.Tx, id string) (invoice.Invoice, error) {
	var inv invoice.Invoice
	k, ok := invoiceKey(id)
	var v []byte
	if ok {
		v = tx.Bucket(bucketInvoices).Get(k)
	}
	if v == nil {
		return inv, customer.NotFound("there is no invoice %q: rebill invoices list shows the invoices with their ids and numbers", id)
	}
	if err := json.Unmarshal(v, &inv); err != nil {
		return inv, fmt.Errorf("invoice %s in the database: %w", id, err)
	}
	return inv, nil
}

// resolveInvoice reads an invoice named by id ("17") or by number
// ("NCP-2026-00012", any case), as the accountant types it.
func resolveInvoice(tx *bolt.Tx, ref string) (invoice.Invoice, error) {
	ref = strings.TrimSpace(ref)
	if _, ok := invoiceKey(ref); ok {
		return getInvoice(tx, ref)
	}
	nums := tx.Bucket(bucketInvoiceNumbers)
	v := nums.Get([]byte(ref))
	if v == nil {
		v = nums.Get([]byte(strings.ToUpper(ref)))
	}
	if len(v) != 8 {
		return invoice.Invoice{}, customer.NotFound("there is no invoice %q: name it by its id or its number (rebill invoices list shows both)", ref)
	}
	return getInvoice(tx, strconv.FormatUint(binary.BigEndian.Uint64(v), 10))
}

// putInvoice stores a new or changed document with its index entries and
// appends its audit entry: action a turned before (nil when created) into
// after. An issued number is indexed, and a number another document
// already has is refused, so a number is never issued twice even when a
// series' counter is behind the numbers issued (a database restored or
// edited by hand, or a number format changed back to an earlier one).
func putInvoice(tx *bolt.Tx, now time.Time, a invoice.Action, before *invoice.Invoice, after invoice.Invoice) error {
	k, ok := invoiceKey(after.ID)
	if !ok {
		return fmt.Errorf("invoice id %q is not one the store gives", after.ID)
	}
	if after.Number != "" {
		if err := numberFree(tx, after); err != nil {
			return err
		}
		if err := tx.Bucket(bucketInvoiceNumbers).Put([]byte(after.Number), k); err != nil {
			return err
		}
	}
	v, err := json.Marshal(after)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketInvoices).Put(k, v); err != nil {
		return err
	}
	if err := tx.Bucket(bucketInvoiceIndex).Put(indexKey(after, k), after.MarshalListing()); err != nil {
		return err
	}
	return appendAudit(tx, now, a, after.ID, before, &after)
}

// NumberTakenError refuses an approval whose number is already issued to
// another document: the series is behind the numbers issued (a database
// edited by hand, or a copy restored over newer numbers). Each face words
// the remedy its own way; Error is the command line's.
type NumberTakenError struct {
	Number string
	// Holder names the document that holds the number, as
	// invoice.Label does ("invoice NCP-2026-00003 of GLOBEX").
	Holder string
	// Kind is the series that is behind.
	Kind invoice.Kind
}

func (e *NumberTakenError) Error() string {
	next := "the invoice series is behind the numbers issued: move it forward past the last number issued (rebill invoices next-number N --reason R)"
	if e.Kind == invoice.KindCreditNote {
		next = "the credit note series is behind the numbers issued"
	}
	return fmt.Sprintf("number %s was already issued (to %s): %s, then approve again", e.Number, e.Holder, next)
}

// numberFree refuses a number already issued to another document.
func numberFree(tx *bolt.Tx, inv invoice.Invoice) error {
	k, _ := invoiceKey(inv.ID)
	v := tx.Bucket(bucketInvoiceNumbers).Get([]byte(inv.Number))
	if v == nil || bytes.Equal(v, k) {
		return nil
	}
	id := strconv.FormatUint(binary.BigEndian.Uint64(v), 10)
	holder := "the document with id " + id
	if h, err := getInvoice(tx, id); err == nil {
		holder = h.Label() + " of " + h.Customer.Name
	}
	return &NumberTakenError{Number: inv.Number, Holder: holder, Kind: inv.Kind}
}

// removeDraft deletes a draft (never an issued document: callers check
// invoice.Can(ActionDelete) first) and appends its audit entry. The draft
// had no number, so the series loses nothing.
func removeDraft(tx *bolt.Tx, now time.Time, d invoice.Invoice) error {
	if d.Status != invoice.Draft || d.Number != "" {
		return fmt.Errorf("%s is not a draft and is never removed", d.Label())
	}
	k, _ := invoiceKey(d.ID)
	if err := tx.Bucket(bucketInvoices).Delete(k); err != nil {
		return err
	}
	if err := tx.Bucket(bucketInvoiceIndex).Delete(indexKey(d, k)); err != nil {
		return err
	}
	return appendAudit(tx, now, invoice.ActionDelete, d.ID, &d, nil)
}

// indexed reads the documents under an index prefix, in key order
// (customer, then id: the order they were made).
func indexed(tx *bolt.Tx, prefix []byte) ([]invoice.Invoice, error) {
	return appendIndexed(nil, tx, prefix)
}

// appendIndexed is indexed appending to out.
func appendIndexed(out []invoice.Invoice, tx *bolt.Tx, prefix []byte) ([]invoice.Invoice, error) {
	c := tx.Bucket(bucketInvoiceIndex).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		inv, err := getInvoice(tx, strconv.FormatUint(binary.BigEndian.Uint64(k[len(k)-8:]), 10))
		if err != nil {
			return nil, err
		}
		out = append(out, inv)
	}
	return out, nil
}

// listed reads the documents under an index prefix as lists show them
// (invoice.Invoice.Listed), from the listings the index keeps, in key
// order; a document indexed without its listing is read whole.
func listed(tx *bolt.Tx, prefix []byte) ([]invoice.Invoice, error) {
	return appendListed(nil, tx, prefix)
}

// appendListed is listed appending to out: a list of thousands of
// documents is built in one slice rather than copied month by month.
func appendListed(out []invoice.Invoice, tx *bolt.Tx, prefix []byte) ([]invoice.Invoice, error) {
	c := tx.Bucket(bucketInvoiceIndex).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		id := func() string { return strconv.FormatUint(binary.BigEndian.Uint64(k[len(k)-8:]), 10) }
		if len(v) == 0 {
			inv, err := getInvoice(tx, id())
			if err != nil {
				return nil, err
			}
			out = append(out, inv.Listed())
			continue
		}
		inv, err := invoice.ParseListing(v)
		if err != nil {
			return nil, fmt.Errorf("the listing of invoice %s in the database: %w", id(), err)
		}
		out = append(out, inv)
	}
	return out, nil
}

// indexListings is the migration that keeps each document's listing in
// the invoice index (its values were empty), so lists read no whole
// document.
func indexListings(tx *bolt.Tx) error {
	return relist(tx, func(listing []byte) bool { return len(listing) == 0 })
}

// relistProviders is the migration that writes every document's listing
// again, so that it holds the document's provider (invoice lists name
// it): listings written before read as AWS, which an Azure, Google Cloud
// or OCI invoice is not.
func relistProviders(tx *bolt.Tx) error {
	return relist(tx, func([]byte) bool { return true })
}

// relist writes again, from its document, each listing of the invoice
// index that stale says is out of date.
func relist(tx *bolt.Tx, stale func(listing []byte) bool) error {
	idx := tx.Bucket(bucketInvoiceIndex)
	var keys [][]byte
	if err := idx.ForEach(func(k, v []byte) error {
		if stale(v) {
			keys = append(keys, append([]byte(nil), k...))
		}
		return nil
	}); err != nil {
		return err
	}
	for _, k := range keys {
		inv, err := getInvoice(tx, strconv.FormatUint(binary.BigEndian.Uint64(k[len(k)-8:]), 10))
		if err != nil {
			return err
		}
		if err := idx.Put(k, inv.MarshalListing()); err != nil {
			return err
		}
	}
	return nil
}

// countIndexed counts the documents under an index prefix.
func countIndexed(tx *bolt.Tx, prefix []byte) int {
	n := 0
	c := tx.Bucket(bucketInvoiceIndex).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		n++
	}
	return n
}

// documentMonths lists the months that have documents (invoices or credit
// notes of any status), in order, from the index's keys alone.
func documentMonths(tx *bolt.Tx) []string {
	var out []string
	c := tx.Bucket(bucketInvoiceIndex).Cursor()
	for k, _ := c.First(); k != nil; {
		i := bytes.IndexByte(k, 0)
		if i < 0 {
			k, _ = c.Next()
			continue
		}
		out = append(out, string(k[:i]))
		k, _ = c.Seek(append(slices.Clone(k[:i]), 1)) // past every key of that month
	}
	return out
}

// docsOf reads every document of a customer for a month: its invoices
// and credit notes, drafts included.
func docsOf(tx *bolt.Tx, period, customerID string) ([]invoice.Invoice, error) {
	return indexed(tx, indexPrefix(period, customerID))
}

// Invoice returns one invoice or credit note, named by its id or its
// number. The error wraps ErrNotFound when there is none.
func (db *DB) Invoice(ref string) (invoice.Invoice, error) {
	var inv invoice.Invoice
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		inv, err = resolveInvoice(tx, ref)
		return err
	})
	return inv, err
}

// InvoiceRelated returns one document, named by its id or number, with
// the documents that go with it (invoice.Invoice.Related: an invoice's
// credit notes that count and what is left to credit, a credit note's
// invoice, the month's other invoices, what was credited and paid on an
// Open invoice), read in one transaction.
func (db *DB) InvoiceRelated(ref string) (invoice.Invoice, invoice.Related, error) {
	var inv invoice.Invoice
	var rel invoice.Related
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		if inv, err = resolveInvoice(tx, ref); err != nil {
			return err
		}
		docs, pays, err := docsAndPayments(tx, inv)
		if err != nil {
			return err
		}
		rel = inv.Related(invoice.ForProvider(docs, inv.Provider()))
		rel.Settlement = inv.Settlement(docs, pays)
		return nil
	})
	return inv, rel, err
}

// InvoiceFilter chooses invoices to list; zero fields choose everything.
type InvoiceFilter struct {
	Period   string // YYYY-MM billed
	Customer string // customer id
	// Status is an effective status (see invoice.Invoice.Effective):
	// invoice.Open lists the Open invoices not past due, invoice.PastDue
	// the others.
	Status invoice.Status
	Kind   invoice.Kind
}

// Invoices lists invoices and credit notes as lists show them
// (invoice.Invoice.Listed: status, dates, customer name, the figures'
// totals, notes; not the sections, taxes or parties: Invoice returns a
// whole document), newest month first, then by customer and in the order
// they were made. Status filters by the effective status at now, so Past
// Due needs no stored change. It reads only the index, so listing
// thousands of documents takes milliseconds.
func (db *DB) Invoices(f InvoiceFilter, now time.Time) ([]invoice.Invoice, error) {
	return db.invoices(f, now, appendListed)
}

// Documents lists the documents Invoices lists, whole, as stored: for
// the few callers that need every field of many documents (sending a
// month's documents; InvoiceList's whole lists for --json).
func (db *DB) Documents(f InvoiceFilter, now time.Time) ([]invoice.Invoice, error) {
	return db.invoices(f, now, appendIndexed)
}

func (db *DB) invoices(f InvoiceFilter, now time.Time, read func([]invoice.Invoice, *bolt.Tx, []byte) ([]invoice.Invoice, error)) ([]invoice.Invoice, error) {
	var out []invoice.Invoice
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		out, err = listInvoices(tx, f, now, read)
		return err
	})
	return out, err
}

// InvoiceList is a list of documents with what is still owed on them.
type InvoiceList struct {
	Invoices []invoice.Invoice
	// Balances holds, by id, the balance of each Open or Past Due
	// invoice in the list (invoice.Invoice.Balance): its total less its
	// issued credit notes and the payments recorded against it.
	Balances map[string]billing.Amount
}

// InvoiceList lists the documents Invoices lists (Documents' whole ones
// when whole), with the balance of each Open or Past Due invoice among
// them, read in the same transaction as its credit notes and payments,
// so that a balance always agrees with the status beside it.
// It reads the listings of every document (credit notes) and every
// payment: milliseconds for thousands.
func (db *DB) InvoiceList(f InvoiceFilter, now time.Time, whole bool) (InvoiceList, error) {
	read := appendListed
	if whole {
		read = appendIndexed
	}
	var out InvoiceList
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		if out.Invoices, err = listInvoices(tx, f, now, read); err != nil {
			return err
		}
		out.Balances, err = balancesOf(tx, out.Invoices, now)
		return err
	})
	return out, err
}

// balancesOf is the balance of each Open invoice among invs, by id.
func balancesOf(tx *bolt.Tx, invs []invoice.Invoice, now time.Time) (map[string]billing.Amount, error) {
	owing := map[string]bool{}
	for _, inv := range invs {
		if _, ok := inv.Balance(nil, nil); ok { // whether it has one at all
			owing[inv.ID] = true
		}
	}
	out := map[string]billing.Amount{}
	if len(owing) == 0 {
		return out, nil
	}
	notes, err := listInvoices(tx, InvoiceFilter{Kind: invoice.KindCreditNote}, now, appendListed)
	if err != nil {
		return nil, err
	}
	pays, err := scanPayments(tx, func(p invoice.Payment) bool { return owing[p.Invoice] })
	if err != nil {
		return nil, err
	}
	for _, inv := range invs {
		if owing[inv.ID] {
			out[inv.ID], _ = inv.Balance(notes, pays)
		}
	}
	return out, nil
}

// listInvoices is Invoices' list, read in tx.
func listInvoices(tx *bolt.Tx, f InvoiceFilter, now time.Time, read func([]invoice.Invoice, *bolt.Tx, []byte) ([]invoice.Invoice, error)) ([]invoice.Invoice, error) {
	if f.Period != "" {
		if err := customer.CheckMonth("month", f.Period); err != nil {
			return nil, err
		}
	}
	// Sized once: a document is a large value, and growing a list of
	// thousands copies them over and over.
	var prefix []byte // every month
	if f.Period != "" {
		prefix = indexPrefix(f.Period, f.Customer)
	}
	all := make([]invoice.Invoice, 0, countIndexed(tx, prefix))
	if f.Period != "" {
		var err error
		if all, err = read(all, tx, prefix); err != nil {
			return nil, err
		}
	} else {
		// Newest month first: the index keeps the months in order.
		months := documentMonths(tx)
		for i := len(months) - 1; i >= 0; i-- {
			var err error
			if all, err = read(all, tx, indexPrefix(months[i], "")); err != nil {
				return nil, err
			}
		}
	}
	out := all[:0]
	for _, inv := range all {
		switch {
		case f.Customer != "" && inv.CustomerID != f.Customer,
			f.Kind != "" && inv.Kind != f.Kind,
			f.Status != "" && !inv.Is(f.Status, now):
			continue
		}
		out = append(out, inv)
	}
	if out == nil {
		out = []invoice.Invoice{}
	}
	return out, nil
}

// ScanCustomerItems calls fn for every current line item of a YYYY-MM
// month in the accounts the customer owned that month, of every
// provider: the source lines behind its invoices, for the detailed
// exports (document.Items). The item is reused between calls.
func (db *DB) ScanCustomerItems(customerID, period string, fn func(*lineitem.Item) error) error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		return scanItemsOf(tx, invoice.Invoice{CustomerID: customerID, Period: period}, false, fn)
	})
}

// scanInvoiceItems calls fn for every line item an invoice was computed
// from: the rows of the deliveries it records (kept while it exists, so
// its detailed export stays the same after any re-import), or, for an
// invoice made before deliveries were recorded, the month's current
// rows; in the accounts it bills (invoice.Invoice.Bills), of its
// provider.
func scanInvoiceItems(tx *bolt.Tx, inv invoice.Invoice, fn func(*lineitem.Item) error) error {
	return scanItemsOf(tx, inv, true, fn)
}

// scanItemsOf is scanInvoiceItems, of the invoice's provider alone when
// oneProvider is set, else of every provider.
func scanItemsOf(tx *bolt.Tx, inv invoice.Invoice, oneProvider bool, fn func(*lineitem.Item) error) error {
	ms, err := allMappings(tx)
	if err != nil {
		return err
	}
	owners := customer.OwnersAt(ms, inv.Period)
	moved := customer.TransfersIn(ms, inv.Period)
	p := inv.Provider()
	mine := func(it *lineitem.Item) error {
		day := billing.UsageDay(it, inv.Period)
		owner := owners[it.UsageAccount]
		if days, ok := moved[it.UsageAccount]; ok {
			owner = customer.OwnerOnDay(days, day)
		}
		if oneProvider && it.Provider != p || !inv.BillsOn(it.UsageAccount, owner, day) {
			return nil
		}
		return fn(it)
	}
	recs, err := monthDeliveries(tx, inv.Period, inv.Deliveries)
	if err != nil {
		return fmt.Errorf("%s: %w", inv.Label(), err)
	}
	accounts := billableAccounts(inv, owners, moved)
	var it lineitem.Item
	for _, p := range recs {
		if err := scanDeliveryAccounts(tx, &p.deliveryRecord, accounts, &it, mine); err != nil {
			if len(inv.Deliveries) > 0 {
				return fmt.Errorf("%s: %w", inv.Label(), err)
			}
			return err
		}
	}
	return nil
}
