package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/customer"
	"rebill/engine/invoice"
)

// mappingKey keys a mapping by account then first month, so that the
// mappings of an account are adjacent and in month order.
func mappingKey(account, from string) []byte {
	return []byte(account + "\x00" + from)
}

func mappingRecord(m customer.Mapping) record {
	return record{bucket: bucketMappings, key: mappingKey(m.Account, m.From), kind: KindMapping,
		name: m.Account + " " + m.From, customer: m.Customer}
}

func decodeMapping(k, v []byte) (customer.Mapping, error) {
	var m customer.Mapping
	if err := json.Unmarshal(v, &m); err != nil {
		return m, fmt.Errorf("account mapping %q is damaged in the database: %w", k, err)
	}
	return m, nil
}

func allMappings(tx *bolt.Tx) ([]customer.Mapping, error) {
	out := []customer.Mapping{}
	err := tx.Bucket(bucketMappings).ForEach(func(k, v []byte) error {
		m, err := decodeMapping(k, v)
		out = append(out, m)
		return err
	})
	return out, err
}

// accountMappings reads the mappings of one account, in month order.
func accountMappings(tx *bolt.Tx, account string) ([]customer.Mapping, error) {
	out := []customer.Mapping{}
	prefix := []byte(account + "\x00")
	c := tx.Bucket(bucketMappings).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		m, err := decodeMapping(k, v)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// Mappings returns every account mapping, by account then first month.
func (db *DB) Mappings() ([]customer.Mapping, error) {
	var out []customer.Mapping
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		out, err = allMappings(tx)
		return err
	})
	return out, err
}

// MappingsOf returns the mappings of one customer's accounts, by account
// then first month.
func (db *DB) MappingsOf(customerID string) ([]customer.Mapping, error) {
	all, err := db.Mappings()
	if err != nil {
		return nil, err
	}
	out := []customer.Mapping{}
	for _, m := range all {
		if m.Customer == customerID {
			out = append(out, m)
		}
	}
	return out, nil
}

// AccountMappings returns the mappings of one account, in month order: its
// owners over time.
func (db *DB) AccountMappings(account string) ([]customer.Mapping, error) {
	var out []customer.Mapping
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		out, err = accountMappings(tx, account)
		return err
	})
	return out, err
}

// Map records that a customer owns an account; see MapMoving, which it
// is without the report of a move.
func (db *DB) Map(m customer.Mapping, now time.Time) error {
	_, err := db.MapMoving(m, now)
	return err
}

// MapMoving records that a customer owns an account from m.From
// (MappingStart when it is empty; until m.Until, or open-ended), in one
// transaction. The customer must exist. When m.From falls inside another
// customer's mapping that starts earlier, the account moves
// (customer.Place): that mapping ends the day (month) before, and the
// move is returned. Any other mapping sharing a day with the account's
// mappings is refused with a *customer.OverlapError naming the owner and
// months; one that would take days billed by another customer's issued
// invoice is refused with an *invoice.MoveError (see checkRemap), and
// nothing changes.
func (db *DB) MapMoving(m customer.Mapping, now time.Time) (*customer.Move, error) {
	var mv *customer.Move
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		given := strings.TrimSpace(m.From) != ""
		if !given {
			from, err := mappingStart(tx, now)
			if err != nil {
				return err
			}
			if m.Until != "" && m.Until < from {
				return fmt.Errorf("until %s is before %s, the month a mapping starts at when none is given (the earliest imported month): give the first month too", m.Until, from)
			}
			m.From = from
		}
		if err := m.Validate(); err != nil {
			return err
		}
		if _, err := getCustomer(tx, m.Customer); err != nil {
			return err
		}
		existing, err := accountMappings(tx, m.Account)
		if err != nil {
			return err
		}
		var after []customer.Mapping
		if given {
			after, mv, err = customer.Place(existing, m)
		} else {
			// A default first month is nobody's choice of a day to move on.
			err = customer.CheckOverlap(existing, m)
			after = append(slices.Clone(existing), m)
		}
		if err != nil {
			return err
		}
		if err := checkRemap(tx, existing, after); err != nil {
			return err
		}
		_, err = replaceAccountMappings(tx, m.Account, existing, after, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	return mv, nil
}

// Unmap ends an account's ownership (see customer.Unmap): from the month
// from on, or entirely when from is empty. It returns the account's
// mappings afterwards. A month an issued invoice bills the account in
// stays with that invoice's customer: unmapping it is refused with an
// *invoice.MoveError (see checkRemap).
func (db *DB) Unmap(account, from string, now time.Time) ([]customer.Mapping, error) {
	var out []customer.Mapping
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		existing, err := accountMappings(tx, account)
		if err != nil {
			return err
		}
		out, err = customer.Unmap(existing, account, from)
		if err != nil {
			return err
		}
		if err := checkRemap(tx, existing, out); err != nil {
			return err
		}
		_, err = replaceAccountMappings(tx, account, existing, out, now)
		return err
	})
	return out, err
}

