package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"

	"rebill/engine/aggregate"
	"rebill/engine/billing"
	"rebill/engine/lineitem"
	"rebill/engine/money"
	"rebill/engine/words"
)

// A slice's groups (aggregate.Set) are stored beside its rows, in its own
// bucket, so that whatever removes or keeps a slice (an aborted import,
// deliveries prune, a joined delivery sharing a part) does the same to its
// groups: they never disagree with the rows they sum.

// groupsPerBlock is how many groups one stored value holds.
const groupsPerBlock = 1024

// numKeyStrings is how many strings a group's key has.
const numKeyStrings = 10

func keyStrings(k *aggregate.Key) [numKeyStrings]*string {
	return [numKeyStrings]*string{(*string)(&k.Provider), &k.Account, &k.Entity, &k.Seller, &k.Code, &k.Name,
		&k.UsageType, &k.Type, &k.Owner, &k.Currency}
}

// errNoGroups is a slice stored before its groups were: its statements
// are read from its rows.
var errNoGroups = errors.New("the slice has no stored groups")

// putGroups writes a slice's groups, replacing any it had.
func putGroups(sb *bolt.Bucket, set *aggregate.Set, base int64) error {
	if sb.Bucket(bucketGroups) != nil {
		if err := sb.DeleteBucket(bucketGroups); err != nil {
			return err
		}
	}
	gb, err := sb.CreateBucket(bucketGroups)
	if err != nil {
		return err
	}
	gb.FillPercent = 1.0
	ids := map[string]uint64{"": 0}
	var dict []byte
	id := func(s string) uint64 {
		if n, ok := ids[s]; ok {
			return n
		}
		n := uint64(len(ids))
		ids[s] = n
		dict = binary.AppendUvarint(dict, uint64(len(s)))
		dict = append(dict, s...)
		return n
	}
	var block []byte
	var blocks [][]byte
	var slots []int64
	for i, g := range set.Groups() {
		for _, s := range keyStrings(&g.Key) {
			block = binary.AppendUvarint(block, id(*s))
		}
		block = append(block, g.Day)
		block = binary.AppendUvarint(block, uint64(g.Count))
		var mask uint64
		for s := range g.Sums {
			if !g.Sums[s].Total().IsZero() {
				mask |= 1 << s
			}
		}
		block = binary.AppendUvarint(block, mask)
		for s := range g.Sums {
			if mask&(1<<s) != 0 {
				block = appendDecimal(block, g.Sums[s].Total())
			}
		}
		slots = slots[:0]
		for s := range g.Slots {
			slots = append(slots, s)
		}
		slices.Sort(slots)
		block = binary.AppendUvarint(block, uint64(len(slots)))
		for _, s := range slots {
			block = binary.AppendVarint(block, s-base)
			block = appendDecimal(block, g.Slots[s].Total())
		}
		if (i+1)%groupsPerBlock == 0 {
			blocks = append(blocks, block)
			block = nil
		}
	}
	if len(block) > 0 {
		blocks = append(blocks, block)
	}
	if err := gb.Put(u32(0), seal(dict)); err != nil {
		return err
	}
	for i, b := range blocks {
		if err := gb.Put(u32(uint32(i+1)), seal(b)); err != nil {
			return err
		}
	}
	return nil
}

