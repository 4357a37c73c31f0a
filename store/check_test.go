package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/document"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
	"rebill/engine/sample"
)

// checkedDB is the sample's September with documents in every state:
// six drafts generated; ACME's approved and closed, GLOBEX's approved; a
// credit note against ACME's; CONTOSO's draft deleted; the other three
// still drafts; ACME's invoice exported; and an entry naming no document
// (a number series moved forward), which the check must pass over. ids
// maps each customer (and "NOTE") to its document's id.
func checkedDB(t *testing.T) (*DB, map[string]string) {
	t.Helper()
	db := sampleDB(t)
	rep := generate(t, db, customer.Selection{All: true}, allOn, oct5)
	ids := map[string]string{}
	for _, c := range []string{"ACME", "CONTOSO", "FABRIKAM", "GLOBEX", "INITECH", "UMBRELLA"} {
		ids[c] = draftIDOf(t, rep, c)
	}
	approveOK(t, db, oct5, ids["ACME"], ids["GLOBEX"])
	if _, err := db.CloseInvoice(ids["ACME"], invoice.DateOf(oct20), "BANK-1", oct20); err != nil {
		t.Fatal(err)
	}
	note, err := db.IssueCreditNote(CreditRequest{Invoice: ids["ACME"], Amount: dec("10"), Reason: "goodwill", Now: oct20})
	if err != nil {
		t.Fatal(err)
	}
	ids["NOTE"] = note.ID
	if _, err := db.DeleteInvoice(ids["CONTOSO"], oct20); err != nil {
		t.Fatal(err)
	}
	exportFile(t, db, ExportRequest{Invoice: ids["ACME"], Format: document.FormatCSV, Now: oct20})
	if err := db.bolt.Update(func(tx *bolt.Tx) error {
		return appendAuditRaw(tx, oct20, invoice.Action("advance_series"), "series:invoice", []byte(`{"next":3}`), []byte(`{"next":9,"reason":"test"}`))
	}); err != nil {
		t.Fatal(err)
	}
	return db, ids
}

// The untouched checkedDB: its counts, by hand. 14 audit entries: 6
// generate, 2 approve, the payment closing records and the close, credit
// note, delete, export, the series.
// 6 documents: 2 invoices and a credit note issued, 3 drafts.
func TestCheckUntouched(t *testing.T) {
	db, _ := checkedDB(t)
	rep, err := db.Check()
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("findings on an untouched database: %+v", rep.Findings)
	}
	ps, _ := db.Periods()
	c := rep.Checked
	wantBlocks := int((ps[0].Rows + rowsPerBlock - 1) / rowsPerBlock)
	if c.Deliveries != 1 || c.RowSets != 1 || c.Rows != ps[0].Rows || c.Blocks != wantBlocks || c.DictChunks != 1 ||
		c.AuditEntries != 14 || c.AuditHead.Seq != 14 || c.Documents != 6 || c.Issued != 3 || c.Numbers != 3 {
		t.Errorf("checked %+v, want 1 delivery of %d rows in %d blocks, 14 entries, 6 documents, 3 issued", c, ps[0].Rows, wantBlocks)
	}
	if s := c.Summary(); !strings.Contains(s, "1 delivery (1 stored row set, ") || !strings.Contains(s, "14 entries, ending at entry 14") ||
		!strings.Contains(s, "6 documents (3 issued) and 3 issued numbers") {
		t.Errorf("summary %q", s)
	}
}

// editDoc rewrites a stored document's JSON through fn, as someone with
// the file would.
func editDoc(id string, fn func(inv *invoice.Invoice)) func(tx *bolt.Tx) error {
	return func(tx *bolt.Tx) error {
		k, _ := invoiceKey(id)
		var inv invoice.Invoice
		if err := json.Unmarshal(tx.Bucket(bucketInvoices).Get(k), &inv); err != nil {
			return err
		}
		fn(&inv)
		v, err := json.Marshal(inv)
		if err != nil {
			return err
		}
		return tx.Bucket(bucketInvoices).Put(k, v)
	}
}

// addToFirstLine adds 100 to the first line, its section, the subtotal
// and the total, so the figures still add up.
func addToFirstLine(inv *invoice.Invoice) {
	var hundred billing.Amount
	json.Unmarshal([]byte(`"100"`), &hundred)
	s := &inv.Sections[0]
	s.Lines[0].Amount = s.Lines[0].Amount.Add(hundred)
	s.Subtotal = s.Subtotal.Add(hundred)
	inv.Subtotal = inv.Subtotal.Add(hundred)
	inv.Total = inv.Total.Add(hundred)
}

