package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/ingest"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
	"rebill/engine/money"
	"rebill/engine/words"
)

// CheckArea is the part of the database a finding is about.
type CheckArea string

// The areas Check looks at, in the order it looks.
const (
	// AreaStructure is the database file's own structure (pages,
	// buckets, free list), as bbolt checks it.
	AreaStructure CheckArea = "structure"
	// AreaRows is the imported line items: every row block's and
	// dictionary chunk's checksum, and each delivery's row count and
	// total against its import.
	AreaRows CheckArea = "rows"
	// AreaAudit is the invoice audit log's hash chain and recorded end.
	AreaAudit CheckArea = "audit"
	// AreaDocuments is every invoice and credit note against the audit
	// log, and the issued numbers.
	AreaDocuments CheckArea = "documents"
)

// Finding is one problem Check found: what is wrong, where, and what the
// accountant can do about it.
type Finding struct {
	Area CheckArea `json:"area"`
	// Subject names what is damaged: the database file, a delivery, the
	// audit log, a document.
	Subject string `json:"subject"`
	Problem string `json:"problem"`
	Advice  string `json:"advice"`
}

// Checked counts what Check looked at, so "no problems found" says how
// much was found sound.
type Checked struct {
	Deliveries   int          `json:"deliveries"`      // current and kept deliveries
	RowSets      int          `json:"stored_row_sets"` // slices: one file's rows of a delivery each
	Blocks       int          `json:"row_blocks"`
	DictChunks   int          `json:"dictionary_chunks"`
	Rows         int64        `json:"rows"`
	AuditEntries int          `json:"audit_entries"`
	AuditHead    invoice.Head `json:"audit_head"` // the log's recorded end
	Documents    int          `json:"documents"`  // invoices and credit notes, drafts included
	Issued       int          `json:"issued"`     // of which numbered
	Numbers      int          `json:"numbers"`    // in the number index
}

// CheckReport is what Check found, and what it looked at.
type CheckReport struct {
	Findings []Finding `json:"findings"`
	Checked  Checked   `json:"checked"`
}

// OK reports whether the check found nothing wrong.
func (r CheckReport) OK() bool { return len(r.Findings) == 0 }

// maxStructureFindings bounds how many of bbolt's own complaints are
// listed: a damaged file can yield thousands, and the advice is the same.
const maxStructureFindings = 20

// Advice given with findings.
const (
	adviceStructure = "restore the database from a backup: Rebill cannot repair the file's structure"
	adviceRows      = "import that file again to replace its rows, or restore the database from a backup"
	adviceAudit     = "restore the database from a backup and compare its audit log with this one (rebill audit list)"
	adviceDocuments = "restore the database from a backup taken before the change and compare; the audit log shows what was recorded (rebill audit list --invoice ID)"
)

// Check verifies the whole database and reports every problem found:
// the file's structure (bbolt's own consistency check), every stored row
// block's and dictionary chunk's checksum and each delivery's rows
// against its import, the audit log's hash chain and recorded end
// (invoice.VerifyHead), and every invoice and credit note against the
// audit log (invoice.AuditDocuments), which detects a document edited in
// the file and a log emptied or cut short. It reads everything in one
// transaction, so it sees one state of the database.
//
// The error is only for a check that could not run; problems are
// findings. Once the file's structure is damaged, the rest is not read
// (reading a damaged file can fail anywhere): restore it first.
func (db *DB) Check() (CheckReport, error) {
	rep := CheckReport{Findings: []Finding{}}
	// A writable transaction, rolled back without writing: bbolt's check
	// must not run beside a writer, and none starts while it is held.
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		c := &checker{tx: tx, rep: &rep, path: db.path}
		if c.structure() {
			c.content()
		}
		return errRollback
	})
	if err != nil && !errors.Is(err, errRollback) {
		return rep, fmt.Errorf("checking the database: %w", err)
	}
	return rep, nil
}

// errRollback ends Check's writable transaction without committing it.
var errRollback = errors.New("rolled back")

// CheckAudit is the audit part of Check: the log's chain and recorded
// end, and every document and issued number against the log, in one read
// transaction, without reading the rows. `rebill audit verify` asks it,
// so a log emptied or cut short is not reported intact while issued
// documents have no entries.
func (db *DB) CheckAudit() (CheckReport, error) {
	rep := CheckReport{Findings: []Finding{}}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		c := &checker{tx: tx, rep: &rep, path: db.path}
		c.documents(c.audit())
		return nil
	})
	return rep, err
}

