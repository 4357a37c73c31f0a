package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"rebill/engine/delim"
	"rebill/engine/excerpt"
	"rebill/engine/lineitem"
	"rebill/engine/read"
	"rebill/engine/words"
)

// Destination receives imports; the store implements it. Keeping it an
// interface keeps the engine free of the database.
type Destination interface {
	// HasFileOfSize tells whether an imported file had exactly this many
	// bytes: only then can a file be a repeat, and only then is it hashed
	// before it is read.
	HasFileOfSize(bytes int64) (bool, error)
	// FindFile tells which stored deliveries hold a file with this
	// content hash.
	FindFile(hash string) (Known, bool, error)
	// BeginImport starts staging an import's rows. Nothing becomes
	// visible before Commit.
	BeginImport(r *Result) (Writer, error)
}

// Known is where a file imported before is kept.
type Known struct {
	Current []uint64 // current deliveries that hold the file
	Earlier []uint64 // deliveries no longer current that hold it
}

// Writer stages one import's line items.
type Writer interface {
	// Write stages a batch of rows of the import's file number file (its
	// index in Result.Files); items may be reused by the caller afterwards.
	Write(file int, items []lineitem.Item) error
	// Commit decides, with Resolve, what the deliveries read do to their
	// months' current deliveries and publishes the outcome at once; it
	// fills r.ImportID and r.Deliveries. A refusal (*MissingPartsError,
	// *OlderError) commits nothing.
	Commit(r *Result, read []Delivery) error
	// Abort discards everything staged.
	Abort() error
}

// Options tune an import.
type Options struct {
	// Format forces a file format instead of detecting it (one of
	// Formats.Names()).
	Format string
	// Now stamps the import; the engine holds no clock.
	Now time.Time
	// Replace makes the deliveries read current even where they are
	// older or less final than the months' current ones: the
	// accountant's deliberate choice, recorded in the history.
	Replace bool
	// By names who imports (the system user), for the history.
	By string
	// Progress, when set, is called after every batch of rows.
	Progress func(Progress)
}

// Progress reports an import under way.
type Progress struct {
	File  string
	Index int   // the file's position among Files, from 0
	Files int   // how many files the import reads
	Rows  int64 // rows of this file so far
	Read  int64 // bytes of the file consumed
	Bytes int64 // size of the file
}

// Error is an import failure with its position in the file.
type Error struct {
	File string
	// Where is one position: "line 12, column lineItem/UnblendedCost",
	// "row group 2, row 1534 (file row 41534), column
	// line_item_unblended_cost", "line 1" for the header, or "" for the
	// whole file.
	Where string
	Err   error
}

// maxMessage bounds Error's text: a message names a file, a position and a
// clipped value, and must stay readable in a dialog or a terminal whatever
// the file holds.
const maxMessage = 2000

func (e *Error) Error() string {
	file := clipMiddle(e.File, 400)
	msg := fmt.Sprintf("%s: %v", file, e.Err)
	if e.Where != "" {
		where, _ := excerpt.Clip(e.Where, 400)
		msg = fmt.Sprintf("%s: %s: %v", file, where, e.Err)
	}
	if len(msg) > maxMessage {
		// Values in messages are clipped where they are quoted; this only
		// catches a cause that quoted something whole.
		msg, _ = excerpt.Clip(msg, maxMessage/4)
		msg += "…"
	}
	return msg
}

// clipMiddle shortens a long path in its middle, keeping its start and the
// file name.
func clipMiddle(s string, n int) string {
	if len(s) <= n {
		return s
	}
	head, _ := excerpt.Clip(s, n/4)
	tail := s[len(s)-n/2:]
	for len(tail) > 0 && !utf8.RuneStart(tail[0]) {
		tail = tail[1:]
	}
	return head + "…" + tail
}

func (e *Error) Unwrap() error { return e.Err }

// batchRows is how many line items travel together from the reader to the
// writer: large enough to amortise the hand-over, small enough to keep
// memory flat.
const batchRows = 4096

// File imports one provider file (or folder, or manifest) into dst; see
// Import.
func File(ctx context.Context, path string, dst Destination, opt Options) (Result, error) {
	return Import(ctx, []string{path}, dst, opt)
}

