package store

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/engine/words"
)

// ErrNotFound is wrapped by lookups of a customer, invoice or other
// record that does not exist; it is customer.ErrNotFound, which the
// engine's selections wrap.
var ErrNotFound = customer.ErrNotFound

func customerRecord(id string) record {
	return record{bucket: bucketCustomers, key: []byte(id), kind: KindCustomer, name: id, customer: id}
}

// Customers returns every customer, ordered as the customer list shows
// them: by group (customers without a group last), then name, then id.
func (db *DB) Customers() ([]customer.Customer, error) {
	out := []customer.Customer{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCustomers).ForEach(func(k, v []byte) error {
			c, err := decodeCustomer(k, v)
			out = append(out, c)
			return err
		})
	})
	customer.SortList(out)
	return out, err
}

func decodeCustomer(k, v []byte) (customer.Customer, error) {
	var c customer.Customer
	if err := json.Unmarshal(v, &c); err != nil {
		return c, fmt.Errorf("customer %s is damaged in the database: %w", k, err)
	}
	return c, nil
}

// Customer returns one customer; the error wraps ErrNotFound when there is
// no customer with that id.
func (db *DB) Customer(id string) (customer.Customer, error) {
	var c customer.Customer
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		c, err = getCustomer(tx, id)
		return err
	})
	return c, err
}

func getCustomer(tx *bolt.Tx, id string) (customer.Customer, error) {
	v := tx.Bucket(bucketCustomers).Get([]byte(id))
	if v == nil {
		return customer.Customer{}, customer.NotFound("there is no customer %q (ids are case-sensitive); add it first", id)
	}
	return decodeCustomer([]byte(id), v)
}

func customerExists(tx *bolt.Tx, id string) bool {
	return tx.Bucket(bucketCustomers).Get([]byte(id)) != nil
}

// AddCustomer records a new customer, normalized and validated; an id
// already in use is refused.
func (db *DB) AddCustomer(c customer.Customer, now time.Time) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		c.Normalize()
		if customerExists(tx, c.ID) {
			return fmt.Errorf("customer %s already exists: edit it instead, or choose another id", c.ID)
		}
		_, err := putCustomer(tx, c, now)
		return err
	})
}

// PutCustomer records a customer, new or edited, normalized and validated,
// with its change-log entry. Saving an unchanged customer writes nothing.
func (db *DB) PutCustomer(c customer.Customer, now time.Time) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		_, err := putCustomer(tx, c, now)
		return err
	})
}

// UpdateCustomer changes one customer in one transaction: it reads it,
// lets change edit it, and stores it normalized and validated with its
// change-log entry, so that a change made meanwhile is never overwritten.
// The id cannot change (the customer's mappings, credits and documents
// refer to it). It returns the customer as stored.
func (db *DB) UpdateCustomer(id string, change func(*customer.Customer) error, now time.Time) (customer.Customer, error) {
	return db.UpdateCustomerFrom(id, "", change, now)
}

// UpdateCustomerFrom is UpdateCustomer with the YYYY-MM month the changed
// terms (currency, discount or uplift, pricing rules, recurring charges)
// apply from; "" is the month after the customer's latest issued invoice
// (customer.FirstUninvoiced), read in the same transaction.
func (db *DB) UpdateCustomerFrom(id, from string, change func(*customer.Customer) error, now time.Time) (customer.Customer, error) {
	var c customer.Customer
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		var err error
		if c, err = getCustomer(tx, id); err != nil {
			return err
		}
		if err := change(&c); err != nil {
			return err
		}
		if c.ID != id {
			return fmt.Errorf("a customer's id cannot change (its mappings, credits and invoices refer to it): add a new customer %s instead", c.ID)
		}
		c.Normalize()
		if _, err = putCustomerFrom(tx, c, from, now); err != nil {
			return err
		}
		c, err = getCustomer(tx, id) // as stored: with the terms it dated
		return err
	})
	return c, err
}

// putCustomer normalizes, validates and stores a customer, its changed
// terms applying from the month after its latest issued invoice.
func putCustomer(tx *bolt.Tx, c customer.Customer, now time.Time) (bool, error) {
	return putCustomerFrom(tx, c, "", now)
}

// putCustomerFrom is putCustomer with the month the changed terms apply
// from ("" for the month after the latest issued invoice).
func putCustomerFrom(tx *bolt.Tx, c customer.Customer, from string, now time.Time) (bool, error) {
	c.Normalize()
	if before, err := getCustomer(tx, c.ID); err == nil {
		if from == "" {
			months, err := issuedMonths(tx, c.ID)
			if err != nil {
				return false, err
			}
			from = customer.FirstUninvoiced(months)
		}
		c.RecordTerms(from, before)
	}
	if err := c.Validate(); err != nil {
		return false, fmt.Errorf("customer %s: %w", c.ID, err)
	}
	if c.PriceTable != "" {
		tables, err := allPriceTables(tx)
		if err != nil {
			return false, err
		}
		if _, ok := tables[c.PriceTable]; !ok {
			return false, fmt.Errorf("customer %s: there is no price table %q: rebill price-tables list shows them, rebill price-tables set adds one", c.ID, c.PriceTable)
		}
	}
	return customerRecord(c.ID).put(tx, c, now)
}

