// Package read is the registry of the billing file formats Rebill reads,
// and what their readers share.
//
// A format family is one package under engine/read (cur for the AWS Cost
// and Usage Report, dbr for the AWS Detailed Billing Report, ...). It
// describes its formats (name, provider, container, file endings, required
// columns), tells them from a table's header, and maps the table's rows
// onto line items. The importer (engine/ingest) and the faces know formats
// only through a Registry, so a new format is one new package and one line
// in the registry's list.
package read

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"rebill/engine/excerpt"
	"rebill/engine/lineitem"
	"rebill/engine/words"
)

// Container is how a table's rows are written: Parquet, or delimited text
// with its separator.
type Container struct {
	// Parquet is true for a Parquet file, false for delimited text.
	Parquet bool
	// Sep is the separator of text: ',' for CSV, '\x01' for the Hive text
	// AWS's Athena integration writes; 0 for Parquet.
	Sep byte
}

// The containers formats come in.
var (
	CSV      = Container{Sep: ','}
	HiveText = Container{Sep: '\x01'}
	Parquet  = Container{Parquet: true}
)

// Format is one file shape Rebill reads.
type Format struct {
	// Name is the format's code: what --format takes and an import reports
	// ("cur-csv").
	Name string
	// Title names the format in messages ("AWS Cost and Usage Report,
	// legacy CSV").
	Title string
	// Short names it in the window's lists ("CUR CSV").
	Short string
	// Provider is the cloud whose bills the format holds; "" when every row
	// names its own (FOCUS).
	Provider lineitem.Provider
	// Container is what the format's files are written as.
	Container Container
	// Extensions are the endings of the format's files as providers name
	// them, lower case (".csv", ".csv.gz", ".parquet").
	Extensions []string
	// Required are the columns without which a file of the format cannot
	// be billed, spelled as the format spells them.
	Required []string
	// Marks are columns that tell the format from the other formats of its
	// family, any one of them being enough; nil when the container alone
	// tells.
	Marks []string
	// OpaqueIDs tells that the format's account ids are whatever its
	// writer chose, checked as one word rather than against the
	// provider's own shape (lineitem.Checker.Opaque): FOCUS, whose ids the
	// specification leaves to the provider, and the exports converters
	// and FinOps tools rewrite.
	OpaqueIDs bool
	// CostColumn names, as the format spells it, the file's invoice cost
	// column: what a line item's UnblendedCost (FOCUS's BilledCost) is
	// read from, and so what an import's totals add up.
	CostColumn string
	// Series tells a file of the format that is one of a numbered series
	// the provider writes, each file adding line items to its month
	// rather than restating it (OCI's cost reports): it returns the
	// series' name and the file's number in it, from the file's base
	// name; ok is false for a name outside the series. Files of one
	// series, month and payer are parts of one delivery (ingest.Origin).
	// nil for formats whose every file is a whole delivery or an AWS part.
	Series func(name string) (series string, number int, ok bool)
}

// Family is a group of formats one package reads: one detection, one
// mapping.
type Family struct {
	// Name names the family in tests and messages ("cur").
	Name string
	// Formats are the family's formats, in the order lists show them.
	Formats []Format
	// Detect tells which of the family's formats a table is, by its header
	// and container; ok is false when it is none of them.
	Detect func(header []string, c Container) (format string, ok bool)
	// Closest names the family's format a header Detect refused comes
	// nearest to, how many of that format's required columns the header
	// has, and the ones it lacks, spelled the way the file would spell
	// them, sorted.
	Closest func(header []string, c Container) (format string, found int, missing []string)
	// NewMapper prepares the mapping of a table of format f with this
	// header. at tells the position of the row being mapped, for the
	// checks Done makes after the last row.
	NewMapper func(f Format, header []string, at func() string) (Mapper, error)
}

// Mapper turns the rows of one table into line items. It is made once per
// table, since columns vary from file to file.
type Mapper interface {
	// Map fills it from one row's fields, overwriting every field of it
	// (it.Tags keeps its backing array). It returns ErrNotLineItem for a
	// row that is not a line item (a total the file states, which Done
	// checks), a *FieldError naming the column of a value that cannot be
	// read, or another error about the row.
	Map(fields [][]byte, it *lineitem.Item) error
	// Column names, as the file spells it, the column the invalid value of
	// it came from, it being the item Map last filled from fields: what a
	// message about a lineitem.Invalid points at; "" for a field no column
	// fills.
	Column(fields [][]byte, it *lineitem.Item, inv *lineitem.Invalid) string
	// Allocated is the number of bytes of the strings the mapper has made
	// so far: what the items it filled hold beyond their fixed size.
	Allocated() int64
	// Done is called after the table's last row. A format whose files
	// state their own totals checks them here against the line items
	// mapped; a mismatch is a *RowError naming the total's row.
	Done() error
}

// ColumnReader is a Mapper that reads only some of a table's columns,
// which Reads lists as indexes in the header: a reader may then leave the
// others empty rather than decode them. Of a WA-labs Parquet CUR's 126
// columns, the CUR mapper reads 33: the rest would be decoded for nothing.
type ColumnReader interface {
	Reads() []int
}