// firstSlice is the bucket of the first stored delivery's rows.
func firstSlice(tx *bolt.Tx) *bolt.Bucket {
	k, _ := tx.Bucket(bucketSlices).Cursor().First()
	return tx.Bucket(bucketSlices).Bucket(k)
}

func flipIn(b *bolt.Bucket, key []byte) error {
	v := append([]byte(nil), b.Get(key)...)
	v[len(v)/3] ^= 0x01
	return b.Put(key, v)
}

// TestCheckFindings tampers with the database in each way a disk fault
// or someone holding the file could, and checks each is found, named and
// comes with advice.
func TestCheckFindings(t *testing.T) {
	type want struct {
		area    CheckArea
		subject string // prefix; {ACME} etc. are replaced by labels
		problem string
	}
	for _, tc := range []struct {
		name   string
		tamper func(tx *bolt.Tx, ids map[string]string) error
		want   []want
	}{
		{"an issued invoice's lines and totals edited", func(tx *bolt.Tx, ids map[string]string) error {
			return editDoc(ids["GLOBEX"], addToFirstLine)(tx)
		}, []want{{AreaDocuments, "invoice NCP-2026-00002 (id {GLOBEX})", "no longer matches the audit log: its stored content (SHA-256 "},
			{AreaDocuments, "invoice NCP-2026-00002", "differs from its listing in the invoice index"}}},
		{"an issued invoice's customer name edited", func(tx *bolt.Tx, ids map[string]string) error {
			return editDoc(ids["ACME"], func(inv *invoice.Invoice) { inv.Customer.Name = "Someone Else Ltd" })(tx)
		}, []want{{AreaDocuments, "invoice NCP-2026-00001 (id {ACME})", "is not what audit entry 10 (close) recorded"},
			{AreaDocuments, "invoice NCP-2026-00001", "differs from its listing in the invoice index"}}},
		{"a draft edited", func(tx *bolt.Tx, ids map[string]string) error {
			return editDoc(ids["UMBRELLA"], addToFirstLine)(tx)
		}, []want{{AreaDocuments, "draft invoice of UMBRELLA for 2026-09 (id {UMBRELLA})", "no longer matches the audit log"},
			{AreaDocuments, "draft invoice of UMBRELLA for 2026-09", "differs from its listing in the invoice index"}}},
		{"the audit log emptied", func(tx *bolt.Tx, ids map[string]string) error {
			if err := tx.DeleteBucket(bucketAudit); err != nil {
				return err
			}
			if _, err := tx.CreateBucket(bucketAudit); err != nil {
				return err
			}
			return tx.Bucket(bucketMeta).Delete(keyAuditHead)
		}, []want{
			{AreaDocuments, "invoice NCP-2026-00001 (id {ACME})", "has no entry in the audit log: the log was emptied or cut short"},
			{AreaDocuments, "invoice NCP-2026-00002 (id {GLOBEX})", "has no entry in the audit log"},
			{AreaDocuments, "credit note CN-2026-00001 (id {NOTE})", "has no entry in the audit log"},
			{AreaDocuments, "draft invoice of FABRIKAM", "has no entry in the audit log"},
			{AreaDocuments, "draft invoice of INITECH", "has no entry in the audit log"},
			{AreaDocuments, "draft invoice of UMBRELLA", "has no entry in the audit log"},
		}},
		{"the audit log emptied but its end kept", func(tx *bolt.Tx, ids map[string]string) error {
			if err := tx.DeleteBucket(bucketAudit); err != nil {
				return err
			}
			_, err := tx.CreateBucket(bucketAudit)
			return err
		}, []want{
			{AreaAudit, "the invoice audit log", "audit log entry 1 is missing: the log ends at entry 0, its recorded end is entry 14"},
			{AreaDocuments, "invoice NCP-2026-00001", "has no entry"}, {AreaDocuments, "invoice NCP-2026-00002", "has no entry"},
			{AreaDocuments, "credit note CN-2026-00001", "has no entry"}, {AreaDocuments, "draft invoice of FABRIKAM", "has no entry"},
			{AreaDocuments, "draft invoice of INITECH", "has no entry"}, {AreaDocuments, "draft invoice of UMBRELLA", "has no entry"},
		}},
		{"the last entries removed and the end rewritten", func(tx *bolt.Tx, ids map[string]string) error {
			// Entries 9 to 14 go: the payment, the close, the credit
			// note, the delete, the export and the series. The chain to 8
			// still verifies.
			for seq := uint64(9); seq <= 14; seq++ {
				if err := tx.Bucket(bucketAudit).Delete(u64(seq)); err != nil {
					return err
				}
			}
			var e invoice.Entry
			json.Unmarshal(tx.Bucket(bucketAudit).Get(u64(8)), &e)
			h, _ := json.Marshal(e.Head())
			return tx.Bucket(bucketMeta).Put(keyAuditHead, h)
		}, []want{
			{AreaDocuments, "invoice NCP-2026-00001 (id {ACME})", "is not what audit entry 7 (approve) recorded"},
			{AreaDocuments, "credit note CN-2026-00001 (id {NOTE})", "has no entry in the audit log"},
			// Its deletion was entry 12: the log now says it exists.
			{AreaDocuments, "draft invoice of CONTOSO for 2026-09 (id {CONTOSO})", "is missing from the database: audit entry 5 (generate) records it"},
		}},
		{"an audit entry altered", func(tx *bolt.Tx, ids map[string]string) error {
			v := tx.Bucket(bucketAudit).Get(u64(7))
			return tx.Bucket(bucketAudit).Put(u64(7), []byte(strings.Replace(string(v), `"NCP-2026-00001"`, `"NCP-2026-00099"`, 1)))
		}, []want{{AreaAudit, "the invoice audit log", "audit log entry 7 was altered"}}},
		{"an issued invoice deleted from the database", func(tx *bolt.Tx, ids map[string]string) error {
			k, _ := invoiceKey(ids["GLOBEX"])
			return tx.Bucket(bucketInvoices).Delete(k)
		}, []want{
			{AreaDocuments, "invoice NCP-2026-00002 (id {GLOBEX})", "is missing from the database: audit entry 8 (approve) records it"},
			{AreaDocuments, "invoice index entry \"2026-09\\x00GLOBEX\\x00", "names no stored document"},
		}},
		{"a deleted draft put back", func(tx *bolt.Tx, ids map[string]string) error {
			var e invoice.Entry
			json.Unmarshal(tx.Bucket(bucketAudit).Get(u64(12)), &e) // the delete, with the draft before it
			k, _ := invoiceKey(ids["CONTOSO"])
			return tx.Bucket(bucketInvoices).Put(k, e.Before)
		}, []want{{AreaDocuments, "draft invoice of CONTOSO for 2026-09 (id {CONTOSO})", "is in the database, but audit entry 12 records its deletion"},
			{AreaDocuments, "draft invoice of CONTOSO for 2026-09", "is missing from the invoice index"}}},
		{"a listing altered in the invoice index", func(tx *bolt.Tx, ids map[string]string) error {
			k, _ := invoiceKey(ids["GLOBEX"])
			inv, err := getInvoice(tx, ids["GLOBEX"])
			if err != nil {
				return err
			}
			inv.Status = invoice.Closed // the list would show it paid
			return tx.Bucket(bucketInvoiceIndex).Put(indexKey(inv, k), inv.MarshalListing())
		}, []want{{AreaDocuments, "invoice NCP-2026-00002", "differs from its listing in the invoice index"}}},
		{"the number index emptied", func(tx *bolt.Tx, ids map[string]string) error {
			if err := tx.DeleteBucket(bucketInvoiceNumbers); err != nil {
				return err
			}
			_, err := tx.CreateBucket(bucketInvoiceNumbers)
			return err
		}, []want{
			{AreaDocuments, "invoice NCP-2026-00001", "carries number NCP-2026-00001, which the number index does not give to it"},
			{AreaDocuments, "invoice NCP-2026-00002", "carries number NCP-2026-00002"},
			{AreaDocuments, "credit note CN-2026-00001", "carries number CN-2026-00001"},
		}},
		{"a byte flipped in a row block", func(tx *bolt.Tx, ids map[string]string) error {
			return flipIn(firstSlice(tx).Bucket(bucketRows), u32(1))
		}, []want{{AreaRows, "AWS payer 934672015588 for 2026-09 (delivery 1, import 1, file ", "its row block 1 is damaged: its checksum does not match its bytes"}}},
		{"bytes flipped in two row blocks", func(tx *bolt.Tx, ids map[string]string) error {
			rows := firstSlice(tx).Bucket(bucketRows)
			if err := flipIn(rows, u32(0)); err != nil {
				return err
			}
			return flipIn(rows, u32(2))
		}, []want{{AreaRows, "AWS payer 934672015588 for 2026-09", "its row block 0 is damaged: its checksum does not match its bytes, and 1 more row block is damaged"}}},
		{"a byte flipped in the dictionary", func(tx *bolt.Tx, ids map[string]string) error {
			return flipIn(firstSlice(tx).Bucket(bucketDict), u32(0))
		}, []want{{AreaRows, "AWS payer 934672015588 for 2026-09", "its string dictionary chunk 0 is damaged: its checksum does not match its bytes"}}},
		{"a row block removed", func(tx *bolt.Tx, ids map[string]string) error {
			return firstSlice(tx).Bucket(bucketRows).Delete(u32(1))
		}, []want{{AreaRows, "AWS payer 934672015588 for 2026-09", "rows were removed or added outside Rebill"}}},
		{"a delivery's rows removed", func(tx *bolt.Tx, ids map[string]string) error {
			k, _ := tx.Bucket(bucketSlices).Cursor().First()
			return tx.Bucket(bucketSlices).DeleteBucket(k)
		}, []want{{AreaRows, "AWS payer 934672015588 for 2026-09", "has no stored rows: they are missing from the database"}}},
		{"a month's current delivery pointing nowhere", func(tx *bolt.Tx, ids map[string]string) error {
			return tx.Bucket(bucketDeliveries).Put(monthKey("aws", "934672015588", "2026-09"), u64(99))
		}, []want{{AreaRows, "the current delivery of aws 934672015588 2026-09", "there is no delivery 99"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, ids := checkedDB(t)
			if err := db.bolt.Update(func(tx *bolt.Tx) error { return tc.tamper(tx, ids) }); err != nil {
				t.Fatal(err)
			}
			rep, err := db.Check()
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Findings) != len(tc.want) {
				t.Errorf("%d findings, want %d:", len(rep.Findings), len(tc.want))
			}
			for _, w := range tc.want {
				subject := w.subject
				for c, id := range ids {
					subject = strings.ReplaceAll(subject, "{"+c+"}", id)
				}
				found := false
				for _, f := range rep.Findings {
					found = found || f.Area == w.area && strings.HasPrefix(f.Subject, subject) && strings.Contains(f.Problem, w.problem) && f.Advice != ""
				}
				if !found {
					t.Errorf("no %s finding about %q with %q", w.area, subject, w.problem)
				}
			}
			if t.Failed() {
				for _, f := range rep.Findings {
					t.Logf("found: [%s] %s: %s", f.Area, f.Subject, f.Problem)
				}
			}
		})
	}
}

