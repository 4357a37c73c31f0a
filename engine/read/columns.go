package read

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/excerpt"
	"rebill/engine/money"
)

// Columns describes the columns a family reads by name: for each, its
// name as messages spell it and the other names files give it. Names are
// matched without regard to case, after Key has been applied to the
// header's name.
type Columns struct {
	names  []string       // messages' spelling, by column number
	lookup map[string]int // lower-case name or alias -> column number
	// Key turns a header's name into the name looked up (lower case
	// included); nil looks the name up as written, in lower case.
	Key func(name string) string
}

// NewColumns lists a family's columns, each as its message spelling
// followed by its other spellings; a column's number is its position in
// the list (an indexed composite literal keeps them in step with the
// family's column constants).
func NewColumns(spellings [][]string) *Columns {
	c := &Columns{lookup: map[string]int{}}
	for i, s := range spellings {
		c.names = append(c.names, s[0])
		for _, n := range s {
			c.lookup[strings.ToLower(n)] = i
		}
	}
	return c
}

// Name is column c's message spelling.
func (c *Columns) Name(col int) string { return c.names[col] }

// Len is the number of columns.
func (c *Columns) Len() int { return len(c.names) }

func (c *Columns) key(h string) string {
	if c.Key != nil {
		return c.Key(h)
	}
	return strings.ToLower(h)
}

// Index is the position of each column in header, -1 when absent; a
// column found twice (by one name or two spellings) is a *DuplicateError.
func (c *Columns) Index(header []string) ([]int, error) {
	idx := make([]int, len(c.names))
	for i := range idx {
		idx[i] = -1
	}
	exact := make(map[string]int, len(header))
	for i, h := range header {
		if j, dup := exact[h]; dup {
			return nil, &DuplicateError{First: j + 1, Second: i + 1, Name: h, SecondAs: h}
		}
		exact[h] = i
		if col, ok := c.lookup[c.key(h)]; ok {
			if j := idx[col]; j >= 0 {
				return nil, &DuplicateError{First: j + 1, Second: i + 1, Name: header[j], SecondAs: h}
			}
			idx[col] = i
		}
	}
	return idx, nil
}

// ErrorAt is what to report for err, a problem a family found with
// header column i: a column found twice up to i instead, since a header
// is checked from left to right.
func (c *Columns) ErrorAt(header []string, i int, err error) error {
	if _, dup := c.Index(header[:i+1]); dup != nil {
		return dup
	}
	return err
}

// Find is Index without the check of duplicates, for detection: the first
// position wins.
func (c *Columns) Find(header []string) []int {
	idx := make([]int, len(c.names))
	for i := range idx {
		idx[i] = -1
	}
	for i, h := range header {
		if col, ok := c.lookup[c.key(h)]; ok && idx[col] < 0 {
			idx[col] = i
		}
	}
	return idx
}

// Missing names the columns of required that idx lacks, sorted; a
// required entry is a list of columns any one of which will do, named by
// its first.
func (c *Columns) Missing(idx []int, required [][]int) []string {
	var out []string
	for _, any := range required {
		found := false
		for _, col := range any {
			found = found || idx[col] >= 0
		}
		if !found {
			out = append(out, c.names[any[0]])
		}
	}
	sort.Strings(out)
	return out
}

// RequiredNames are the names of required's columns, for Format.Required.
func (c *Columns) RequiredNames(required [][]int) []string {
	out := make([]string, len(required))
	for i, any := range required {
		out[i] = c.names[any[0]]
	}
	return out
}

// Rows prepares the reading of a table of header: a *DuplicateError for
// a column found twice, a *FormatError naming the required columns (see
// Missing) the header lacks.
func (c *Columns) Rows(header []string, required [][]int) (*Row, error) {
	idx, err := c.Index(header)
	if err != nil {
		return nil, err
	}
	if miss := c.Missing(idx, required); len(miss) > 0 {
		return nil, &FormatError{Missing: miss}
	}
	return NewRow(c, header, idx), nil
}