// Import imports what the accountant named (files, folders, manifests:
// see NewPlan) into dst as one transaction: every delivery lands whole or
// nothing does. Files whose bytes were imported before are not read
// again and say where they are; the others are read, and each group of
// parts becomes one delivery per provider month and payer, resolved
// against the month's current delivery by Resolve.
func Import(ctx context.Context, paths []string, dst Destination, opt Options) (Result, error) {
	res := Result{ImportedAt: opt.Now.UTC(), Replace: opt.Replace, By: opt.By}
	if _, _, ok := Formats.Format(opt.Format); opt.Format != "" && !ok {
		return res, fmt.Errorf("unknown format %q; use one of %s", opt.Format, strings.Join(Formats.Names(), ", "))
	}
	plan, err := NewPlan(paths)
	if err != nil {
		return res, err
	}
	res.Skipped = plan.Skipped
	res.Files = make([]FileResult, len(plan.Files))
	toRead := 0
	for i, f := range plan.Files {
		fr := &res.Files[i]
		*fr = FileResult{File: f.Path, Number: f.Number, Origin: f.Origin}
		st, err := os.Stat(f.Path)
		if err != nil {
			return res, &Error{File: f.Path, Err: notFound(err)}
		}
		fr.Bytes = st.Size()
		if err := known(dst, fr, res.Files[:i]); err != nil {
			return res, &Error{File: f.Path, Err: err}
		}
		if fr.Status == "" {
			toRead++
		}
	}
	res.summarise()
	if toRead == 0 {
		return res, nil
	}
	w, err := dst.BeginImport(&res)
	if err != nil {
		return res, err
	}
	abort := func(err error) (Result, error) {
		if aerr := w.Abort(); aerr != nil {
			err = errors.Join(err, fmt.Errorf("discarding the staged rows: %w", aerr))
		}
		return res, err
	}
	var read []Delivery
	for i, f := range plan.Files {
		fr := &res.Files[i]
		if fr.Status != "" {
			continue
		}
		ds, err := readFile(ctx, f, i, len(plan.Files), fr, opt, w)
		if err != nil {
			return abort(err)
		}
		if dup := slices.IndexFunc(res.Files[:i], func(o FileResult) bool { return o.Hash == fr.Hash && o.Status == Imported }); dup >= 0 {
			return abort(&Error{File: f.Path, Err: fmt.Errorf("has the same bytes as %s: name each file once", res.Files[dup].File)})
		}
		fr.Status = Imported
		read = append(read, ds...)
	}
	read, err = groupParts(plan, read)
	if err != nil {
		return abort(err)
	}
	if err := w.Commit(&res, read); err != nil {
		return abort(err)
	}
	res.summarise()
	return res, nil
}

// known fills the status of a file imported before (by an earlier import,
// or earlier in this one): hashed first only when its size makes that
// possible.
func known(dst Destination, fr *FileResult, before []FileResult) error {
	maybe := slices.ContainsFunc(before, func(o FileResult) bool { return o.Bytes == fr.Bytes })
	if !maybe {
		var err error
		if maybe, err = dst.HasFileOfSize(fr.Bytes); err != nil {
			return err
		}
	}
	if !maybe {
		return nil
	}
	h, err := hashFile(fr.File)
	if err != nil {
		return err
	}
	fr.Hash = h
	if i := slices.IndexFunc(before, func(o FileResult) bool { return o.Hash == h }); i >= 0 {
		return fmt.Errorf("has the same bytes as %s: name each file once", before[i].File)
	}
	k, ok, err := dst.FindFile(h)
	if err != nil || !ok {
		return err
	}
	if len(k.Current) > 0 {
		fr.Status, fr.Deliveries = AlreadyImported, k.Current
		return nil
	}
	fr.Status, fr.Deliveries = EarlierDelivery, k.Earlier
	ids := make([]string, len(k.Earlier))
	for i, id := range k.Earlier {
		ids[i] = strconv.FormatUint(id, 10)
	}
	fr.Note = fmt.Sprintf("these bytes are delivery %s, which is no longer current: to make it current again, run rebill deliveries restore %s", strings.Join(ids, ", "), ids[len(ids)-1])
	return nil
}