// TestDamagedRowsFailEveryReader: a flipped byte in a stored block fails
// ScanItems, BillingMonth and the detailed exports with a DamagedError
// naming the delivery, and never yields a row of the damaged block.
func TestDamagedRowsFailEveryReader(t *testing.T) {
	db, ids := checkedDB(t)
	if err := db.bolt.Update(func(tx *bolt.Tx) error { return flipIn(firstSlice(tx).Bucket(bucketRows), u32(2)) }); err != nil {
		t.Fatal(err)
	}
	isDamaged := func(what string, err error) {
		t.Helper()
		var de *DamagedError
		if !errors.As(err, &de) || !strings.HasPrefix(de.Delivery, "AWS payer 934672015588 for 2026-09 (delivery 1, import 1, file ") ||
			de.Part != "row block 2 is damaged: its checksum does not match its bytes" ||
			!strings.HasSuffix(err.Error(), "import that file again to replace them, or restore the database from a backup") {
			t.Errorf("%s: %v", what, err)
		}
	}
	rows := 0
	isDamaged("ScanItems", db.ScanItems("2026-09", func(*lineitem.Item) error { rows++; return nil }))
	if rows != 2*rowsPerBlock {
		t.Errorf("ScanItems passed %d rows before the damaged block, want the %d of blocks 0 and 1", rows, 2*rowsPerBlock)
	}
	// Statements read the slice's groups, not its rows.
	if _, err := db.BillingMonth("2026-09"); err != nil {
		t.Errorf("BillingMonth with a damaged row block but sound groups: %v", err)
	}
	for _, f := range []document.Format{document.FormatXLSX, document.FormatDetailCSV} {
		var b strings.Builder
		_, err := db.ExportInvoice(ExportRequest{Invoice: ids["ACME"], Format: f, Now: oct20}, &b)
		isDamaged(string(f), err)
	}
	// The issued invoice itself never depended on the rows.
	if _, err := db.ExportInvoice(ExportRequest{Invoice: ids["ACME"], Format: document.FormatPDF, Now: oct20}, &strings.Builder{}); err != nil {
		t.Errorf("the PDF of an issued invoice: %v", err)
	}
}