// Row reads the fields of one table by column, for a family's mapper: the
// strings shared through an Interner, the first value that is not text
// kept, and errors naming the column as the file spells it.
type Row struct {
	Header []string
	Col    []int // field index of each column, -1 when absent
	cols   *Columns
	in     Interner
	// last is each column's previous value: billing files are sorted
	// enough that most fields repeat the row before, and comparing with
	// it is cheaper than hashing into the interner.
	last   []string
	bad    error
	Fields [][]byte
	// amounts reads Amount's numbers, sharing the decimal of one met
	// before.
	amounts money.Recent
}

// NewRow prepares the reading of a table of header whose columns idx
// found.
func NewRow(cols *Columns, header []string, idx []int) *Row {
	return &Row{Header: header, Col: idx, cols: cols, in: NewInterner(), last: make([]string, len(idx))}
}

// Start begins a row: its fields, and no bad value yet. It refuses a row
// of another number of fields than the header.
func (r *Row) Start(fields [][]byte) error {
	r.Fields, r.bad = fields, nil
	if len(fields) != len(r.Header) {
		return r.fieldCountErr()
	}
	return nil
}

// fieldCountErr is apart from Start so that Start, called on every row,
// is inlined.
func (r *Row) fieldCountErr() error {
	return fmt.Errorf("has %d fields, the header has %d", len(r.Fields), len(r.Header))
}

// Indexes appends the header indexes of the table's columns that cols
// knows to dst, for a mapper's Reads: every field the row reads is one
// of them.
func (r *Row) Indexes(dst []int) []int {
	for _, i := range r.Col {
		if i >= 0 {
			dst = append(dst, i)
		}
	}
	return dst
}

// Has tells whether the table has column c.
func (r *Row) Has(c int) bool { return r.Col[c] >= 0 }

// Field is column c's value as written; nil when the table lacks it.
func (r *Row) Field(c int) []byte {
	if i := r.Col[c]; i >= 0 {
		return r.Fields[i]
	}
	return nil
}

// Str is column c's value as a shared string; "" for a null.
func (r *Row) Str(c int) string {
	v := r.Field(c)
	if string(v) == r.last[c] {
		return r.last[c]
	}
	if money.IsNull(v) {
		return ""
	}
	s := r.Text(r.Col[c], v)
	if r.bad == nil {
		r.last[c] = s
	}
	return s
}

// Text is b as a shared string, b being from header column i; the first
// value that is not text is kept for Bad.
func (r *Row) Text(i int, b []byte) string {
	s, err := r.in.Get(i, b)
	if err != nil && r.bad == nil {
		r.bad = &FieldError{Column: r.Header[i], Err: fmt.Errorf("%s %w", excerpt.Bytes(b), err)}
	}
	return s
}

// Bad is the first value of the row that was not text, as a *FieldError.
func (r *Row) Bad() error { return r.bad }

// Amount is column c's number, exactly as written; zero for a null or an
// absent column.
func (r *Row) Amount(c int) (decimal.Decimal, error) {
	d, err := r.amounts.Parse(r.Field(c))
	if err != nil {
		return decimal.Zero, r.Err(c, err)
	}
	return d, nil
}

// Err is a *FieldError about column c, named as the file spells it.
func (r *Row) Err(c int, err error) error {
	return &FieldError{Column: r.ColumnName(c), Err: err}
}

// ColumnName is column c as the file spells it; its message spelling when
// the table lacks it.
func (r *Row) ColumnName(c int) string {
	if i := r.Col[c]; i >= 0 {
		return r.Header[i]
	}
	return r.cols.names[c]
}

// Heading is column c as the file spells it; "" when the table lacks it.
func (r *Row) Heading(c int) string {
	if i := r.Col[c]; i >= 0 {
		return r.Header[i]
	}
	return ""
}

// Month is the row's billing month from its period start and end columns
// (see Period), the error naming the column of a bad date.
func (r *Row) Month(p *Period, start, end int) (string, error) {
	month, atEnd, err := p.Month(r.Field(start), r.Field(end), &r.in, max(r.Col[start], 0))
	if err != nil {
		if atEnd {
			return "", r.Err(end, err)
		}
		return "", r.Err(start, err)
	}
	return month, nil
}

// Allocated is the number of bytes of the strings made so far.
func (r *Row) Allocated() int64 { return r.in.Made() }
