package store

import (
	"cmp"
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

// putGroups writes a slice's groups, replacing any it had: the groups of
// each day (bucketGroups) and the month's (bucketMonthGroups,
// aggregate.Monthly), which most statements read instead.
func putGroups(sb *bolt.Bucket, groups []*aggregate.Group, base int64) error {
	w := newSliceGroups(base)
	for _, g := range groups {
		w.add(g)
	}
	return w.close(sb)
}

// sliceGroups writes a slice's groups of both levels as they come: the
// day groups in Ordinal order (during an import, as the slice's set gives
// them up, see aggregate.Set.TakeOldest), the month's sums of them at the
// end. Its first write replaces any groups the slice had.
type sliceGroups struct {
	days    *groupWriter
	months  aggregate.MonthlySums
	started bool
}

func newSliceGroups(base int64) *sliceGroups {
	return &sliceGroups{days: newGroupWriter(false, base)}
}

// add encodes a day group that comes after those added before and sums
// it into its month's. The group may be reused afterwards.
func (w *sliceGroups) add(g *aggregate.Group) {
	w.days.add(g)
	w.months.Add(g)
}

// dayBucket is the slice's bucket of day groups, emptied on the first
// write.
func (w *sliceGroups) dayBucket(sb *bolt.Bucket) (*bolt.Bucket, error) {
	gb, err := groupsBucketIn(sb, false, !w.started)
	w.started = err == nil
	return gb, err
}

// put writes blocks of day groups taken from w.days.
func (w *sliceGroups) put(sb *bolt.Bucket, blocks groupBlocks) error {
	gb, err := w.dayBucket(sb)
	if err != nil {
		return err
	}
	return blocks.put(gb)
}

// close writes the day groups left and the month's groups.
func (w *sliceGroups) close(sb *bolt.Bucket) error {
	gb, err := w.dayBucket(sb)
	if err != nil {
		return err
	}
	if err := w.days.close(gb); err != nil {
		return err
	}
	mb, err := groupsBucketIn(sb, true, true)
	if err != nil {
		return err
	}
	m := newGroupWriter(true, w.days.base)
	for _, g := range w.months.Groups() {
		m.add(g)
	}
	return m.close(mb)
}

// groupWriter encodes a slice's groups of one level one at a time: blocks
// of groupsPerBlock groups, each group preceded by its length (and a
// month's group by its Ordinal, which a day's is by its place), so that a
// read for some accounts or keys steps over the others' groups without
// decoding them, and their string dictionary, written last at key 0. The
// blocks wait in memory, sealed, until put in a transaction's bucket.
type groupWriter struct {
	monthly bool
	base    int64
	ids     map[string]uint64
	dict    []byte
	block   []byte
	group   []byte   // the group being encoded
	slots   []int    // the group's slots by start
	n       int      // groups in block
	blocks  uint32   // blocks sealed
	sealed  [][]byte // blocks sealed and not yet put
}

// groupsBucket is the bucket of one level of a slice's groups.
func groupsBucket(monthly bool) []byte {
	if monthly {
		return bucketMonthGroups
	}
	return bucketGroups
}

// groupsBucketIn is a slice's bucket of one level of groups; fresh
// replaces any it had with an empty one.
func groupsBucketIn(sb *bolt.Bucket, monthly, fresh bool) (*bolt.Bucket, error) {
	name := groupsBucket(monthly)
	gb := sb.Bucket(name)
	if fresh && gb != nil {
		if err := sb.DeleteBucket(name); err != nil {
			return nil, err
		}
		gb = nil
	}
	if gb == nil {
		var err error
		if gb, err = sb.CreateBucket(name); err != nil {
			return nil, err
		}
	}
	gb.FillPercent = 1.0
	return gb, nil
}

func newGroupWriter(monthly bool, base int64) *groupWriter {
	return &groupWriter{monthly: monthly, base: base, ids: map[string]uint64{"": 0}}
}

// id is a string's number in the dictionary, adding it when new.
func (w *groupWriter) id(s string) uint64 {
	if n, ok := w.ids[s]; ok {
		return n
	}
	n := uint64(len(w.ids))
	w.ids[s] = n
	w.dict = binary.AppendUvarint(w.dict, uint64(len(s)))
	w.dict = append(w.dict, s...)
	return n
}

// add encodes one group; its key's strings come first, the account's
// second (after the provider's), where a read looks for it, and its
// usage slots last, where a read that needs none stops.
func (w *groupWriter) add(g *aggregate.Group) {
	b := w.group[:0]
	for _, s := range keyStrings(&g.Key) {
		b = binary.AppendUvarint(b, w.id(*s))
	}
	b = append(b, g.Day)
	b = binary.AppendUvarint(b, uint64(g.Count))
	var mask uint64
	for s := range g.Sums {
		if !sumIsZero(&g.Sums[s]) {
			mask |= 1 << s
		}
	}
	b = binary.AppendUvarint(b, mask)
	for s := range g.Sums {
		if mask&(1<<s) != 0 {
			b = appendSum(b, &g.Sums[s])
		}
	}
	w.slots = w.slots[:0]
	for i := range g.Slots {
		w.slots = append(w.slots, i)
	}
	slices.SortFunc(w.slots, func(i, j int) int { return cmp.Compare(g.Slots[i].Start, g.Slots[j].Start) })
	b = binary.AppendUvarint(b, uint64(len(w.slots)))
	for _, i := range w.slots {
		b = binary.AppendVarint(b, g.Slots[i].Start-w.base)
		b = appendSum(b, &g.Slots[i].Usage)
	}
	w.group = b
	w.block = binary.AppendUvarint(w.block, uint64(len(b)))
	if w.monthly {
		w.block = binary.AppendUvarint(w.block, uint64(g.Ordinal))
	}
	w.block = append(w.block, b...)
	if w.n++; w.n == groupsPerBlock {
		w.seal()
	}
}

// seal ends the block of groups so far.
func (w *groupWriter) seal() {
	if w.n == 0 {
		return
	}
	w.blocks++
	w.sealed = append(w.sealed, seal(w.block))
	w.block, w.n = nil, 0
}

// groupBlocks are sealed blocks of groups, the first numbered first.
type groupBlocks struct {
	first  uint32
	blocks [][]byte
}

// take hands over the blocks sealed since the last take, numbered from 1
// in the order they were sealed.
func (w *groupWriter) take() groupBlocks {
	t := groupBlocks{first: w.blocks - uint32(len(w.sealed)) + 1, blocks: w.sealed}
	w.sealed = nil
	return t
}

// put writes the blocks in gb.
func (t groupBlocks) put(gb *bolt.Bucket) error {
	for i, b := range t.blocks {
		if err := gb.Put(u32(t.first+uint32(i)), b); err != nil {
			return err
		}
	}
	return nil
}

// close writes the last block and the dictionary.
func (w *groupWriter) close(gb *bolt.Bucket) error {
	w.seal()
	if err := w.take().put(gb); err != nil {
		return err
	}
	return gb.Put(u32(0), seal(w.dict))
}

// groupRead is what scanGroups reads of a slice's groups.
type groupRead struct {
	// monthly reads the month's groups (bucketMonthGroups), not the days'.
	monthly bool
	// accounts chooses the groups by usage account (nil: every group);
	// the others are stepped over unread.
	accounts func(account string) bool
	// keys chooses the groups by key (nil: every group), looked at before
	// their sums are decoded.
	keys func(*aggregate.Key) bool
	// slots says whether a group's Slots are decoded (nil: never).
	slots func(*aggregate.Key) bool
	// legacy reads bucketLegacyGroups, the day groups without lengths,
	// every one of them, for the migration that rewrites them (sizeGroups).
	legacy bool
}

// scanGroups calls fn with the groups of one part of a delivery that rd
// chooses, in the order they were stored, each with its Ordinal; the
// group is reused between calls. It returns errNoGroups for a slice
// stored without them.
func scanGroups(tx *bolt.Tx, sp slicePart, rd groupRead, fn func(*aggregate.Group) error) error {
	rec := &sp.rec
	sb := tx.Bucket(bucketSlices).Bucket(u64(sp.part.Slice))
	if sb == nil {
		return fmt.Errorf("the rows of delivery %d (%s %s %s) are missing from the database: re-import its files", rec.ID, rec.Provider, rec.Payer, rec.Period)
	}
	name := groupsBucket(rd.monthly)
	if rd.legacy {
		name = bucketLegacyGroups
	}
	gb := sb.Bucket(name)
	if gb == nil {
		return errNoGroups
	}
	base := sliceHeader{Period: rec.Period}.timeBase() / 1000
	var dict []string
	var wanted []bool // by string id, when rd.accounts chooses
	var g aggregate.Group
	var place int64 // a day group's Ordinal
	return damaged(sp, gb.ForEach(func(k, v []byte) error {
		b, err := unseal(v)
		if err != nil {
			return fmt.Errorf("group block %d %w", binary.BigEndian.Uint32(k), err)
		}
		if dict == nil {
			if dict, err = loadDict([][]byte{v}); err != nil {
				return fmt.Errorf("group dictionary %w", err)
			}
			if rd.accounts != nil {
				wanted = make([]bool, len(dict))
				for i, s := range dict {
					wanted[i] = rd.accounts(s)
				}
			}
			return nil
		}
		corrupt := func() error { return fmt.Errorf("group block %d %w", binary.BigEndian.Uint32(k), errCorrupt) }
		r := reader{b: b}
		for len(r.b) > 0 && r.err == nil {
			if rd.legacy {
				if err := decodeGroup(&r, dict, base, rd.slots, false, &g); err != nil {
					return fmt.Errorf("group block %d %w", binary.BigEndian.Uint32(k), err)
				}
				g.Ordinal, place = place, place+1
				if err := fn(&g); err != nil {
					return err
				}
				continue
			}
			n := r.uvarint()
			ordinal := place
			if place++; rd.monthly {
				ordinal = int64(r.uvarint())
			}
			if r.err != nil || n > uint64(len(r.b)) {
				return corrupt()
			}
			one := reader{b: r.b[:n]}
			r.b = r.b[n:]
			if wanted != nil {
				a, ok := groupAccount(one.b)
				if !ok || a >= uint64(len(wanted)) {
					return corrupt()
				}
				if !wanted[a] {
					continue
				}
			}
			if err := decodeKey(&one, dict, &g); err != nil {
				return corrupt()
			}
			if rd.keys != nil && !rd.keys(&g.Key) {
				continue
			}
			if err := decodeSums(&one, base, rd.slots, true, &g); err != nil || len(one.b) != 0 {
				return corrupt()
			}
			g.Ordinal = ordinal
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

// groupAccount is the string id of an encoded group's account: the
// second of its key's ids (groupWriter.add).
func groupAccount(b []byte) (uint64, bool) {
	_, n := binary.Uvarint(b) // the provider
	if n <= 0 {
		return 0, false
	}
	a, m := binary.Uvarint(b[n:])
	return a, m > 0
}

// decodeGroup reads one group into g (decodeKey, then decodeSums).
func decodeGroup(r *reader, dict []string, base int64, slots func(*aggregate.Key) bool, framed bool, g *aggregate.Group) error {
	if err := decodeKey(r, dict, g); err != nil {
		return err
	}
	return decodeSums(r, base, slots, framed, g)
}

// decodeKey reads a group's key into g, clearing the rest of it but its
// slots' memory, kept for reuse.
func decodeKey(r *reader, dict []string, g *aggregate.Group) error {
	*g = aggregate.Group{Slots: g.Slots[:0]}
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
	return r.err
}

// decodeSums reads the rest of a group after its key. Its slots are
// decoded when slots (if not nil) asks for them; else g has none, and a
// framed group (one whose length came first) is left at its slots
// rather than read through them.
func decodeSums(r *reader, base int64, slots func(*aggregate.Key) bool, framed bool, g *aggregate.Group) error {
	m := g.Slots
	g.Slots = nil
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
		if framed {
			r.b = nil
			return r.err
		}
		for ; n > 0 && r.err == nil; n-- {
			r.varint()
			r.addDecimal(nil)
		}
		return r.err
	}
	g.Slots = m[:0]
	for ; n > 0 && r.err == nil; n-- {
		g.Slots = append(g.Slots, aggregate.Slot{Start: r.varint() + base})
		r.addDecimal(&g.Slots[len(g.Slots)-1].Usage)
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
		err := addPartGroups(tx, sp, m)
		if errors.Is(err, errNoGroups) {
			err = scanSlice(tx, sp, &it, m.Add)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// addPartGroups adds one part's groups: the month's groups of the keys
// the month reads by month, the day groups of those it reads by day
// (billing.Month.ReadsDaily: moved accounts, usage a price table prices),
// merged in the order their first rows came. Only the groups of the
// accounts the month reads (billing.Month.Reads) are decoded: a month
// read for one customer steps over the others'.
func addPartGroups(tx *bolt.Tx, sp slicePart, m *billing.Month) error {
	var days []*aggregate.Group
	err := scanGroups(tx, sp, groupRead{accounts: m.Reads, keys: m.ReadsDaily, slots: m.NeedsSlots}, func(g *aggregate.Group) error {
		days = append(days, g.Clone())
		return nil
	})
	if err != nil {
		return err
	}
	mg := aggregate.NewMerger(days, m.AddGroup)
	byMonth := func(k *aggregate.Key) bool { return !m.ReadsDaily(k) }
	if err := scanGroups(tx, sp, groupRead{monthly: true, accounts: m.Reads, keys: byMonth}, mg.Add); err != nil {
		return err
	}
	return mg.Close()
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
			hasGroups := sb != nil && (sb.Bucket(bucketGroups) != nil || sb.Bucket(bucketLegacyGroups) != nil)
			if sb == nil || hasGroups && sb.Bucket(bucketAccountBlocks) != nil {
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
	if err := putGroups(sb, set.Groups(), d.base/1000); err != nil {
		return err
	}
	return putAccountBlocks(sb, accounts)
}

// groups checks a slice's stored groups, of each day and of the month:
// their checksums, and, for a part of a delivery (used), that they count
// as many rows costing as much as its import recorded, which the
// statements rely on.
func (c *checker) groups(sp slicePart, used bool) {
	for _, monthly := range []bool{false, true} {
		var n int64
		var sum money.Sum
		err := scanGroups(c.tx, sp, groupRead{monthly: monthly}, func(g *aggregate.Group) error {
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
		err := scanGroups(tx, sp, groupRead{monthly: true}, func(g *aggregate.Group) error {
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

// sizeGroups is the migration that rewrites the groups stored without
// their lengths (bucketLegacyGroups) into bucketGroups, group by group in
// their order, sums and usage slots as they were, and adds the month's
// groups (bucketMonthGroups): then a statement reads the month's sums of
// most keys instead of each day's, and one customer's steps over the
// other accounts' groups.
func sizeGroups(tx *bolt.Tx) error {
	return eachDelivery(tx, func(rec *deliveryRecord) error {
		for _, p := range rec.Parts {
			sb := tx.Bucket(bucketSlices).Bucket(u64(p.Slice))
			if sb == nil || sb.Bucket(bucketLegacyGroups) == nil {
				continue // pruned, or done for an earlier delivery sharing the slice
			}
			sp := slicePart{rec: *rec, part: p}
			base := sliceHeader{Period: rec.Period}.timeBase() / 1000
			w := newSliceGroups(base)
			if err := w.put(sb, groupBlocks{}); err != nil { // its buckets, before the scan
				return err
			}
			every := func(*aggregate.Key) bool { return true }
			err := scanGroups(tx, sp, groupRead{slots: every, legacy: true}, func(g *aggregate.Group) error {
				w.add(g)
				return w.put(sb, w.days.take())
			})
			if err != nil {
				return err
			}
			if err := w.close(sb); err != nil {
				return err
			}
			if err := sb.DeleteBucket(bucketLegacyGroups); err != nil {
				return err
			}
		}
		return nil
	})
}