// The views of cost a provider writes of one month in files of the same
// format (CostViewer): Azure's actual cost export is what Microsoft
// invoices, purchases charged when bought; its amortized export spreads
// reservation and savings plan purchases over the usage they cover.
const (
	ViewActual    = "actual"
	ViewAmortized = "amortized"
)

// CostViewer is a Mapper whose rows tell which view of cost its table
// holds (ViewActual, ViewAmortized), asked after Done; "" when the rows do
// not tell (a month without reservations reads the same in both).
type CostViewer interface {
	CostView() string
}

// ErrNotLineItem is what Map returns for a row that is not a line item.
var ErrNotLineItem = errors.New("not a line item")

// Registry is the list of format families an importer reads, in the order
// detection tries them and ties of Closest are settled.
type Registry struct {
	families []*Family
	byName   map[string]entry
	formats  []Format
}

type entry struct {
	format Format
	family *Family
}

// NewRegistry lists families. It panics on two formats of one name, which
// is a programming error that the registry's test catches.
func NewRegistry(families ...*Family) *Registry {
	r := &Registry{families: families, byName: map[string]entry{}}
	for _, fam := range families {
		for _, f := range fam.Formats {
			if _, dup := r.byName[f.Name]; dup {
				panic(fmt.Sprintf("read: two formats are named %s", f.Name))
			}
			r.byName[f.Name] = entry{f, fam}
			r.formats = append(r.formats, f)
		}
	}
	return r
}

// Formats are every format, family by family.
func (r *Registry) Formats() []Format { return slices.Clone(r.formats) }

// Names are the formats' codes, for help texts and --format.
func (r *Registry) Names() []string {
	names := make([]string, len(r.formats))
	for i, f := range r.formats {
		names[i] = f.Name
	}
	return names
}

// Families are the registered families, in order.
func (r *Registry) Families() []*Family { return slices.Clone(r.families) }

// Format finds a format by its code.
func (r *Registry) Format(name string) (Format, *Family, bool) {
	e, ok := r.byName[name]
	return e.format, e.family, ok
}

// Detect finds the format of a table from its header and container: the
// first family that recognises it decides.
func (r *Registry) Detect(header []string, c Container) (Format, *Family, bool) {
	for _, fam := range r.families {
		if name, ok := fam.Detect(header, c); ok {
			return r.byName[name].format, fam, true
		}
	}
	return Format{}, nil, false
}

// Closest names the format an unknown header comes nearest to (the one
// that has most of its required columns; the earlier family on a tie) and
// the required columns the header lacks.
func (r *Registry) Closest(header []string, c Container) (Format, []string) {
	best, bestFound := entry{}, -1
	var bestMissing []string
	for _, fam := range r.families {
		name, found, missing := fam.Closest(header, c)
		if found > bestFound {
			best, bestFound, bestMissing = r.byName[name], found, missing
		}
	}
	return best.format, bestMissing
}

// Extensions are the file endings a folder is searched for: the last
// ending of every format's file names ("report.csv.gz" is a ".gz"), each
// once, in the registry's order.
func (r *Registry) Extensions() []string {
	var out []string
	for _, f := range r.formats {
		for _, e := range f.Extensions {
			if i := strings.LastIndexByte(e, '.'); i > 0 {
				e = e[i:]
			}
			if !slices.Contains(out, e) {
				out = append(out, e)
			}
		}
	}
	return out
}

// FormatError is returned for a table whose header lacks what its format
// needs.
type FormatError struct {
	Missing []string // required columns the header lacks
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("required %s missing: %s", words.Noun(len(e.Missing), "column", "columns"), strings.Join(e.Missing, ", "))
}

// DuplicateError is returned for a header that has one column twice: the
// same name, or two spellings of a column Rebill keeps. Which one to read
// would be a guess.
type DuplicateError struct {
	First, Second  int // 1-based positions in the header
	Name, SecondAs string
}

func (e *DuplicateError) Error() string {
	if e.Name == e.SecondAs {
		return fmt.Sprintf("columns %d and %d are both named %s: keep one of them", e.First, e.Second, excerpt.Name(e.Name))
	}
	return fmt.Sprintf("columns %d (%s) and %d (%s) are the same column: keep one of them",
		e.First, excerpt.Name(e.Name), e.Second, excerpt.Name(e.SecondAs))
}

// FieldError names the column whose value could not be read.
type FieldError struct {
	Column string // as the file spells it
	Err    error
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("column %s: %v", excerpt.Name(e.Column), e.Err)
}
func (e *FieldError) Unwrap() error { return e.Err }

// RowError is a problem found after the last row about an earlier one: a
// total the file states that its line items do not add up to.
type RowError struct {
	Where  string // the row's position, as the at function of NewMapper gave it
	Column string // as the file spells it; "" for the whole row
	Err    error
}

func (e *RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("%s: %v", e.Where, e.Err)
	}
	return fmt.Sprintf("%s, column %s: %v", e.Where, excerpt.Name(e.Column), e.Err)
}
func (e *RowError) Unwrap() error { return e.Err }
