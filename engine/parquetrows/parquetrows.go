// Package parquetrows reads a Parquet file as a header and rows of text
// fields so one text mapping serves CSV and Parquet.
//
// The importer maps header names to fields and parses each field's text.
// Rather than teach it Parquet's types, this package renders every value as
// the text a CSV export of the same data would carry:
//
//   - BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY (strings, enums, JSON): the bytes as is.
//   - DOUBLE, FLOAT: the shortest decimal that round-trips
//     (strconv 'g', -1), so 0.1 is "0.1" and 1.4724e-06 is "1.4724e-06".
//   - INT32, INT64: decimal integers (unsigned when annotated so).
//   - DECIMAL: the exact decimal of the unscaled integer and the scale,
//     with the scale's trailing zeros ("1.50").
//   - BOOLEAN: "true" or "false".
//   - TIMESTAMP (millis, micros, nanos) and legacy INT96: RFC 3339 in UTC,
//     with fractional seconds only when non-zero ("2018-10-01T00:00:00Z").
//     Timestamps not adjusted to UTC are rendered the same way.
//   - DATE: "2006-01-02". TIME: "15:04:05" with fractional seconds when
//     non-zero. UUID: the canonical 8-4-4-4-12 hex form. FLOAT16: like FLOAT.
//   - Null: an empty field.
//   - MAP: one field, a JSON object of the entries in file order (string
//     values as JSON strings, numbers as JSON numbers in the text above);
//     LIST: a JSON array; other groups: a JSON object of their fields.
//     A null or empty map, list or group gives an empty field.
//
// Reading streams, one row group at a time, so memory does not grow with
// the file. Flat files with the common encodings (all legacy CUR exports)
// are decoded page by page by this package's own reader (stream.go), whose
// memory is bounded by the writer's page size; other files go through the
// parquet-go row reader in batches of rows, which decodes a whole page at
// a time (about 5 bytes per row per column for a page that spans many
// rows).
package parquetrows

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// batchSize is the number of rows read from the library at once: large
// enough to amortise the per-call cost, small enough to keep memory flat.
const batchSize = 1024

// Reader reads the rows of one Parquet file as text fields. It is not safe
// for concurrent use.
type Reader struct {
	src     io.ReaderAt
	size    int64
	md      *format.FileMetaData
	groups  []parquet.RowGroup
	tops    []*node // top-level columns, in schema order
	leaves  []*node // leaf columns, by column index
	header  []string
	numRows int64
	flat    bool // every column is a top-level, non-repeated leaf (legacy CUR)
	stream  bool // read with the streaming page reader (stream.go), not the library's rows

	cols   []*colReader // streaming reader: one per column, reused across row groups; nil for an unread one
	unread []bool       // by column: left empty by the streaming reader (ReadOnly)

	group     int          // index of the row group being read; -1 before the first
	rows      parquet.Rows // row reader of that group; nil between groups
	groupRead int64        // rows read from the group so far
	groupDone bool         // all of the group's rows are in batch
	batch     []parquet.Row
	batchN    int   // rows in batch
	batchI    int   // next row of batch to return
	batchRow  int64 // 0-based row within the group of batch[0]

	// Position of the row last returned (or being rendered), 1-based.
	whereGroup   int
	whereRow     int64
	whereFileRow int64
	fileRow      int64 // rows returned so far

	asm    assembler
	buf    []byte
	ends   []int
	fields [][]byte
	err    error // sticky: io.EOF or the first failure
}

// Open reads the footer and schema. r is read on demand: only the footer
// now, and later the pages of one row group at a time.
func Open(r io.ReaderAt, size int64) (*Reader, error) {
	return open(r, size, true)
}

