package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/aggregate"
	"rebill/engine/customer"
	"rebill/engine/ingest"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
)

// deliveryRecord is one delivery as the store keeps it in
// bucketDeliveryLog, current or not: its summary and parts (each part
// naming the slice that holds its rows), and what happened to it.
type deliveryRecord struct {
	ingest.Delivery
	ImportID uint64 `json:"import_id"`
	// State is current (the month's data), replaced (kept: restorable)
	// or pruned (its rows removed; the summary stays as history).
	State DeliveryState `json:"state"`
	// ReplacedBy is the delivery that took its place.
	ReplacedBy uint64 `json:"replaced_by,omitempty"`
	// Events is what happened to it, oldest first.
	Events []DeliveryEvent `json:"events"`
}

// DeliveryState says whether a delivery's rows are the month's data.
type DeliveryState string

// Delivery states.
const (
	StateCurrent  DeliveryState = "current"
	StateReplaced DeliveryState = "replaced"
	StatePruned   DeliveryState = "pruned"
)

// DeliveryEvent is one line of a delivery's history.
type DeliveryEvent struct {
	At   time.Time `json:"at"`
	By   string    `json:"by,omitempty"` // the system user who chose it
	What string    `json:"what"`
}

func monthKey(p lineitem.Provider, payer, period string) []byte {
	return []byte(string(p) + "\x00" + payer + "\x00" + period)
}

// getDelivery reads one delivery of the history.
func getDelivery(tx *bolt.Tx, id uint64) (*deliveryRecord, error) {
	v := tx.Bucket(bucketDeliveryLog).Get(u64(id))
	if v == nil {
		return nil, fmt.Errorf("there is no delivery %d: rebill deliveries list shows them", id)
	}
	var rec deliveryRecord
	if err := json.Unmarshal(v, &rec); err != nil {
		return nil, fmt.Errorf("delivery %d is damaged in the database: %w", id, err)
	}
	return &rec, nil
}

func putDelivery(tx *bolt.Tx, rec *deliveryRecord) error {
	v, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketDeliveryLog).Put(u64(rec.ID), v)
}

// currentDelivery is the month's current delivery, or nil.
func currentDelivery(tx *bolt.Tx, key []byte) (*deliveryRecord, error) {
	v := tx.Bucket(bucketDeliveries).Get(key)
	if v == nil {
		return nil, nil
	}
	if len(v) != 8 {
		return nil, fmt.Errorf("the current delivery of %q is damaged in the database", key)
	}
	return getDelivery(tx, binary.BigEndian.Uint64(v))
}

// eachDelivery calls fn for every delivery of the history, oldest first.
func eachDelivery(tx *bolt.Tx, fn func(*deliveryRecord) error) error {
	return tx.Bucket(bucketDeliveryLog).ForEach(func(k, v []byte) error {
		var rec deliveryRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return fmt.Errorf("delivery %x is damaged in the database: %w", k, err)
		}
		return fn(&rec)
	})
}

// FindFile tells which stored deliveries hold a file with this content
// hash: current ones, and earlier ones whose rows are still kept (a
// pruned delivery cannot come back, so its file imports as new).
func (db *DB) FindFile(hash string) (ingest.Known, bool, error) {
	var k ingest.Known
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return eachDelivery(tx, func(rec *deliveryRecord) error {
			if !slices.ContainsFunc(rec.Parts, func(p ingest.Part) bool { return p.Hash == hash }) {
				return nil
			}
			switch rec.State {
			case StateCurrent:
				k.Current = append(k.Current, rec.ID)
			case StateReplaced:
				k.Earlier = append(k.Earlier, rec.ID)
			}
			return nil
		})
	})
	return k, len(k.Current)+len(k.Earlier) > 0, err
}

// HasFileOfSize tells whether a delivery still kept has a part of exactly
// this many bytes, which lets an import skip hashing up front for a file
// that cannot be a repeat.
func (db *DB) HasFileOfSize(bytes int64) (bool, error) {
	found := false
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return eachDelivery(tx, func(rec *deliveryRecord) error {
			if rec.State != StatePruned && slices.ContainsFunc(rec.Parts, func(p ingest.Part) bool { return p.Bytes == bytes }) {
				found = true
			}
			return nil
		})
	})
	return found, err
}