// summarise sets the one-file fields and the import's status from its
// files and deliveries.
func (r *Result) summarise() {
	if len(r.Files) > 0 {
		f := r.Files[0]
		r.File, r.Hash, r.Bytes, r.Format = f.File, f.Hash, f.Bytes, f.Format
	}
	r.Rows = 0
	r.Status = ""
	for _, f := range r.Files {
		if f.Status == Imported {
			r.Rows += f.Rows
		}
	}
	for _, d := range r.Deliveries {
		switch {
		case d.Status == Replaced:
			r.Status = Replaced
		case d.Status == Joined && r.Status != Replaced:
			r.Status = Joined
		case r.Status == "":
			r.Status = d.Status
		}
	}
	if r.Status != "" {
		return
	}
	r.Status = AlreadyImported
	for _, f := range r.Files {
		if f.Status == EarlierDelivery {
			r.Status = EarlierDelivery
		}
	}
}

// readFile streams one file's rows into w, hashing it meanwhile when its
// hash is not known yet, and returns its deliveries (one per provider
// month and payer), each with the file as its one part.
func readFile(ctx context.Context, f PlannedFile, index, count int, fr *FileResult, opt Options, w Writer) ([]Delivery, error) {
	fail := func(where string, err error) ([]Delivery, error) {
		return nil, &Error{File: f.Path, Where: where, Err: err}
	}
	// The file is hashed as it is read, unless its size made it hashed
	// before (known).
	hash := &fileHash{want: fr.Hash == ""}
	progress := func(rows, read int64) {
		if opt.Progress != nil {
			opt.Progress(Progress{File: f.Path, Index: index, Files: count, Rows: rows, Read: read, Bytes: fr.Bytes})
		}
	}
	ds, where, err := stream(ctx, f.Path, index, opt.Format, fr, hash, progress, w)
	if err != nil {
		return fail(where, err)
	}
	if hash.err != nil {
		return fail("", hash.err)
	}
	if hash.want {
		fr.Hash = hash.sum
	}
	name := filepath.Base(f.Path)
	for i := range ds {
		d := &ds[i]
		d.Origin = f.Origin
		d.CostView = fr.CostView
		d.Parts = []Part{{File: f.Path, Name: name, Hash: fr.Hash, Bytes: fr.Bytes, Number: f.Number,
			Rows: d.Rows, UnblendedCost: d.UnblendedCost, Final: d.Final, Index: index}}
	}
	return ds, nil
}

// groupParts merges the deliveries read from the files of one plan group
// (the parts of one delivery) per provider month and payer.
func groupParts(plan Plan, read []Delivery) ([]Delivery, error) {
	type key struct {
		group, provider, payer, period string
	}
	var out []Delivery
	at := map[key]int{}
	for _, d := range read {
		k := key{plan.Files[d.Parts[0].Index].Group, string(d.Provider), d.Payer, d.Period}
		i, ok := at[k]
		if !ok {
			at[k] = len(out)
			out = append(out, d)
			continue
		}
		if out[i].Currency != "" && d.Currency != "" && out[i].Currency != d.Currency {
			return nil, &Error{File: d.Parts[0].File, Err: fmt.Errorf("is in %s but %s, a part of the same delivery, is in %s: a delivery has one currency", d.Currency, out[i].Parts[0].File, out[i].Currency)}
		}
		out[i].merge(d)
	}
	return out, nil
}

// hashFile is the file's SHA-256 in hex: the identity of its content.
func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// batch is a reusable slice of line items handed from reader to writer.
type batch struct {
	items []lineitem.Item
	n     int
}

