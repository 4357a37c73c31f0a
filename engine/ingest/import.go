package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"rebill/engine/cur"
	"rebill/engine/delim"
	"rebill/engine/excerpt"
	"rebill/engine/lineitem"
)

// Destination receives imports; the store implements it. Keeping it an
// interface keeps the engine free of the database.
type Destination interface {
	// FindImport returns the committed import of a file with this content
	// hash, if there is one.
	FindImport(hash string) (Result, bool, error)
	// HasImportOfSize tells whether a committed import had exactly this
	// many bytes: only then can a file be a repeat.
	HasImportOfSize(bytes int64) (bool, error)
	// BeginImport starts staging a file's rows. Nothing becomes visible
	// before Commit.
	BeginImport(r *Result) (Writer, error)
}

// Writer stages one file's line items.
type Writer interface {
	// Write stages a batch; items may be reused by the caller afterwards.
	Write(items []lineitem.Item) error
	// Commit publishes the staged rows at once, replacing earlier
	// deliveries of the same months, and fills r.ImportID and each
	// delivery's Status.
	Commit(r *Result) error
	// Abort discards everything staged.
	Abort() error
}

// Options tune an import.
type Options struct {
	// Format forces a file format instead of detecting it (one of cur.Formats).
	Format string
	// Now stamps the import; the engine holds no clock.
	Now time.Time
	// Progress, when set, is called after every batch of rows.
	Progress func(Progress)
}