// DeleteCustomer removes a customer that owns no account, has no credits
// and no documents, with its change-log entry; its history stays in the
// log. An issued invoice or credit note (of any status, Void included)
// keeps its customer for the record; a draft is only a preview, but it is
// the customer's too, so the refusal counts the drafts apart and says to
// delete them first rather than deleting them along the way.
func (db *DB) DeleteCustomer(id string, now time.Time) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		if !customerExists(tx, id) {
			_, err := getCustomer(tx, id)
			return err
		}
		ms, err := allMappings(tx)
		if err != nil {
			return err
		}
		var accounts []string
		for _, m := range ms {
			if m.Customer == id {
				accounts = append(accounts, m.Account)
			}
		}
		if len(accounts) > 0 {
			return fmt.Errorf("customer %s still has account mappings (%s): unmap them first", id, strings.Join(accounts, ", "))
		}
		gs, err := grantsOf(tx, id)
		if err != nil {
			return err
		}
		if len(gs) > 0 {
			return fmt.Errorf("customer %s has %s in its ledger: a customer with credits is kept for the record", id, words.Plural(len(gs), "credit grant", "credit grants"))
		}
		if err := checkNoDocuments(tx, id); err != nil {
			return err
		}
		_, err = customerRecord(id).del(tx, now)
		return err
	})
}

// checkNoDocuments refuses to delete a customer that has invoices or credit
// notes, naming the first issued one, or counting the drafts to delete.
func checkNoDocuments(tx *bolt.Tx, id string) error {
	var issued []invoice.Invoice
	drafts := 0
	for _, month := range documentMonths(tx) {
		docs, err := docsOf(tx, month, id)
		if err != nil {
			return err
		}
		for _, d := range docs {
			if d.Status == invoice.Draft {
				drafts++
			} else {
				issued = append(issued, d)
			}
		}
	}
	switch {
	case len(issued) > 0:
		return fmt.Errorf("customer %s has %s, %s (%s) the first: a customer with invoices or credit notes is kept for the record, whatever their status",
			id, words.Plural(len(issued), "issued document", "issued documents"), issued[0].Label(), issued[0].StatusLabel(issued[0].Status))
	case drafts > 0:
		return fmt.Errorf("customer %s has %s: delete them first (rebill invoices delete ID), then delete the customer", id, words.Plural(drafts, "draft invoice", "draft invoices"))
	}
	return nil
}

// ImportReport counts what an import did.
type ImportReport struct {
	Added     int `json:"added"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Removed   int `json:"removed"` // mappings only: replaced by the file's
}

// ImportCustomersCSV imports the customers CSV (see customer.ReadCustomersCSV
// for the columns) in one transaction: every customer of the file is added
// or updated, or, when any row is bad, nothing is and the error lists the
// bad rows. New customers take the reseller profile's currency and terms
// when the file leaves them empty.
func (db *DB) ImportCustomersCSV(r io.Reader, now time.Time) (ImportReport, error) {
	return db.ImportCustomersCSVFrom(r, "", now)
}

// ImportCustomersCSVFrom is ImportCustomersCSV with the YYYY-MM month the
// changed terms of existing customers apply from ("" for the month after
// each customer's latest issued invoice).
func (db *DB) ImportCustomersCSVFrom(r io.Reader, from string, now time.Time) (ImportReport, error) {
	var rep ImportReport
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		p, err := getProfile(tx)
		if err != nil {
			return err
		}
		existing := func(id string) (customer.Customer, bool) {
			c, err := getCustomer(tx, id)
			return c, err == nil
		}
		cs, err := customer.ReadCustomersCSV(r, p.Defaults(), existing)
		if err != nil {
			return err
		}
		for _, c := range cs {
			isNew := !customerExists(tx, c.ID)
			changed, err := putCustomerFrom(tx, c, from, now)
			switch {
			case err != nil:
				return err
			case isNew:
				rep.Added++
			case changed:
				rep.Updated++
			default:
				rep.Unchanged++
			}
		}
		return nil
	})
	if err != nil {
		return ImportReport{}, err
	}
	return rep, nil
}

// ExportCustomersCSV writes every customer as the customers CSV, in the
// order of Customers; importing the file back changes nothing.
func (db *DB) ExportCustomersCSV(w io.Writer) error {
	cs, err := db.Customers()
	if err != nil {
		return err
	}
	return customer.WriteCustomersCSV(w, cs)
}

// issuedMonths lists the months in which a customer has an issued
// document (any status but draft: a void invoice was issued too).
func issuedMonths(tx *bolt.Tx, customerID string) ([]string, error) {
	var out []string
	for _, m := range documentMonths(tx) {
		docs, err := docsOf(tx, m, customerID)
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			if d.Status != invoice.Draft {
				out = append(out, m)
				break
			}
		}
	}
	return out, nil
}