// stream reads every table of the file on one goroutine and writes batches
// on the caller's, so parsing and storing use both cores; text is read,
// hashed and scanned on a third (delim.Ahead). It fills fr's
// format and rows and returns the file's deliveries, or the position of a
// failure.
func stream(ctx context.Context, path string, index int, format string, fr *FileResult, hash *fileHash, progress func(rows, read int64), w Writer) ([]Delivery, string, error) {
	free := make(chan *batch, 3)
	for range cap(free) {
		free <- &batch{} // items grow in readTables, so a small file stays small
	}
	full := make(chan *batch, cap(free))
	stop := make(chan struct{})
	var readErr error
	var readWhere string
	tallies := map[deliveryKey]*tally{}
	var order []deliveryKey
	go func() {
		defer close(full)
		readWhere, readErr = readTables(path, format, fr, hash, tallies, &order, progress, free, full, stop)
	}()
	var writeErr error
	var rows int64
	for b := range full {
		if writeErr == nil {
			if err := ctx.Err(); err != nil {
				writeErr = fmt.Errorf("import cancelled")
			} else {
				writeErr = w.Write(index, b.items[:b.n])
			}
			if writeErr != nil {
				close(stop)
			}
		}
		rows += int64(b.n)
		free <- b
	}
	if writeErr != nil {
		return nil, "", writeErr
	}
	if readErr != nil {
		return nil, readWhere, readErr
	}
	if rows == 0 {
		return nil, "", errNoLineItems
	}
	fr.Rows = rows
	ds := make([]Delivery, 0, len(order))
	for _, k := range order {
		ds = append(ds, tallies[k].delivery())
	}
	return ds, "", nil
}

// batchBytes bounds the memory of the strings of one batch of line items:
// rows of ordinary size fill a batch by count long before, but a file of
// long descriptions or many tags would otherwise hold gigabytes in flight.
const batchBytes = 8 << 20

// readTables maps every row of every table into batches. Every item is
// checked against lineitem's rules before it is handed on, so a file with
// one bad value is refused before anything of it is committed.
func readTables(path, forced string, fr *FileResult, hash *fileHash, tallies map[deliveryKey]*tally, order *[]deliveryKey,
	progress func(rows, read int64), free, full chan *batch, stop chan struct{}) (string, error) {
	var rows int64
	var last *tally // the delivery of the row before
	currency, currencyWhere := "", ""
	err := eachTable(path, hash, func(t *table, consumed func() int64) error {
		at := func(where string, err error) error { return &Error{File: t.name, Where: where, Err: err} }
		format, family, ok := Formats.Format(forced)
		if !ok {
			format, family, ok = Formats.Detect(t.header, t.container())
			if !ok {
				// About the whole file (or archive member), not a place
				// in it.
				return at(t.part, unknownFormat(t))
			}
		}
		if fr.Format == "" {
			fr.Format = format.Name
		} else if fr.Format != format.Name {
			return at(t.part, kindError(ErrNotBilling, "this part is %s but an earlier part of the file is %s: import each format on its own", format.Name, fr.Format))
		}
		m, err := family.NewMapper(format, t.header, t.where)
		if err != nil {
			var fe *read.FormatError
			if errors.As(err, &fe) {
				return at(t.part, kindError(ErrNotBilling, "not a complete %s file (%s): %v", format.Name, format.Title, err))
			}
			var col *read.FieldError
			if errors.As(err, &col) {
				return at(t.headerWhere+", column "+excerpt.Name(col.Column), col.Err)
			}
			return at(t.headerWhere, err)
		}
		if cr, ok := m.(read.ColumnReader); ok && t.readOnly != nil {
			t.readOnly(cr.Reads())
		}
		check := lineitem.Checker{Opaque: format.OpaqueIDs}
		var b *batch
		var batchStart int64 // m.Allocated() when b was taken
		for {
			if b == nil {
				select {
				case b = <-free:
					b.n = 0
					batchStart = m.Allocated()
				case <-stop:
					return errStopped
				}
			}
			fields, err := t.next()
			if err == io.EOF {
				break
			}
			if err != nil && t.parquet {
				// The reader's message names the row group and rows it
				// could not decode.
				return at("", kindError(ErrDamaged, "not a readable Parquet file: %v", err))
			}
			if err != nil {
				where, cause := locate(err, t.header)
				if where == "" {
					where = t.where()
				}
				return at(where, readError(cause))
			}
			if b.n == len(b.items) {
				b.items = append(b.items, make([]lineitem.Item, min(max(len(b.items), 64), batchRows-len(b.items)))...)
			}
			it := &b.items[b.n]
			if err := m.Map(fields, it); err != nil {
				if err == read.ErrNotLineItem {
					continue
				}
				var fe *read.FieldError
				if errors.As(err, &fe) {
					return at(t.where()+", column "+excerpt.Name(fe.Column), fe.Err)
				}
				return at(t.where(), err)
			}
			if it.UsageAccount == "" {
				// AWS leaves the usage account empty on a few payer-level
				// lines; they are the payer's.
				it.UsageAccount = it.PayerAccount
			}
			if inv := check.Check(it); inv != nil {
				where := t.where()
				if col := m.Column(fields, it, inv); col != "" {
					where += ", column " + excerpt.Name(col)
				}
				return at(where, inv)
			}
			if currency == "" {
				currency, currencyWhere = it.Currency, t.where()
			} else if it.Currency != currency {
				return at(t.where(), fmt.Errorf(
					"two currencies in one file: %s here, %s since %s; export one currency per file", it.Currency, currency, currencyWhere))
			}
			k := deliveryKey{provider: it.Provider, payer: it.PayerAccount, period: it.BillingPeriod}
			tl := last
			if tl == nil || k != tl.key {
				// Rows come in runs of one delivery: the map is asked
				// only when the delivery changes.
				if tl = tallies[k]; tl == nil {
					tl = &tally{key: k, accounts: map[string]*accountTally{}, invoices: map[string]bool{}}
					tallies[k] = tl
					*order = append(*order, k)
				}
				last = tl
			}
			tl.currency = currency
			tl.add(it)
			b.n++
			rows++
			if b.n == batchRows || m.Allocated()-batchStart > batchBytes {
				full <- b
				b = nil
				progress(rows, consumed())
			}
		}
		if b != nil && b.n > 0 {
			full <- b
		} else if b != nil {
			free <- b
		}
		progress(rows, consumed())
		defer func() {
			if v, ok := m.(read.CostViewer); ok {
				fr.CostView = v.CostView()
			}
		}()
		if err := m.Done(); err != nil {
			var re *read.RowError
			if errors.As(err, &re) {
				where := re.Where
				if re.Column != "" {
					where += ", column " + excerpt.Name(re.Column)
				}
				return at(where, re.Err)
			}
			return at(t.part, err)
		}
		return nil
	})
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Where, pe.Err
	}
	return "", err
}