// checker accumulates one Check's findings.
type checker struct {
	tx   *bolt.Tx
	rep  *CheckReport
	path string
}

func (c *checker) add(area CheckArea, subject, problem, advice string) {
	c.rep.Findings = append(c.rep.Findings, Finding{Area: area, Subject: subject, Problem: problem, Advice: advice})
}

// structure walks every bucket and key, then runs bbolt's check, and
// reports whether the file is sound. The walk comes first because bbolt
// asserts on a damaged page with a panic, and its check runs in its own
// goroutine where that panic cannot be recovered: walked here, in this
// goroutine, the same damage is a finding.
func (c *checker) structure() bool {
	if err := walk(c.tx, nil); err != nil {
		c.add(AreaStructure, "the database file "+c.path, err.Error(), adviceStructure)
		return false
	}
	n := 0
	for err := range c.tx.Check() { // drained to the end: the check runs in its own goroutine
		n++
		if n <= maxStructureFindings {
			c.add(AreaStructure, "the database file "+c.path, err.Error(), adviceStructure)
		}
	}
	if n > maxStructureFindings {
		c.add(AreaStructure, "the database file "+c.path, fmt.Sprintf("%d more problems of its structure", n-maxStructureFindings), adviceStructure)
	}
	return n == 0
}

// walk reads every bucket, nested ones included, and every key and value,
// turning bbolt's panic on a damaged page into an error. each, when not
// nil, is called after every key.
func walk(tx *bolt.Tx, each func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("reading it failed: %v", r)
		}
	}()
	var bucket func(b *bolt.Bucket) error
	bucket = func(b *bolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			if v == nil {
				if nb := b.Bucket(k); nb != nil {
					if err := bucket(nb); err != nil {
						return err
					}
				}
			}
			if each != nil {
				each()
			}
			return nil
		})
	}
	return tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return bucket(b) })
}

// walkFile is walk on the file at path, opened read-only: every page is
// read, so that damage is an error here and never a panic in bbolt's own
// goroutine. The pages read are released every releaseEvery keys
// (releaseMapped): each read maps its neighbours in too, and the walk
// kept them (rebill periods on a 352 MB file peaked at 77 to 217 MB,
// 51 MB with the releases).
func walkFile(path string) error {
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: openTimeout})
	if err != nil {
		return err
	}
	defer b.Close()
	n := 0
	return b.View(func(tx *bolt.Tx) error {
		return walk(tx, func() {
			if n++; n%releaseEvery == 0 {
				releaseMapped(b, path)
			}
		})
	})
}

// releaseEvery is how many keys walkFile reads between releases: a key
// of a large value maps in up to 64 KB around its page, so about 16 MB.
const releaseEvery = 256

// content checks the rows, the audit log and the documents. bbolt panics
// on some damage its check cannot see; that is a finding too.
func (c *checker) content() {
	defer func() {
		if r := recover(); r != nil {
			c.add(AreaStructure, "the database file "+c.path, fmt.Sprintf("reading it failed: %v", r), adviceStructure)
		}
	}()
	c.rows()
	c.listings(c.documents(c.audit()))
}

// rows checks every stored slice, and that every part of a current or
// kept delivery has its slice.
func (c *checker) rows() {
	inUse, err := slicesInUse(c.tx)
	if err != nil {
		c.add(AreaRows, "the deliveries", err.Error(), adviceStructure)
		return
	}
	deliveries := map[uint64]bool{}
	for _, sp := range inUse {
		deliveries[sp.rec.ID] = true
	}
	c.rep.Checked.Deliveries = len(deliveries)
	c.currentPointers()
	slices := c.tx.Bucket(bucketSlices)
	var ids []uint64
	if err := slices.ForEach(func(k, v []byte) error {
		if v == nil && len(k) == 8 {
			ids = append(ids, binary.BigEndian.Uint64(k))
		}
		return nil
	}); err != nil {
		c.add(AreaRows, "the stored line items", err.Error(), adviceStructure)
		return
	}
	for _, id := range ids {
		sp, used := inUse[id]
		if !used {
			sp = slicePart{part: ingest.Part{Slice: id}}
		}
		c.rep.Checked.RowSets++
		c.slice(slices.Bucket(u64(id)), sp, used)
	}
	missing := make([]uint64, 0)
	for id := range inUse {
		if slices.Bucket(u64(id)) == nil {
			missing = append(missing, id)
		}
	}
	sort.Slice(missing, func(i, j int) bool { return missing[i] < missing[j] })
	for _, id := range missing {
		c.add(AreaRows, describePart(inUse[id]), "has no stored rows: they are missing from the database", adviceRows)
	}
}