// scanGroups calls fn with every group of one part of a delivery, in the
// order they were stored; the group is reused between calls. A group's
// Slots are decoded only when slots says so (nil: never). It returns
// errNoGroups for a slice stored without them.
func scanGroups(tx *bolt.Tx, sp slicePart, slots func(*aggregate.Key) bool, fn func(*aggregate.Group) error) error {
	rec := &sp.rec
	sb := tx.Bucket(bucketSlices).Bucket(u64(sp.part.Slice))
	if sb == nil {
		return fmt.Errorf("the rows of delivery %d (%s %s %s) are missing from the database: re-import its files", rec.ID, rec.Provider, rec.Payer, rec.Period)
	}
	gb := sb.Bucket(bucketGroups)
	if gb == nil {
		return errNoGroups
	}
	base := sliceHeader{Period: rec.Period}.timeBase() / 1000
	var dict []string
	var g aggregate.Group
	return damaged(sp, gb.ForEach(func(k, v []byte) error {
		b, err := unseal(v)
		if err != nil {
			return fmt.Errorf("group block %d %w", binary.BigEndian.Uint32(k), err)
		}
		if dict == nil {
			if dict, err = loadDict([][]byte{v}); err != nil {
				return fmt.Errorf("group dictionary %w", err)
			}
			return nil
		}
		r := reader{b: b}
		for len(r.b) > 0 && r.err == nil {
			if err := decodeGroup(&r, dict, base, slots, &g); err != nil {
				return fmt.Errorf("group block %d %w", binary.BigEndian.Uint32(k), err)
			}
			if err := fn(&g); err != nil {
				return err
			}
		}
		if r.err != nil {
			return fmt.Errorf("group block %d %w", binary.BigEndian.Uint32(k), r.err)
		}
		return nil
	}))
}

// decodeGroup reads one group into g, reusing its slot map; its slots
// are decoded when slots (if not nil) asks for them, else skipped.
func decodeGroup(r *reader, dict []string, base int64, slots func(*aggregate.Key) bool, g *aggregate.Group) error {
	m := g.Slots
	*g = aggregate.Group{}
	for _, s := range keyStrings(&g.Key) {
		id := r.uvarint()
		if id >= uint64(len(dict)) {
			return errCorrupt
		}
		*s = dict[id]
	}
	if len(r.b) == 0 {
		return errCorrupt
	}
	g.Day, r.b = r.b[0], r.b[1:]
	g.Count = int64(r.uvarint())
	mask := r.uvarint()
	for s := range g.Sums {
		if mask&(1<<s) != 0 {
			r.addDecimal(&g.Sums[s])
		}
	}
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		return errCorrupt
	}
	if slots == nil || !slots(&g.Key) {
		for ; n > 0 && r.err == nil; n-- {
			r.varint()
			r.addDecimal(nil)
		}
		return r.err
	}
	if m == nil {
		m = map[int64]*money.Sum{}
	}
	clear(m)
	g.Slots = m
	for ; n > 0 && r.err == nil; n-- {
		s := r.varint() + base
		sum := &money.Sum{}
		r.addDecimal(sum)
		g.Slots[s] = sum
	}
	return r.err
}

// addDecimal reads a decimal appendDecimal wrote into s (nil: skips it),
// without building a decimal for one whose coefficient fits an int64.
func (r *reader) addDecimal(s *money.Sum) {
	h := r.varint()
	if e := h >> 1; e < math.MinInt32 || e > math.MaxInt32 {
		r.fail()
		return
	}
	if h&1 == 0 {
		c := r.varint()
		if s != nil {
			s.AddCoefficient(c, int32(h>>1))
		}
		return
	}
	d := r.decimalAfter(h)
	if s != nil {
		s.Add(d)
	}
}

// itemSource adds a delivery's line items to a month: fromGroups, what every
// statement reads, or fromRows, the rows themselves, kept so that a test
// can show both give the same statements.
type itemSource func(tx *bolt.Tx, rec *deliveryRecord, m *billing.Month) error