// Imports returns the import history, oldest first: one entry per import
// (per file for imports made before deliveries had parts).
func (db *DB) Imports() ([]ingest.Result, error) {
	var out []ingest.Result
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketImports).ForEach(func(_, v []byte) error {
			var r ingest.Result
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	})
	return out, err
}

// rowsPerTx is how many rows a staging transaction writes: bbolt keeps a
// transaction's pages in memory, so this bounds memory whatever the file's
// size, while staying large enough that commits are rare. A test lowers
// it.
var rowsPerTx = 64 * rowsPerBlock

// importWriter stages one import's rows. Each file's rows of each
// provider month and payer go into a fresh slice bucket listed under the
// import in bucketStaging; Commit makes them current in one transaction;
// a crash before that leaves only staging debris that the next Open
// removes.
type importWriter struct {
	db      *DB
	id      uint64
	slices  map[sliceKey]*sliceWriter
	order   []*sliceWriter
	pending int
	// staging is the staging transaction under way (stage), nil when
	// none is.
	staging chan error
	// heldGroups is how many groups the slices hold (addGroups).
	heldGroups int
	backup     guardBackup // kept once the import commits
}

// sliceKey is one file's share of one provider month and payer.
type sliceKey struct {
	file     int
	provider lineitem.Provider
	payer    string
	period   string
}

type sliceWriter struct {
	// id is the slice's bucket, set by the staging transaction that
	// first writes it (put), and read once the writes are settled.
	id   uint64
	head sliceHeader
	enc  *encoder
	// blocks are the row blocks encoded and not yet staged; made counts
	// every block taken from enc, so it is the number of the block being
	// encoded; dictNo counts the dictionary chunks staged.
	blocks [][]byte
	made   uint32
	dictNo uint32
	rows   int64
	// groups are the slice's sums (see aggregates.go): the set gives its
	// oldest up to out, which writes them with the rows, when the import
	// holds too many (addGroups). accounts is its account index, written
	// with its last rows (accountindex.go).
	groups   *aggregate.Set
	out      *sliceGroups
	accounts accountBlocks
}

// maxHeldGroups bounds the groups an import holds, over all its slices:
// past it, the slice holding most gives its older half up to be written,
// so that a month of many accounts (a group per account, key and day:
// 433,258 for 5M rows over 400 accounts), or a file of many months or
// payers, imports in bounded memory. A test lowers it.
var maxHeldGroups = 1 << 14

// addGroups sums a row into its slice's groups, keeping the groups held
// under maxHeldGroups.
func (w *importWriter) addGroups(s *sliceWriter, it *lineitem.Item) {
	n := s.groups.Len()
	s.groups.Add(it)
	if w.heldGroups += s.groups.Len() - n; w.heldGroups < maxHeldGroups {
		return
	}
	most := s
	for _, o := range w.order {
		if o.groups.Len() > most.groups.Len() {
			most = o
		}
	}
	w.heldGroups -= most.giveOldest(max(1, most.groups.Len()/2))
}

// giveOldest hands the slice's n oldest groups to out, to be written,
// and returns how many it gave.
func (s *sliceWriter) giveOldest(n int) int {
	taken := s.groups.TakeOldest(n)
	for _, g := range taken {
		s.out.add(g)
	}
	return len(taken)
}

// BeginImport takes the automatic backup (see autoBackup), then
// allocates an import id and registers it as staging.
func (db *DB) BeginImport(r *ingest.Result) (ingest.Writer, error) {
	backup, err := db.autoBackup(r.ImportedAt, TriggerImport)
	if err != nil {
		return nil, err
	}
	w := &importWriter{db: db, slices: map[sliceKey]*sliceWriter{}, backup: backup}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		id, err := tx.Bucket(bucketImports).NextSequence()
		if err != nil {
			return err
		}
		w.id = id
		return tx.Bucket(bucketStaging).Put(u64(id), nil)
	})
	if err != nil {
		backup.settle(false)
		return nil, fmt.Errorf("starting the import: %w", err)
	}
	r.ImportID = w.id
	return w, nil
}