// replaceAccountMappings makes want the account's mappings, logging each
// mapping added, changed or removed. A mapping whose customer changes is
// logged as a removal from the old customer and an addition to the new one,
// so that each customer's log tells its own story.
func replaceAccountMappings(tx *bolt.Tx, account string, existing, want []customer.Mapping, now time.Time) (ImportReport, error) {
	var rep ImportReport
	old := map[string]customer.Mapping{}
	for _, m := range existing {
		old[m.From] = m
	}
	kept := map[string]bool{}
	for _, m := range want {
		if m.Account != account {
			return rep, fmt.Errorf("mapping of account %s listed with account %s", m.Account, account)
		}
		prev, had := old[m.From]
		if had && prev.Customer != m.Customer {
			if _, err := mappingRecord(prev).del(tx, now); err != nil {
				return rep, err
			}
			rep.Removed++
			had = false
		}
		changed, err := mappingRecord(m).put(tx, m, now)
		if err != nil {
			return rep, err
		}
		switch {
		case !had:
			rep.Added++
		case changed:
			rep.Updated++
		default:
			rep.Unchanged++
		}
		kept[m.From] = true
	}
	for _, m := range existing {
		if !kept[m.From] {
			if _, err := mappingRecord(m).del(tx, now); err != nil {
				return rep, err
			}
			rep.Removed++
		}
	}
	return rep, nil
}

// ImportMappingsCSV imports the mappings CSV (account, customer, from,
// until) in one transaction: the mappings of every account the file names
// are replaced by the file's, other accounts keep theirs. Any bad row (an
// unknown customer, overlapping months, a malformed month) refuses the
// whole file, listing every bad row; so does a file that would move a
// month an issued invoice bills (see checkRemap).
func (db *DB) ImportMappingsCSV(r io.Reader, now time.Time) (ImportReport, error) {
	var rep ImportReport
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		ms, err := customer.ReadMappingsCSV(r, func(id string) bool { return customerExists(tx, id) })
		if err != nil {
			return err
		}
		rep, err = setMappings(tx, ms, now)
		return err
	})
	if err != nil {
		return ImportReport{}, err
	}
	return rep, nil
}

// setMappings makes ms the mappings of every account they name (other
// accounts keep theirs), after checking each mapping, its customer, that
// no two of ms give an account overlapping months, and that no month an
// issued invoice bills changes owner (checkRemap).
func setMappings(tx *bolt.Tx, ms []customer.Mapping, now time.Time) (ImportReport, error) {
	var rep ImportReport
	byAccount := map[string][]customer.Mapping{}
	var order []string
	for _, m := range ms {
		if err := m.Validate(); err != nil {
			return rep, fmt.Errorf("mapping of account %s: %w", m.Account, err)
		}
		if _, err := getCustomer(tx, m.Customer); err != nil {
			return rep, fmt.Errorf("mapping of account %s: %w", m.Account, err)
		}
		if err := customer.CheckOverlap(byAccount[m.Account], m); err != nil {
			return rep, err
		}
		if byAccount[m.Account] == nil {
			order = append(order, m.Account)
		}
		byAccount[m.Account] = append(byAccount[m.Account], m)
	}
	existing := map[string][]customer.Mapping{}
	var before []customer.Mapping
	for _, account := range order {
		ms, err := accountMappings(tx, account)
		if err != nil {
			return rep, err
		}
		existing[account] = ms
		before = append(before, ms...)
	}
	if err := checkRemap(tx, before, ms); err != nil {
		return rep, err
	}
	for _, account := range order {
		r, err := replaceAccountMappings(tx, account, existing[account], byAccount[account], now)
		if err != nil {
			return rep, err
		}
		rep.Added += r.Added
		rep.Updated += r.Updated
		rep.Unchanged += r.Unchanged
		rep.Removed += r.Removed
	}
	return rep, nil
}

// checkRemap refuses a change of mappings that would take an account-month
// from the customer whose standing issued invoice bills it
// (invoice.Claims.CheckMoves): before and after are the mappings of the accounts
// the change touches. Only months that have documents can be billed, so
// only they are compared, and only the documents of months whose owner
// changes are read.
func checkRemap(tx *bolt.Tx, before, after []customer.Mapping) error {
	changes := customer.OwnerChanges(before, after, documentMonths(tx))
	if len(changes) == 0 {
		return nil
	}
	var docs []invoice.Invoice
	read := map[string]bool{}
	for _, c := range changes {
		if read[c.Month] {
			continue
		}
		read[c.Month] = true
		ds, err := indexed(tx, indexPrefix(c.Month, ""))
		if err != nil {
			return err
		}
		docs = append(docs, ds...)
	}
	return invoice.ClaimsOf(docs).CheckMoves(changes)
}

// ExportMappingsCSV writes every mapping as the mappings CSV, by account
// then first month; importing the file back changes nothing.
func (db *DB) ExportMappingsCSV(w io.Writer) error {
	ms, err := db.Mappings()
	if err != nil {
		return err
	}
	return customer.WriteMappingsCSV(w, ms)
}