// open is Open with a choice of reader: tests read the same file with
// both and compare.
func open(r io.ReaderAt, size int64, allowStream bool) (rd *Reader, err error) {
	// The library can panic on some malformed footers; a bad file must be
	// an error for the importer, not a crash.
	defer func() {
		if p := recover(); p != nil {
			rd, err = nil, fmt.Errorf("parquetrows: malformed file: %v", p)
		}
	}()
	f, err := parquet.OpenFile(r, size,
		// Neither is needed for a front-to-back scan; skipping them keeps
		// Open to the footer alone.
		parquet.SkipPageIndex(true),
		parquet.SkipBloomFilters(true),
	)
	if err != nil {
		return nil, fmt.Errorf("parquetrows: %w", err)
	}
	root, numLeaves, err := buildSchema(f.Metadata().Schema)
	if err != nil {
		return nil, fmt.Errorf("parquetrows: schema: %w", err)
	}
	rd = &Reader{
		src:     r,
		size:    size,
		md:      f.Metadata(),
		groups:  f.RowGroups(),
		tops:    root.children,
		leaves:  make([]*node, numLeaves),
		header:  make([]string, len(root.children)),
		numRows: f.NumRows(),
		group:   -1,
		batch:   make([]parquet.Row, batchSize),
		ends:    make([]int, len(root.children)),
		fields:  make([][]byte, len(root.children)),
	}
	for i, t := range root.children {
		rd.header[i] = t.name
		t.forEachLeaf(func(l *node) { rd.leaves[l.col] = l })
	}
	var total int64
	for i, g := range rd.groups {
		if n := len(g.ColumnChunks()); n != numLeaves {
			return nil, fmt.Errorf("parquetrows: row group %d has %d column chunks, the schema %d columns", i+1, n, numLeaves)
		}
		if g.NumRows() < 0 {
			return nil, fmt.Errorf("parquetrows: row group %d has a negative row count", i+1)
		}
		total += g.NumRows()
	}
	if total != rd.numRows {
		return nil, fmt.Errorf("parquetrows: footer says %d rows but its row groups add up to %d", rd.numRows, total)
	}
	rd.flat = numLeaves == len(rd.tops)
	for _, t := range rd.tops {
		rd.flat = rd.flat && t.kind == nodeLeaf && !t.repeated
	}
	if ok, _ := streamable(rd.md, rd.flat); ok && allowStream {
		rd.stream = true
	}
	rd.asm.vals = make([][]parquet.Value, numLeaves)
	rd.asm.pos = make([]int, numLeaves)
	return rd, nil
}

func (n *node) forEachLeaf(f func(*node)) {
	if n.kind == nodeLeaf {
		f(n)
		return
	}
	for _, c := range n.children {
		c.forEachLeaf(f)
	}
}

// Header names the top-level columns, in schema order. A map, list or
// struct column is one name, whatever its leaves. The slice is a copy.
func (r *Reader) Header() []string {
	return append([]string(nil), r.header...)
}

// ReadOnly tells the reader that only the Header columns of these indexes
// are read: Next may leave the others empty. The streaming reader then
// neither decodes nor checks their pages, the bulk of reading a wide CUR
// whose mapper reads a quarter of its columns; the library's row reader
// (nested or unusual files) still renders them. Call it before the first
// Next.
func (r *Reader) ReadOnly(cols []int) {
	r.unread = make([]bool, len(r.header))
	for i := range r.unread {
		r.unread[i] = true
	}
	for _, i := range cols {
		if i >= 0 && i < len(r.unread) {
			r.unread[i] = false
		}
	}
}

// NumRows is the total number of rows (for progress bars), as the footer
// says.
func (r *Reader) NumRows() int64 { return r.numRows }

// Next returns the next row's fields as text, one per Header column; valid
// until the next call. io.EOF after the last row. A null value is an empty
// (zero-length) field. After an error other than io.EOF, Next keeps
// returning that error.
func (r *Reader) Next() (fields [][]byte, err error) {
	if r.err != nil {
		return nil, r.err
	}
	defer func() {
		// The library can panic on corrupt pages (it trusts some lengths
		// it decodes); turn that into an error naming the place.
		if p := recover(); p != nil {
			// The row reader's state is unknown after a panic: drop it
			// rather than Close it, which could panic again.
			r.rows, r.groupDone = nil, false
			where := r.batchWhere()
			if r.stream {
				where = r.Where()
			}
			r.err = fmt.Errorf("parquetrows: %s: malformed data (panic while decoding: %v)", where, p)
			fields, err = nil, r.err
		}
	}()
	if r.stream {
		fields, err := r.nextStream()
		if err != nil {
			r.err = err
			return nil, err
		}
		return fields, nil
	}
	for r.batchI >= r.batchN {
		if err := r.fill(); err != nil {
			r.err = err
			return nil, err
		}
	}
	row := r.batch[r.batchI]
	r.whereGroup = r.group + 1
	r.whereRow = r.batchRow + int64(r.batchI) + 1
	r.fileRow++
	r.whereFileRow = r.fileRow
	r.batchI++
	if err := r.render(row); err != nil {
		r.closeRows()
		r.err = fmt.Errorf("parquetrows: %s: %w", r.Where(), err)
		return nil, r.err
	}
	return r.fields, nil
}

