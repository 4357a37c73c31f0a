package store

import (
	"encoding/binary"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
)

// A slice's account index lists, per usage account, the row blocks that
// hold its rows, so that one customer's rows (line traces, detail
// exports, the usage view) are read from the blocks of its accounts
// instead of the whole month.

// accountBlocks is each account's row blocks, ascending, each once, held
// as they are stored: the gaps between them as uvarints, a byte per block
// for an account met in most blocks. An import notes every row's, so
// this grows with the month's blocks times its accounts: 5M rows over
// 400 accounts hold 1.9M of them.
type accountBlocks map[string]*blockList

type blockList struct {
	gaps []byte
	last uint32 // the last block noted
}

// note records that the account has a row in block, which is no lower
// than the blocks noted before.
func (a accountBlocks) note(account string, block uint32) {
	l := a[account]
	if l == nil {
		l = &blockList{}
		a[string([]byte(account))] = l // the item's strings may be reused
	} else if l.last == block {
		return
	}
	l.gaps = binary.AppendUvarint(l.gaps, uint64(block-l.last))
	l.last = block
}

// putAccountBlocks writes a slice's account index, replacing any it had.
// Each value is the block numbers as uvarint gaps, sealed.
func putAccountBlocks(sb *bolt.Bucket, a accountBlocks) error {
	if sb.Bucket(bucketAccountBlocks) != nil {
		if err := sb.DeleteBucket(bucketAccountBlocks); err != nil {
			return err
		}
	}
	ab, err := sb.CreateBucket(bucketAccountBlocks)
	if err != nil {
		return err
	}
	for account, l := range a {
		if err := ab.Put([]byte(account), seal(l.gaps)); err != nil {
			return err
		}
	}
	return nil
}

// accountBlocksOf reads the blocks holding the accounts' rows, in
// ascending order; ok is false for a slice stored without an index.
func accountBlocksOf(sb *bolt.Bucket, accounts []string) (blocks []uint32, ok bool, err error) {
	ab := sb.Bucket(bucketAccountBlocks)
	if ab == nil {
		return nil, false, nil
	}
	seen := map[uint32]bool{}
	for _, a := range accounts {
		v := ab.Get([]byte(a))
		if v == nil {
			continue
		}
		b, err := unseal(v)
		if err != nil {
			return nil, true, fmt.Errorf("the account index of %s %w", a, err)
		}
		r := reader{b: b}
		prev := uint32(0)
		for len(r.b) > 0 && r.err == nil {
			prev += uint32(r.uvarint())
			if !seen[prev] {
				seen[prev] = true
				blocks = append(blocks, prev)
			}
		}
		if r.err != nil {
			return nil, true, fmt.Errorf("the account index of %s %w", a, r.err)
		}
	}
	slices.Sort(blocks)
	return blocks, true, nil
}

// scanSliceAccounts decodes the rows of one part of a delivery that sit in
// the blocks of the accounts (and the other rows of those blocks: fn
// filters); without an index it decodes every row.
func scanSliceAccounts(tx *bolt.Tx, sp slicePart, accounts []string, it *lineitem.Item, fn func(*lineitem.Item) error) error {
	sb := tx.Bucket(bucketSlices).Bucket(u64(sp.part.Slice))
	if sb == nil {
		return scanSlice(tx, sp, it, fn)
	}
	blocks, ok, err := accountBlocksOf(sb, accounts)
	if err != nil {
		return damaged(sp, err)
	}
	if !ok {
		return scanSlice(tx, sp, it, fn)
	}
	if len(blocks) == 0 {
		return nil
	}
	d, err := sliceDecoder(sb, sp)
	if err != nil {
		return err
	}
	rows := sb.Bucket(bucketRows)
	for _, b := range blocks {
		k := u32(b)
		v := rows.Get(k)
		if v == nil {
			return damaged(sp, fmt.Errorf("row block %d, listed by the account index, %w", b, errCorrupt))
		}
		if err := damaged(sp, rowBlockError(k, d.block(v, it, fn))); err != nil {
			return err
		}
	}
	return nil
}

// scanDeliveryAccounts is scanDelivery for the rows of some accounts:
// every row of the blocks holding them, in the same order, so fn still
// filters what it keeps.
func scanDeliveryAccounts(tx *bolt.Tx, rec *deliveryRecord, accounts []string, it *lineitem.Item, fn func(*lineitem.Item) error) error {
	if rec.State == StatePruned {
		return scanDelivery(tx, rec, it, fn) // says the rows were pruned
	}
	for _, p := range rec.Parts {
		if err := scanSliceAccounts(tx, slicePart{rec: *rec, part: p}, accounts, it, fn); err != nil {
			return err
		}
	}
	return nil
}

// billableAccounts are the accounts whose rows an invoice may bill: those
// it lists, or, for one that lists none, those its customer owns in its
// month, on any of its days.
func billableAccounts(inv invoice.Invoice, owners map[string]string, moved map[string][]customer.DayOwner) []string {
	if len(inv.Accounts) > 0 {
		return inv.Accounts
	}
	var out []string
	for a, c := range owners {
		if c == inv.CustomerID {
			out = append(out, a)
		}
	}
	for a, days := range moved {
		if owners[a] == inv.CustomerID {
			continue
		}
		for _, d := range days {
			if d.Customer == inv.CustomerID {
				out = append(out, a)
				break
			}
		}
	}
	return out
}