// currentPointers checks that each month's current delivery is in the
// history and marked current there.
func (c *checker) currentPointers() {
	_ = c.tx.Bucket(bucketDeliveries).ForEach(func(k, v []byte) error {
		month := strings.ReplaceAll(string(k), "\x00", " ")
		if len(v) != 8 {
			c.add(AreaRows, "the current delivery of "+month, "is not a delivery id", adviceStructure)
			return nil
		}
		rec, err := getDelivery(c.tx, binary.BigEndian.Uint64(v))
		switch {
		case err != nil:
			c.add(AreaRows, "the current delivery of "+month, err.Error(), adviceStructure)
		case rec.State != StateCurrent || string(monthKey(rec.Provider, rec.Payer, rec.Period)) != string(k):
			c.add(AreaRows, "the current delivery of "+month, fmt.Sprintf("is delivery %d, which the history holds as %s of %s %s %s", rec.ID, rec.State, rec.Provider, rec.Payer, rec.Period), adviceStructure)
		}
		return nil
	})
}

// slice checks one slice's checksums and decodes every row; a part of a
// delivery must also hold as many rows, summing to as much, as its
// import recorded, which catches blocks removed or added in the file.
func (c *checker) slice(sb *bolt.Bucket, sp slicePart, used bool) {
	rec := sp.rec
	name := describePart(sp)
	var chunks [][]byte
	if d := sb.Bucket(bucketDict); d != nil {
		_ = d.ForEach(func(_, v []byte) error {
			chunks = append(chunks, v)
			return nil
		})
	}
	c.rep.Checked.DictChunks += len(chunks)
	dict, dictErr := loadDict(chunks)
	if dictErr != nil {
		c.add(AreaRows, name, "its "+dictErr.Error(), adviceRows)
	}
	head := sliceHeader{Provider: rec.Provider, Payer: rec.Payer, Period: rec.Period, Currency: rec.Currency}
	d := decoder{head: head, base: head.timeBase(), dict: dict}
	var (
		it        lineitem.Item
		rows      int64
		sum       money.Sum
		bad       int
		firstBad  error
		countRows = func(it *lineitem.Item) error {
			rows++
			sum.Add(it.UnblendedCost)
			return nil
		}
	)
	blocks := sb.Bucket(bucketRows)
	if blocks == nil {
		c.add(AreaRows, name, "has no row blocks bucket", adviceRows)
		return
	}
	_ = blocks.ForEach(func(k, v []byte) error {
		c.rep.Checked.Blocks++
		var err error
		if dictErr != nil {
			_, err = unseal(v) // the rows cannot be decoded; their checksums can still be checked
		} else {
			err = d.block(v, &it, countRows)
		}
		if err != nil {
			bad++
			if firstBad == nil {
				firstBad = rowBlockError(k, err)
			}
		}
		return nil
	})
	c.rep.Checked.Rows += rows
	switch {
	case bad == 1:
		c.add(AreaRows, name, "its "+firstBad.Error(), adviceRows)
	case bad > 1:
		c.add(AreaRows, name, fmt.Sprintf("its %v, and %s damaged", firstBad, words.Plural(bad-1, "more row block is", "more row blocks are")), adviceRows)
	case dictErr == nil && used && (rows != sp.part.Rows || !sum.Total().Equal(sp.part.UnblendedCost)):
		c.add(AreaRows, name, fmt.Sprintf("holds %s costing %s, its import recorded %s costing %s: rows were removed or added outside Rebill",
			plural(int(rows), "row", "rows"), sum.Total(), plural(int(sp.part.Rows), "row", "rows"), sp.part.UnblendedCost), adviceRows)
	}
	c.groups(sp, used)
}