// TestDamagedGroupsFailBillingMonth: a flipped byte in a slice's stored
// groups, of a day or of the month, fails BillingMonth with a
// DamagedError naming the delivery and the group block, rather than
// computing statements without them, and Check finds it.
func TestDamagedGroupsFailBillingMonth(t *testing.T) {
	for _, bucket := range [][]byte{bucketGroups, bucketMonthGroups} {
		t.Run(string(bucket), func(t *testing.T) {
			db, _ := checkedDB(t)
			if err := db.bolt.Update(func(tx *bolt.Tx) error { return flipIn(firstSlice(tx).Bucket(bucket), u32(1)) }); err != nil {
				t.Fatal(err)
			}
			_, err := db.BillingMonth("2026-09")
			var de *DamagedError
			if !errors.As(err, &de) || !strings.HasPrefix(de.Delivery, "AWS payer 934672015588 for 2026-09 (delivery 1, import 1, file ") ||
				de.Part != "group block 1 is damaged: its checksum does not match its bytes" {
				t.Errorf("BillingMonth: %v", err)
			}
			rep, err := db.Check()
			if err != nil || len(rep.Findings) == 0 || !strings.Contains(fmt.Sprint(rep.Findings), "group block 1 is damaged") {
				t.Errorf("Check: %+v %v", rep.Findings, err)
			}
		})
	}
}