// Where names the position of the row last returned by Next, or of the row
// Next failed on: "row group 2, row 1534 (file row 41534)". Rows are
// counted from 1, both within the group and within the file.
func (r *Reader) Where() string {
	if r.whereGroup == 0 {
		return "before the first row"
	}
	return fmt.Sprintf("row group %d, row %d (file row %d)", r.whereGroup, r.whereRow, r.whereFileRow)
}

// batchWhere names the rows of the batch being read, for read errors that
// cannot be pinned to one row.
func (r *Reader) batchWhere() string {
	if r.group < 0 {
		return "before the first row group"
	}
	return fmt.Sprintf("row group %d, rows %d-%d", r.group+1, r.batchRow+1, min(r.batchRow+int64(len(r.batch)), max(r.groups[r.group].NumRows(), r.batchRow+1)))
}

// fill reads the next batch of rows, moving to the next row group when the
// current one is done.
func (r *Reader) fill() error {
	if r.groupDone {
		// Closed only now, not when its last batch was read: the rows of
		// that batch may point into the group's pages (dictionaries).
		r.closeRows()
	}
	if r.rows == nil {
		if r.group+1 >= len(r.groups) {
			return io.EOF
		}
		r.group++
		r.groupRead = 0
		r.groupDone = false
		r.batchRow = 0
		r.batchN, r.batchI = 0, 0
		r.rows = r.groups[r.group].Rows()
	} else {
		r.batchRow += int64(r.batchN)
	}
	want := r.groups[r.group].NumRows()
	n, err := r.rows.ReadRows(r.batch)
	r.batchN, r.batchI = n, 0
	r.groupRead += int64(n)
	if err != nil && !errors.Is(err, io.EOF) {
		return r.readError(err)
	}
	if r.groupRead > want {
		r.closeRows()
		return fmt.Errorf("parquetrows: row group %d: the footer says %d rows, the column chunks hold more", r.group+1, want)
	}
	if err != nil || n == 0 || r.groupRead == want {
		// The group is done: io.EOF, or all the rows the footer promises
		// (which saves a call that would only say io.EOF).
		r.groupDone = true
		if r.groupRead != want {
			r.closeRows()
			return fmt.Errorf("parquetrows: row group %d: the footer says %d rows, the column chunks hold %d (truncated or corrupt file?)", r.group+1, want, r.groupRead)
		}
	}
	return nil
}

func (r *Reader) closeRows() {
	if r.rows != nil {
		r.rows.Close()
		r.rows = nil
	}
	r.groupDone = false
}

// readError words a failed batch read. The library's row reader does not
// say which column failed, so the group's column chunks are read page by
// page to find it: this costs a second read of the group, but only on the
// way to reporting an error.
func (r *Reader) readError(err error) error {
	where := r.batchWhere()
	r.closeRows()
	if col, cerr := r.findBadColumn(r.group); col != "" {
		return fmt.Errorf("parquetrows: %s: column %q: %w", where, col, cerr)
	}
	return fmt.Errorf("parquetrows: %s: %w", where, err)
}

func (r *Reader) findBadColumn(g int) (col string, err error) {
	i := 0
	defer func() {
		if p := recover(); p != nil {
			col, err = r.leaves[i].path, fmt.Errorf("malformed page (parquet reader panicked: %v)", p)
		}
	}()
	for i = range r.groups[g].ColumnChunks() {
		if err := readAllPages(r.groups[g].ColumnChunks()[i]); err != nil {
			return r.leaves[i].path, err
		}
	}
	return "", nil
}