// audit verifies the chain, streaming it, and keeps the last entry of
// each document to compare the documents with; readable is false when an
// entry cannot be read at all, and the documents cannot be compared with
// the log.
func (c *checker) audit() (last *invoice.LastEntries, readable bool) {
	head, err := auditHead(c.tx)
	c.rep.Checked.AuditHead = head
	if err != nil {
		c.add(AreaAudit, "the invoice audit log", err.Error(), adviceAudit)
		return nil, false
	}
	var v invoice.Verifier
	last = &invoice.LastEntries{}
	n := 0
	err = scanAudit(c.tx, func(e invoice.Entry) error {
		n++
		v.Add(e) // the first problem sticks; End reports it
		last.Add(e)
		return nil
	})
	if err != nil {
		c.add(AreaAudit, "the invoice audit log", err.Error(), adviceAudit)
		return nil, false
	}
	c.rep.Checked.AuditEntries = n
	if err := v.End(head); err != nil {
		c.add(AreaAudit, "the invoice audit log", err.Error(), adviceAudit)
	}
	return last, true
}

// documents compares every stored document and issued number with the
// audit log, and returns the documents.
func (c *checker) documents(last *invoice.LastEntries, readable bool) []invoice.Invoice {
	var docs []invoice.Invoice
	_ = c.tx.Bucket(bucketInvoices).ForEach(func(k, v []byte) error {
		var inv invoice.Invoice
		if err := json.Unmarshal(v, &inv); err != nil {
			c.add(AreaDocuments, "document "+keyID(k), "cannot be read: "+err.Error(), adviceDocuments)
			return nil
		}
		docs = append(docs, inv)
		if inv.Number != "" {
			c.rep.Checked.Issued++
		}
		return nil
	})
	c.rep.Checked.Documents = len(docs)
	numbers := map[string]string{}
	_ = c.tx.Bucket(bucketInvoiceNumbers).ForEach(func(k, v []byte) error {
		if len(v) != 8 {
			c.add(AreaDocuments, "number "+string(k), "its index entry is damaged", adviceDocuments)
			return nil
		}
		numbers[string(k)] = keyID(v)
		return nil
	})
	c.rep.Checked.Numbers = len(numbers)
	if !readable {
		return docs // the audit finding says why; every document would be reported
	}
	for _, d := range last.Discrepancies(docs, numbers) {
		subject := d.Label
		if d.Document != "" && d.Label != "document "+d.Document {
			subject += " (id " + d.Document + ")"
		}
		c.add(AreaDocuments, subject, d.Problem, adviceDocuments)
	}
	return docs
}

// listings compares the invoice index with the documents: every document
// indexed under its month and customer with its own listing, and no
// entry for a document that does not exist. Lists read only the index,
// so a wrong entry shows a document with other figures, or hides it.
func (c *checker) listings(docs []invoice.Invoice) {
	idx := c.tx.Bucket(bucketInvoiceIndex)
	ids := map[string]bool{}
	for _, d := range docs {
		k, ok := invoiceKey(d.ID)
		if !ok {
			continue
		}
		ids[d.ID] = true
		switch v := idx.Get(indexKey(d, k)); {
		case v == nil:
			c.add(AreaDocuments, d.Label(), "is missing from the invoice index: the lists and the month's checks do not see it", adviceDocuments)
		case !bytes.Equal(v, d.MarshalListing()):
			c.add(AreaDocuments, d.Label(), "differs from its listing in the invoice index: the lists show other figures, status or dates than the document", adviceDocuments)
		}
	}
	_ = idx.ForEach(func(k, _ []byte) error {
		if len(k) < 8 || !ids[keyID(k[len(k)-8:])] {
			c.add(AreaDocuments, fmt.Sprintf("invoice index entry %q", k), "names no stored document: the lists show a document that does not exist", adviceDocuments)
		}
		return nil
	})
}

// keyID is an 8-byte big-endian id as the accountant reads it.
func keyID(k []byte) string {
	if len(k) != 8 {
		return fmt.Sprintf("%x", k)
	}
	return strconv.FormatUint(binary.BigEndian.Uint64(k), 10)
}

// Summary says in one sentence what a check looked at, for "no problems
// found" in the window and on the command line.
func (c Checked) Summary() string {
	return fmt.Sprintf("the file's structure; %s (%s, %s, %s), every checksum; the audit log (%s, ending at entry %d); %s (%d issued) and %s against the log",
		plural(c.Deliveries, "delivery", "deliveries"), plural(c.RowSets, "stored row set", "stored row sets"),
		plural(c.Blocks, "row block", "row blocks"), plural(int(c.Rows), "row", "rows"),
		plural(c.AuditEntries, "entry", "entries"), c.AuditHead.Seq,
		plural(c.Documents, "document", "documents"), c.Issued, plural(c.Numbers, "issued number", "issued numbers"))
}

func plural(n int, one, many string) string { return words.Plural(n, one, many) }