// TestSealMigration: a database whose blocks were written before
// checksums reads back the same after the migration that adds them, and
// every block and chunk is sealed exactly once.
func TestSealMigration(t *testing.T) {
	// The schema 4 release wrote its row blocks without checksums.
	path := schema4Copy(t)
	raw, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	unsealed := map[string][]byte{}
	raw.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSlices).ForEach(func(id, _ []byte) error {
			sb := tx.Bucket(bucketSlices).Bucket(id)
			for _, name := range [][]byte{bucketRows, bucketDict} {
				sb.Bucket(name).ForEach(func(k, v []byte) error {
					unsealed[string(id)+string(name)+string(k)] = append([]byte(nil), v...)
					return nil
				})
			}
			return nil
		})
	})
	raw.Close()
	if len(unsealed) == 0 {
		t.Fatal("the schema 4 database has no stored rows")
	}
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// 2.001 + 2.002 + … + 2.008 = 16.036 (testdata/schema4/README.md).
	if total, rows := monthTotal(t, db, "2026-09"); rows != 8 || !total.Equal(dec("16.036")) {
		t.Errorf("after the migration: %d rows costing %s, want 8 costing 16.036", rows, total)
	}
	sealedOnce := 0
	db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSlices).ForEach(func(id, _ []byte) error {
			sb := tx.Bucket(bucketSlices).Bucket(id)
			for _, name := range [][]byte{bucketRows, bucketDict} {
				sb.Bucket(name).ForEach(func(k, v []byte) error {
					old, ok := unsealed[string(id)+string(name)+string(k)]
					if !ok || string(v) != string(seal(append([]byte(nil), old...))) {
						t.Errorf("slice %x %s %x is not its old bytes sealed once", id, name, k)
					}
					sealedOnce++
					return nil
				})
			}
			return nil
		})
	})
	if sealedOnce != len(unsealed) {
		t.Errorf("%d values sealed, %d were stored", sealedOnce, len(unsealed))
	}
	// Running it again changes nothing.
	before := dump(t, db)
	if err := db.bolt.Update(sealStoredRows); err != nil {
		t.Fatal(err)
	}
	if dump(t, db) != before {
		t.Error("the migration sealed sealed blocks again")
	}
	if rep, err := db.Check(); err != nil || !rep.OK() {
		t.Errorf("check after the migration: %v %+v", err, rep.Findings)
	}
}