func readAllPages(c parquet.ColumnChunk) error {
	pages := c.Pages()
	defer pages.Close()
	for {
		p, err := pages.ReadPage()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		// Decoding the values is where a bad page shows.
		vr := p.Values()
		buf := make([]parquet.Value, 256)
		for {
			_, err := vr.ReadValues(buf)
			if err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				parquet.Release(p)
				return err
			}
		}
		parquet.Release(p)
	}
}

// render turns one row into r.fields. All fields are appended to one
// buffer and sliced afterwards, since appending may move the buffer.
func (r *Reader) render(row parquet.Row) error {
	var err error
	b := r.buf[:0]
	if r.flat {
		b, err = r.renderFlat(b, row)
	} else {
		b, err = r.renderNested(b, row)
	}
	r.buf = b
	if err != nil {
		return err
	}
	start := 0
	for i, end := range r.ends {
		r.fields[i] = b[start:end:end]
		start = end
	}
	return nil
}

// renderFlat handles a schema of flat columns only, such as legacy CUR
// files: one value per column, in column order, so the row is indexed
// directly. This is the hot loop of an import.
func (r *Reader) renderFlat(b []byte, row parquet.Row) ([]byte, error) {
	if len(row) != len(r.tops) {
		return b, fmt.Errorf("row has %d values for %d flat columns", len(row), len(r.tops))
	}
	for i, t := range r.tops {
		v := row[i]
		if v.Column() != i {
			return b, fmt.Errorf("column %q: row value %d belongs to column %d", t.name, i, v.Column())
		}
		if v.DefinitionLevel() >= t.maxDef {
			var err error
			if b, err = appendText(b, t, v); err != nil {
				return b, fmt.Errorf("column %q: %w", t.name, err)
			}
		}
		r.ends[i] = len(b)
	}
	return b, nil
}

// renderNested handles any schema: the row's values are split by leaf
// column, flat columns take one value each, nested ones go through the
// assembler.
func (r *Reader) renderNested(b []byte, row parquet.Row) ([]byte, error) {
	if err := r.split(row); err != nil {
		return b, err
	}
	for i, t := range r.tops {
		start := len(b)
		if t.kind == nodeLeaf && !t.repeated {
			vs := r.asm.vals[t.col]
			if len(vs) != 1 {
				return b, fmt.Errorf("column %q: %d values for a flat column, want 1", t.name, len(vs))
			}
			if v := vs[0]; v.DefinitionLevel() >= t.maxDef {
				var err error
				if b, err = appendText(b, t, v); err != nil {
					return b, fmt.Errorf("column %q: %w", t.name, err)
				}
			}
		} else {
			r.asm.out = b
			err := r.asm.field(t)
			b = r.asm.out
			if err != nil {
				return b, err
			}
			for c := t.first; c < t.end; c++ {
				if r.asm.pos[c] != len(r.asm.vals[c]) {
					return b, fmt.Errorf("column %q: %d values left over in leaf %q (repetition or definition levels are inconsistent)", t.name, len(r.asm.vals[c])-r.asm.pos[c], r.leaves[c].path)
				}
			}
			// A null or empty nested value is an empty field, as a
			// null flat one is.
			if s := b[start:]; bytes.Equal(s, []byte("null")) || bytes.Equal(s, []byte("{}")) || bytes.Equal(s, []byte("[]")) {
				b = b[:start]
			}
		}
		r.ends[i] = len(b)
	}
	return b, nil
}

// split points asm.vals at each leaf column's values within the row. A
// row holds its values ordered by column index; a flat row holds exactly
// one value per column, which is checked first as the fast path.
func (r *Reader) split(row parquet.Row) error {
	vals, pos := r.asm.vals, r.asm.pos
	clear(pos)
	if len(row) == len(vals) {
		flat := true
		for i := range row {
			if row[i].Column() != i {
				flat = false
				break
			}
			vals[i] = row[i : i+1 : i+1]
		}
		if flat {
			return nil
		}
	}
	clear(vals)
	prev := -1
	for i := 0; i < len(row); {
		c := row[i].Column()
		j := i + 1
		for j < len(row) && row[j].Column() == c {
			j++
		}
		if c <= prev || c >= len(vals) {
			return fmt.Errorf("row values out of column order (column index %d after %d)", c, prev)
		}
		vals[c] = row[i:j:j]
		prev = c
		i = j
	}
	return nil
}