// Write encodes a batch of one file's rows and writes a transaction once
// enough rows wait.
func (w *importWriter) Write(file int, items []lineitem.Item) error {
	// A file's rows come in long runs of one payer and month: comparing
	// with the row before's slice is cheaper than hashing its key.
	var s *sliceWriter
	var last sliceKey
	for i := range items {
		it := &items[i]
		k := sliceKey{file: file, provider: it.Provider, payer: it.PayerAccount, period: it.BillingPeriod}
		if s == nil || k != last {
			if s = w.slices[k]; s == nil {
				h := sliceHeader{Provider: it.Provider, Payer: it.PayerAccount, Period: it.BillingPeriod}
				s = &sliceWriter{head: h, enc: newEncoder(h), groups: aggregate.NewSet(h.Period),
					out: newSliceGroups(h.timeBase() / 1000), accounts: accountBlocks{}}
				w.slices[k] = s
				w.order = append(w.order, s)
			}
			last = k
		}
		if s.head.Currency == "" && it.Currency != "" {
			s.head.Currency = it.Currency
		}
		s.rows++
		w.addGroups(s, it)
		s.accounts.note(it.UsageAccount, s.made)
		if s.enc.add(it) {
			s.takeBlock()
		}
		w.pending++
	}
	if w.pending >= rowsPerTx {
		return w.stage()
	}
	return nil
}

// takeBlock ends the block being encoded.
func (s *sliceWriter) takeBlock() {
	s.blocks = append(s.blocks, s.enc.takeBlock())
	s.made++
}

// stagedSlice is what one staging transaction writes of a slice, taken
// from its writer (take) so that the transaction runs while the next
// rows are encoded.
type stagedSlice struct {
	s          *sliceWriter
	dict       []byte // dictionary entries new since the last take, or nil
	dictNo     uint32
	blocks     [][]byte // row blocks, numbered from firstBlock
	firstBlock uint32
	groups     groupBlocks // day groups sealed since the last take
}

// take hands over what every slice encoded since the last take; final
// also ends the blocks being encoded.
func (w *importWriter) take(final bool) []stagedSlice {
	out := make([]stagedSlice, 0, len(w.order))
	for _, s := range w.order {
		if final && s.enc.blockRows > 0 {
			s.takeBlock()
		}
		st := stagedSlice{s: s, dict: s.enc.takeDict(), dictNo: s.dictNo, blocks: s.blocks,
			firstBlock: s.made - uint32(len(s.blocks)), groups: s.out.days.take()}
		if st.dict != nil {
			s.dictNo++
		}
		s.blocks = nil
		out = append(out, st)
	}
	w.pending = 0
	return out
}

// stage writes the rows encoded so far in a staging transaction of
// their own, on a goroutine of its own: the writer goes on encoding
// while bbolt writes and syncs. When the writer committed them itself,
// the mapping filled its few batches during each commit and waited (a
// trace of the 1M-row sample import: the cores 35-75 % used in 6 of its
// 32 windows of 50 ms, 1.56 of 2 on average, against 1.74 now; the 5M-row
// import as a whole process, 6 pairs in turn: 0.96x the wall time). One
// transaction at a time, so memory holds at most two transactions'
// rows.
func (w *importWriter) stage() error {
	if err := w.settle(); err != nil {
		return err
	}
	staged := w.take(false)
	done := make(chan error, 1)
	w.staging = done
	go func() {
		done <- w.db.bolt.updateUnlisted(func(tx *bolt.Tx) error {
			for i := range staged {
				if _, err := w.put(tx, &staged[i]); err != nil {
					return err
				}
			}
			return nil
		})
	}()
	return nil
}

// settle waits for the staging transaction under way, if any.
func (w *importWriter) settle() error {
	if w.staging == nil {
		return nil
	}
	err := <-w.staging
	w.staging = nil
	if err != nil {
		return fmt.Errorf("writing line items: %w", err)
	}
	return nil
}

// put writes a staged share of a slice in tx, creating the slice's
// bucket on its first write, and returns the bucket.
func (w *importWriter) put(tx *bolt.Tx, st *stagedSlice) (*bolt.Bucket, error) {
	s := st.s
	slices := tx.Bucket(bucketSlices)
	if s.id == 0 {
		id, err := slices.NextSequence()
		if err != nil {
			return nil, err
		}
		s.id = id
		if err := w.registerSlice(tx, id); err != nil {
			return nil, err
		}
	}
	sb, err := slices.CreateBucketIfNotExists(u64(s.id))
	if err != nil {
		return nil, err
	}
	rows, err := sb.CreateBucketIfNotExists(bucketRows)
	if err != nil {
		return nil, err
	}
	dict, err := sb.CreateBucketIfNotExists(bucketDict)
	if err != nil {
		return nil, err
	}
	rows.FillPercent, dict.FillPercent = 1.0, 1.0
	if st.dict != nil {
		if err := dict.Put(u32(st.dictNo), st.dict); err != nil {
			return nil, err
		}
	}
	for i, b := range st.blocks {
		if err := rows.Put(u32(st.firstBlock+uint32(i)), b); err != nil {
			return nil, err
		}
	}
	return sb, s.out.put(sb, st.groups)
}