// TestFlippedByteInTheFile flips one bit of a stored row block in the
// database file itself, as a failing disk would: bbolt opens the file as
// usual, and the checksum is what notices.
func TestFlippedByteInTheFile(t *testing.T) {
	path := t.TempDir() + "/rebill.db"
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := csvFile(t, "555555555555", "2026-07", 3*rowsPerBlock, false)
	if _, err := importPath(t, db, p); err != nil {
		t.Fatal(err)
	}
	var block []byte
	db.bolt.View(func(tx *bolt.Tx) error {
		block = append([]byte(nil), firstSlice(tx).Bucket(bucketRows).Get(u32(1))...)
		return nil
	})
	db.Close()
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// A run of the block's bytes found once in the file: the bit to flip.
	mid := block[len(block)/2 : len(block)/2+32]
	at := bytes.Index(file, mid)
	if at < 0 || bytes.Count(file, mid) != 1 {
		t.Fatalf("the block's bytes are found %d times in the file", bytes.Count(file, mid))
	}
	file[at+5] ^= 0x04
	if err := os.WriteFile(path, file, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.ScanItems("2026-07", func(*lineitem.Item) error { return nil })
	var de *DamagedError
	if !errors.As(err, &de) || de.Part != "row block 1 is damaged: its checksum does not match its bytes" {
		t.Errorf("scan: %v", err)
	}
	rep, err := db.Check()
	if err != nil || len(rep.Findings) != 1 || rep.Findings[0].Area != AreaRows || !strings.Contains(rep.Findings[0].Problem, "row block 1 is damaged") {
		t.Errorf("check: %v %+v", err, rep.Findings)
	}
}

// TestCheckCleanAfterTheWholeWorkflow: nothing Rebill itself does makes
// the check complain: a logo on the profile, every customer issued, one
// voided (its credits given back), one credited, one closed, the month
// re-delivered, every correction issued with its replacement drafts
// approved, exports of each format.
func TestCheckCleanAfterTheWholeWorkflow(t *testing.T) {
	db := sampleDB(t)
	p, _ := db.Profile()
	p.Logo, p.LogoType = pngLogo(t), "image/png"
	if err := db.PutProfile(p, setUp); err != nil {
		t.Fatal(err)
	}
	generate(t, db, customer.Selection{All: true}, allOn, oct5)
	issued, err := db.ApproveDrafts("2026-09", oct5)
	if err != nil {
		t.Fatal(err)
	}
	byCustomer := map[string]string{}
	for _, a := range issued {
		byCustomer[a.Invoice.CustomerID] = a.ID
	}
	if _, err := db.VoidInvoice(byCustomer["UMBRELLA"], "issued in error", oct6); err != nil {
		t.Fatal(err)
	}
	if _, err := db.IssueCreditNote(CreditRequest{Invoice: byCustomer["GLOBEX"], Amount: dec("5"), Reason: "goodwill", Now: oct6}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CloseInvoice(byCustomer["ACME"], invoice.DateOf(oct20), "BANK-9", oct20); err != nil {
		t.Fatal(err)
	}
	if _, err := importPath(t, db, sampleFile(t, sample.Options{Seed: 7, Final: true})); err != nil {
		t.Fatal(err)
	}
	rep, err := db.Corrections("2026-09")
	if err != nil {
		t.Fatal(err)
	}
	corrected := 0
	for _, c := range rep.Changed {
		if !c.Correctable {
			continue
		}
		corr, err := db.Correct(c.Invoice.ID, oct20)
		if err != nil {
			t.Fatal(err)
		}
		corrected++
		if corr.Replacement != nil {
			approveOK(t, db, oct20, corr.Replacement.ID)
		}
	}
	for _, f := range document.Formats {
		if f == document.FormatXRechnung {
			continue // ACME has no Leitweg-ID, which XRechnung requires (engine/einvoice tests the refusal)
		}
		exportFile(t, db, ExportRequest{Invoice: byCustomer["ACME"], Format: f, Now: oct20})
	}
	check, err := db.Check()
	if err != nil || !check.OK() {
		t.Fatalf("check after the workflow: %v %+v", err, check.Findings)
	}
	audit, err := db.CheckAudit()
	if err != nil || !audit.OK() || audit.Checked.Documents != check.Checked.Documents {
		t.Errorf("audit check: %v %+v %+v", err, audit.Findings, audit.Checked)
	}
	if corrected == 0 || check.Checked.Issued < 6+1+corrected {
		t.Errorf("%d corrections, %d issued documents", corrected, check.Checked.Issued)
	}
}