// unknownFormat explains a header that is no format Rebill reads: the
// closest format, the columns it needs that are missing, and what the
// header has instead.
func unknownFormat(t *table) error {
	f, missing := Formats.Closest(t.header, t.container())
	return kindError(ErrNotBilling, "unknown file format: the closest Rebill reads is %s (%s), which needs the %s %s; found columns %s",
		f.Name, f.Title, words.Noun(len(missing), "column", "columns"), strings.Join(missing, ", "), headerSample(t.header))
}

// locate splits a reader's positioned error into the position, with the
// column named from the header, and the cause.
func locate(err error, header []string) (where string, cause error) {
	var pe *delim.ParseError
	if !errors.As(err, &pe) {
		return "", err
	}
	where = fmt.Sprintf("line %d", pe.Line)
	switch {
	case pe.Column > 0 && pe.Column <= len(header) && header[pe.Column-1] != "":
		where += ", column " + excerpt.Name(header[pe.Column-1])
	case pe.Column > 0:
		where += fmt.Sprintf(", column %d", pe.Column)
	}
	return where, pe.Err
}

// errNoLineItems refuses a file with a header and nothing else.
var errNoLineItems = errors.New("the file has a header but no line items")

// errStopped ends reading after the writer failed; the writer's error is
// the one reported.
var errStopped = errors.New("stopped")

// headerSample lists the first columns of a header for a message, each
// name clipped: a header can be a megabyte of junk.
func headerSample(h []string) string {
	const max = 8
	names := make([]string, 0, max)
	for _, n := range h[:min(len(h), max)] {
		names = append(names, excerpt.Name(n))
	}
	if len(h) > max {
		return strings.Join(names, ", ") + fmt.Sprintf(" ... (%d columns)", len(h))
	}
	return strings.Join(names, ", ")
}