// finish writes, once the staging under way is done, the rows left, every
// slice's groups and its account index, in one synced transaction.
func (w *importWriter) finish() error {
	if err := w.settle(); err != nil {
		return err
	}
	staged := w.take(true)
	err := w.db.bolt.Update(func(tx *bolt.Tx) error {
		for i := range staged {
			sb, err := w.put(tx, &staged[i])
			if err != nil {
				return err
			}
			s := staged[i].s
			s.giveOldest(s.groups.Len())
			if err := s.out.close(sb); err != nil {
				return err
			}
			if err := putAccountBlocks(sb, s.accounts); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("writing line items: %w", err)
	}
	return nil
}

// registerSlice records a new slice under the staging import, so that it
// is found and removed if the import never commits.
func (w *importWriter) registerSlice(tx *bolt.Tx, slice uint64) error {
	st := tx.Bucket(bucketStaging)
	v := append([]byte(nil), st.Get(u64(w.id))...)
	return st.Put(u64(w.id), binary.BigEndian.AppendUint64(v, slice))
}

// Commit resolves the deliveries read against their months' current
// deliveries (ingest.Resolve) and makes the outcome current in one
// transaction: new history entries, the replaced ones kept with the
// reason, the months' current pointers, the import's record. A refusal
// rolls it all back; the caller then aborts the staged rows.
func (w *importWriter) Commit(r *ingest.Result, read []ingest.Delivery) error {
	if err := w.finish(); err != nil {
		return err
	}
	err := w.db.bolt.Update(func(tx *bolt.Tx) error {
		byMonth := map[string][]ingest.Delivery{}
		var months []string
		for _, d := range read {
			for i := range d.Parts {
				p := &d.Parts[i]
				s := w.slices[sliceKey{file: p.Index, provider: d.Provider, payer: d.Payer, period: d.Period}]
				if s == nil {
					return fmt.Errorf("%s %s of %s has no staged rows", d.Payer, d.Period, p.File)
				}
				p.Slice = s.id
			}
			k := string(monthKey(d.Provider, d.Payer, d.Period))
			if _, ok := byMonth[k]; !ok {
				months = append(months, k)
			}
			byMonth[k] = append(byMonth[k], d)
		}
		used := map[uint64]bool{}
		r.Deliveries = nil
		for _, k := range months {
			cur, err := currentDelivery(tx, []byte(k))
			if err != nil {
				return err
			}
			var current *ingest.Delivery
			if cur != nil {
				current = &cur.Delivery
			}
			steps, err := ingest.Resolve(current, byMonth[k], r.Replace)
			if err != nil {
				return err
			}
			var last *deliveryRecord
			for _, st := range steps {
				rec, err := w.makeCurrent(tx, []byte(k), st.Delivery, r)
				if err != nil {
					return err
				}
				for _, p := range rec.Parts {
					used[p.Slice] = true
				}
				r.Deliveries = append(r.Deliveries, rec.Delivery)
				last = rec
			}
			if last != nil {
				var was *deliveryRecord
				if cur != nil {
					was = cur
				}
				adj, err := lateAdjustment(tx, was, last, r)
				if err != nil {
					return err
				}
				r.Deliveries[len(r.Deliveries)-1].LateAdjustment = adj
				if cur != nil {
					if r.Deliveries[len(r.Deliveries)-1].Issued, err = issuedFrom(tx, cur, last); err != nil {
						return err
					}
				}
			}
		}
		for _, s := range w.order {
			if s.id != 0 && !used[s.id] {
				if err := tx.Bucket(bucketSlices).DeleteBucket(u64(s.id)); err != nil && !errors.Is(err, bolt.ErrBucketNotFound) {
					return err
				}
			}
		}
		r.ImportID = w.id
		rec, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketImports).Put(u64(w.id), rec); err != nil {
			return err
		}
		return tx.Bucket(bucketStaging).Delete(u64(w.id))
	})
	if err == nil {
		w.backup.settle(true)
	}
	return err
}

// makeCurrent stores d as a new delivery of the history, current for its
// month, and marks the delivery it supersedes as replaced.
func (w *importWriter) makeCurrent(tx *bolt.Tx, key []byte, d ingest.Delivery, r *ingest.Result) (*deliveryRecord, error) {
	id, err := tx.Bucket(bucketDeliveryLog).NextSequence()
	if err != nil {
		return nil, err
	}
	d.ID = id
	what := fmt.Sprintf("imported by import %d", w.id)
	switch d.Status {
	case ingest.Joined:
		what = fmt.Sprintf("delivery %d completed with %d more parts by import %d", d.Previous, len(d.Parts)-countParts(tx, d.Previous), w.id)
	case ingest.Replaced:
		what = fmt.Sprintf("replaced delivery %d, by import %d", d.Previous, w.id)
		if d.Deliberate {
			what += " (chosen with --replace although it is not newer)"
		}
	}
	rec := &deliveryRecord{Delivery: d, ImportID: w.id, State: StateCurrent,
		Events: []DeliveryEvent{{At: r.ImportedAt, By: r.By, What: what}}}
	if d.Previous != 0 {
		prev, err := getDelivery(tx, d.Previous)
		if err != nil {
			return nil, err
		}
		how := "replaced by"
		if d.Status == ingest.Joined {
			how = "completed by"
		}
		prev.State, prev.ReplacedBy = StateReplaced, id
		prev.Events = append(prev.Events, DeliveryEvent{At: r.ImportedAt, By: r.By, What: fmt.Sprintf("%s delivery %d (import %d)", how, id, w.id)})
		if err := putDelivery(tx, prev); err != nil {
			return nil, err
		}
	}
	if err := putDelivery(tx, rec); err != nil {
		return nil, err
	}
	return rec, tx.Bucket(bucketDeliveries).Put(key, u64(id))
}

// countParts is how many parts a stored delivery has, 0 when unknown.
func countParts(tx *bolt.Tx, id uint64) int {
	rec, err := getDelivery(tx, id)
	if err != nil {
		return 0
	}
	return len(rec.Parts)
}

// Abort removes everything the import staged, and the backup taken
// before it: the database is as it was.
func (w *importWriter) Abort() error {
	// A failed staging transaction wrote nothing, and the rows of the
	// others are removed below: its error has nothing to add.
	_ = w.settle()
	err := w.db.bolt.Update(func(tx *bolt.Tx) error { return dropStaged(tx, u64(w.id)) })
	if err == nil {
		w.backup.settle(false)
	}
	return err
}

// discardStaged removes the rows of imports that never committed (the
// program was killed half-way), so the database is as before them.
func (db *DB) discardStaged() error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		var ids [][]byte
		if err := tx.Bucket(bucketStaging).ForEach(func(k, _ []byte) error {
			ids = append(ids, append([]byte(nil), k...))
			return nil
		}); err != nil {
			return err
		}
		for _, id := range ids {
			if err := dropStaged(tx, id); err != nil {
				return err
			}
		}
		return nil
	})
}