// Progress reports an import under way.
type Progress struct {
	File  string
	Rows  int64
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

// File imports one provider file into dst. The file lands whole or not at
// all; importing the same bytes again is reported as AlreadyImported.
func File(ctx context.Context, path string, dst Destination, opt Options) (Result, error) {
	res := Result{File: path, ImportedAt: opt.Now.UTC()}
	fail := func(where string, err error) (Result, error) {
		return res, &Error{File: path, Where: where, Err: err}
	}
	if opt.Format != "" && !slices.Contains(cur.Formats, cur.Format(opt.Format)) {
		return fail("", fmt.Errorf("unknown format %q; use one of %s", opt.Format, formatList()))
	}
	st, err := os.Stat(path)
	if err != nil {
		return fail("", err)
	}
	res.Bytes = st.Size()
	// A file is a repeat only if an earlier import had its size. Then the
	// hash is checked first, so a repeat is reported at once; otherwise
	// the hash is computed on the other core while the rows are read.
	maybeRepeat, err := dst.HasImportOfSize(res.Bytes)
	if err != nil {
		return fail("", err)
	}
	hashed := make(chan hashResult, 1)
	go func() {
		h, err := hashFile(path)
		hashed <- hashResult{h, err}
	}()
	if maybeRepeat {
		h := <-hashed
		if h.err != nil {
			return fail("", h.err)
		}
		if prev, ok, err := dst.FindImport(h.hash); err != nil {
			return fail("", err)
		} else if ok {
			prev.Status = AlreadyImported
			return prev, nil
		}
		hashed <- h
	}
	w, err := dst.BeginImport(&res)
	if err != nil {
		return fail("", err)
	}
	abort := func(where string, err error) (Result, error) {
		if aerr := w.Abort(); aerr != nil {
			err = errors.Join(err, fmt.Errorf("discarding the staged rows: %w", aerr))
		}
		return fail(where, err)
	}
	where, err := stream(ctx, path, opt, &res, w)
	h := <-hashed
	if err != nil {
		return abort(where, err)
	}
	if h.err != nil {
		return abort("", h.err)
	}
	res.Hash = h.hash
	if prev, ok, err := dst.FindImport(h.hash); err != nil {
		return abort("", err)
	} else if ok {
		// Same size and bytes as an import that committed while this one
		// was reading: nothing new.
		w.Abort()
		prev.Status = AlreadyImported
		return prev, nil
	}
	if err := w.Commit(&res); err != nil {
		return fail("", err)
	}
	res.Status = Imported
	for _, d := range res.Deliveries {
		if d.Status == Replaced {
			res.Status = Replaced
		}
	}
	return res, nil
}

func formatList() string {
	names := make([]string, len(cur.Formats))
	for i, f := range cur.Formats {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

type hashResult struct {
	hash string
	err  error
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
// on the caller's, so parsing and storing use both cores. It fills res and
// returns the position of a failure.
func stream(ctx context.Context, path string, opt Options, res *Result, w Writer) (string, error) {
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
		readWhere, readErr = readTables(path, opt, res, tallies, &order, free, full, stop)
	}()
	var writeErr error
	var rows int64
	for b := range full {
		if writeErr == nil {
			if err := ctx.Err(); err != nil {
				writeErr = fmt.Errorf("import cancelled")
			} else {
				writeErr = w.Write(b.items[:b.n])
			}
			if writeErr != nil {
				close(stop)
			}
		}
		rows += int64(b.n)
		free <- b
	}
	if writeErr != nil {
		return "", writeErr
	}
	if readErr != nil {
		return readWhere, readErr
	}
	if rows == 0 {
		return "", errNoLineItems
	}
	res.Rows = rows
	for _, k := range order {
		res.Deliveries = append(res.Deliveries, tallies[k].delivery())
	}
	return "", nil
}

// batchBytes bounds the memory of the strings of one batch of line items:
// rows of ordinary size fill a batch by count long before, but a file of
// long descriptions or many tags would otherwise hold gigabytes in flight.
const batchBytes = 8 << 20

// readTables maps every row of every table into batches. Every item is
// checked against lineitem's rules before it is handed on, so a file with
// one bad value is refused before anything of it is committed.
func readTables(path string, opt Options, res *Result, tallies map[deliveryKey]*tally, order *[]deliveryKey,
	free, full chan *batch, stop chan struct{}) (string, error) {
	var rows int64
	currency, currencyWhere := "", ""
	err := eachTable(path, func(t *table, read func() int64) error {
		at := func(where string, err error) error { return &Error{File: t.name, Where: where, Err: err} }
		format := cur.Format(opt.Format)
		if format == "" {
			f, ok := cur.Detect(t.header, t.parquet, t.sep)
			if !ok {
				// About the whole file (or archive member), not a place
				// in it.
				return at(t.part, unknownFormat(t))
			}
			format = f
		}
		if res.Format == "" {
			res.Format = string(format)
		} else if res.Format != string(format) {
			return at(t.part, kindError(ErrNotBilling, "this part is %s but an earlier part of the file is %s: import each format on its own", format, res.Format))
		}
		m, err := cur.NewMapper(t.header)
		if err != nil {
			var fe *cur.FormatError
			if errors.As(err, &fe) {
				return at(t.part, kindError(ErrNotBilling, "not a complete %s file (%s): %v", format, format.Describe(), err))
			}
			var col *cur.FieldError
			if errors.As(err, &col) {
				return at(t.headerWhere+", column "+excerpt.Name(col.Column), col.Err)
			}
			return at(t.headerWhere, err)
		}
		var check lineitem.Checker
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
				var fe *cur.FieldError
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
			k := deliveryKey{provider: lineitem.AWS, payer: it.PayerAccount, period: it.BillingPeriod}
			tl := tallies[k]
			if tl == nil {
				tl = &tally{key: k, accounts: map[string]*accountTally{}, invoices: map[string]bool{}}
				tallies[k] = tl
				*order = append(*order, k)
			}
			tl.currency = currency
			tl.add(it)
			b.n++
			rows++
			if b.n == batchRows || m.Allocated()-batchStart > batchBytes {
				full <- b
				b = nil
				if opt.Progress != nil {
					opt.Progress(Progress{File: path, Rows: rows, Read: read(), Bytes: res.Bytes})
				}
			}
		}
		if b != nil && b.n > 0 {
			full <- b
		} else if b != nil {
			free <- b
		}
		if opt.Progress != nil {
			opt.Progress(Progress{File: path, Rows: rows, Read: read(), Bytes: res.Bytes})
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
	f, missing := cur.Closest(t.header, t.parquet, t.sep)
	return kindError(ErrNotBilling, "unknown file format: the closest Rebill reads is %s (%s), which needs the column(s) %s; found columns %s",
		f, f.Describe(), strings.Join(missing, ", "), headerSample(t.header))
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
	case pe.Column > 0 && pe.Column <= len(header):
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