// fromGroups adds a delivery's stored groups, part by part in part order,
// as the rows would come; a part stored without groups is read from its
// rows.
func fromGroups(tx *bolt.Tx, rec *deliveryRecord, m *billing.Month) error {
	if rec.State == StatePruned {
		return fromRows(tx, rec, m) // says the rows were pruned
	}
	var it lineitem.Item
	for _, p := range rec.Parts {
		sp := slicePart{rec: *rec, part: p}
		err := scanGroups(tx, sp, m.NeedsSlots, m.AddGroup)
		if errors.Is(err, errNoGroups) {
			err = scanSlice(tx, sp, &it, m.Add)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// fromRows adds every row of a delivery.
func fromRows(tx *bolt.Tx, rec *deliveryRecord, m *billing.Month) error {
	var it lineitem.Item
	return scanDelivery(tx, rec, &it, m.Add)
}

// buildGroups is the migration that stores the groups and the account
// index of every slice imported before they existed, reading its rows
// once; slices that have them are left as they are.
func buildGroups(tx *bolt.Tx) error {
	done := map[uint64]bool{}
	return eachDelivery(tx, func(rec *deliveryRecord) error {
		if rec.State == StatePruned {
			return nil
		}
		for _, p := range rec.Parts {
			if done[p.Slice] {
				continue
			}
			done[p.Slice] = true
			sb := tx.Bucket(bucketSlices).Bucket(u64(p.Slice))
			if sb == nil || sb.Bucket(bucketGroups) != nil && sb.Bucket(bucketAccountBlocks) != nil {
				continue
			}
			if err := indexSlice(tx, sb, slicePart{rec: *rec, part: p}); err != nil {
				return err
			}
		}
		return nil
	})
}

// indexSlice stores one slice's groups and account index from its rows.
func indexSlice(tx *bolt.Tx, sb *bolt.Bucket, sp slicePart) error {
	d, err := sliceDecoder(sb, sp)
	if err != nil {
		return err
	}
	set := aggregate.NewSet(sp.rec.Period)
	accounts := accountBlocks{}
	var it lineitem.Item
	err = sb.Bucket(bucketRows).ForEach(func(k, v []byte) error {
		if len(k) != 4 {
			return rowBlockError(k, errCorrupt)
		}
		block := binary.BigEndian.Uint32(k)
		return rowBlockError(k, d.block(v, &it, func(it *lineitem.Item) error {
			set.Add(it)
			accounts.note(it.UsageAccount, block)
			return nil
		}))
	})
	if err != nil {
		return damaged(sp, err)
	}
	if err := putGroups(sb, set, d.base/1000); err != nil {
		return err
	}
	return putAccountBlocks(sb, accounts)
}

// groups checks a slice's stored groups: their checksums, and, for a
// part of a delivery (used), that they count as many rows costing as much
// as its import recorded, which the statements rely on.
func (c *checker) groups(sp slicePart, used bool) {
	var n int64
	var sum money.Sum
	err := scanGroups(c.tx, sp, nil, func(g *aggregate.Group) error {
		n += g.Count
		sum.Add(g.Total(aggregate.Unblended))
		return nil
	})
	var de *DamagedError
	switch {
	case errors.Is(err, errNoGroups):
	case errors.As(err, &de):
		c.add(AreaRows, describePart(sp), "its "+de.Part, adviceRows)
	case err != nil:
		c.add(AreaRows, describePart(sp), err.Error(), adviceRows)
	case used && (n != sp.part.Rows || !sum.Total().Equal(sp.part.UnblendedCost)):
		c.add(AreaRows, describePart(sp), fmt.Sprintf("has sums of %s costing %s, its import recorded %s costing %s: the sums statements are computed from were changed outside Rebill",
			words.Plural(int(n), "row", "rows"), sum.Total(), words.Plural(int(sp.part.Rows), "row", "rows"), sp.part.UnblendedCost), adviceRows)
	}
}

// eachUnblended calls fn with a delivery's unblended cost by account and
// product code: from its groups, or from the rows of a part stored
// without them. A late adjustment compares two deliveries so, without
// reading their rows.
func eachUnblended(tx *bolt.Tx, rec *deliveryRecord, fn func(account, code string, cost decimal.Decimal)) error {
	if rec.State == StatePruned {
		var it lineitem.Item
		return scanDelivery(tx, rec, &it, func(*lineitem.Item) error { return nil }) // says the rows were pruned
	}
	var it lineitem.Item
	for _, p := range rec.Parts {
		sp := slicePart{rec: *rec, part: p}
		err := scanGroups(tx, sp, nil, func(g *aggregate.Group) error {
			fn(g.Account, g.Code, g.Total(aggregate.Unblended))
			return nil
		})
		if errors.Is(err, errNoGroups) {
			err = scanSlice(tx, sp, &it, func(it *lineitem.Item) error {
				fn(it.UsageAccount, it.ProductCode, it.UnblendedCost)
				return nil
			})
		}
		if err != nil {
			return err
		}
	}
	return nil
}