func dropStaged(tx *bolt.Tx, importID []byte) error {
	st := tx.Bucket(bucketStaging)
	v := st.Get(importID)
	for ; len(v) >= 8; v = v[8:] {
		err := tx.Bucket(bucketSlices).DeleteBucket(v[:8])
		if err != nil && !errors.Is(err, bolt.ErrBucketNotFound) {
			return err
		}
	}
	return st.Delete(importID)
}

var _ ingest.Destination = (*DB)(nil)

// issuedFrom lists the standing issued invoices (their numbers) of the
// month and provider of a delivery that replaced or completed another,
// was, whose customers own an account of either: invoices computed from
// data that is no longer the month's.
func issuedFrom(tx *bolt.Tx, was, now *deliveryRecord) ([]string, error) {
	ms, err := allMappings(tx)
	if err != nil {
		return nil, err
	}
	owners := customer.OwnersAt(ms, now.Period)
	customers := map[string]bool{}
	for _, d := range []*deliveryRecord{was, now} {
		for acct := range d.Accounts {
			if c := owners[acct]; c != "" {
				customers[c] = true
			}
		}
	}
	var out []string
	for _, c := range slices.Sorted(maps.Keys(customers)) {
		docs, err := docsOf(tx, now.Period, c)
		if err != nil {
			return nil, err
		}
		if inv, ok := invoice.Standing(invoice.ForProvider(docs, now.Provider)); ok {
			out = append(out, inv.Number)
		}
	}
	return out, nil
}
