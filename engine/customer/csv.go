package customer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"rebill/engine/excerpt"
	"rebill/engine/lineitem"
	"rebill/engine/words"
)

// The customers CSV has one row per customer and one column per Field,
// named and ordered as Fields (the header row is required):
//
//	id, name, group, contact_name, email, phone, address, country,
//	tax_number, currency, payment_terms_days, tax_rates, support_plan,
//	support_flat_percent, adjustment_percent, pricing_rules, recurring,
//	cost_basis, notes
//
// Multi-valued cells use the list syntax of cells.go:
//
//	address        1 Main Street;Springfield IL 62701
//	tax_rates      VAT 20%=20;Reduced=5.5
//	pricing_rules  PROVIDER|BILLING_ENTITY|PRODUCT_CODE|USAGE_TYPE=PERCENT;...
//	               (empty parts match anything: aws||AmazonEC2|=-10)
//	recurring      DESCRIPTION|FROM|UNTIL=AMOUNT;...  (Managed service|2024-01|=250)
//
// Columns may come in any order and only id and name are required. An
// empty cell means the default (the reseller profile's currency and
// payment terms, support plan none, cost basis rerated, otherwise empty
// or 0). A column missing from the file leaves that setting of an
// existing customer as it is. A customer whose id exists is updated,
// others are added.
//
// The mappings CSV has one row per mapping: account, customer, from,
// until (until may be empty for open-ended). Importing it replaces every
// mapping of each account it names; accounts it does not name keep theirs.
//
// A file is imported whole or not at all: any bad row refuses the file,
// and every bad row is reported with its line, column and reason.

// MappingColumns are the columns of the mappings CSV, in export order.
var MappingColumns = []string{"account", "customer", "from", "until"}

// RowError is one bad row of an imported CSV file.
type RowError struct {
	Line   int    `json:"line"`
	Column string `json:"column,omitempty"`
	Reason string `json:"reason"`
}

// Error reads "line 4, column currency: reason", the way a spreadsheet
// user finds the cell.
func (e RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	}
	return fmt.Sprintf("line %d, column %s: %s", e.Line, e.Column, e.Reason)
}

// RowErrors is every bad row of a file; a file with any is not imported.
type RowErrors []RowError

// maxRowErrors bounds the message: past that, the file is probably not
// the kind of file expected at all, and the rest would only scroll away.
const maxRowErrors = 50

// Error says that nothing was imported, then lists the bad rows one per
// line (the first maxRowErrors of them).
func (es RowErrors) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "nothing was imported: the file has %s; fix %s and import it again",
		words.Plural(len(es), "problem", "problems"), words.Noun(len(es), "it", "them"))
	for i, e := range es {
		if i == maxRowErrors {
			fmt.Fprintf(&b, "\n  ... and %d more", len(es)-maxRowErrors)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(e.Error())
	}
	return b.String()
}

func (es *RowErrors) add(line int, column, format string, args ...any) {
	*es = append(*es, RowError{Line: line, Column: column, Reason: fmt.Sprintf(format, args...)})
}

// addProblems reports a validation error: each Problem under its field,
// anything else without a column.
func (es *RowErrors) addProblems(line int, err error) {
	var ps Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			es.add(line, p.Field, "%s", p.Message)
		}
		return
	}
	es.add(line, "", "%s", err.Error())
}

func (es RowErrors) err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// csvRow is one data row: its line in the file and its cells by column.
type csvRow struct {
	line  int
	cells map[string]string
}

// readTable reads a CSV file with a header row naming some of columns
// (required ones included), skipping blank rows.
func readTable(r io.Reader, columns, required []string) (header []string, rows []csvRow, err error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	rec, err := cr.Read()
	if err == io.EOF {
		return nil, nil, RowErrors{{Line: 1, Reason: "the file is empty: the first row must name the columns (" + strings.Join(columns, ",") + ")"}}
	}
	if err != nil {
		return nil, nil, csvSyntax(err)
	}
	var bad RowErrors
	known := map[string]bool{}
	for _, c := range columns {
		known[c] = true
	}
	seen := map[string]bool{}
	for i, h := range rec {
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF") // spreadsheets' byte order mark
		}
		h = strings.TrimSpace(h)
		switch {
		case lineitem.CheckText(h) != nil:
			bad.add(1, "", "column name %s %v: save the file as UTF-8 text", excerpt.Quote(h), lineitem.CheckText(h))
		case !known[h]:
			bad.add(1, h, "unknown column %q: the columns are %s", h, strings.Join(columns, ", "))
		case seen[h]:
			bad.add(1, h, "column %s appears twice", h)
		}
		seen[h] = true
		header = append(header, h)
	}
	for _, c := range required {
		if !seen[c] {
			bad.add(1, c, "the header has no %s column: it is required", c)
		}
	}
	if len(bad) > 0 {
		return nil, nil, bad.err()
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, csvSyntax(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			bad.add(line, "", "the row has %s but the header names %s", words.Plural(len(rec), "cell", "cells"), words.Plural(len(header), "column", "columns"))
			continue
		}
		blank, text := true, true
		row := csvRow{line: line, cells: make(map[string]string, len(rec))}
		for i, v := range rec {
			row.cells[header[i]] = v
			blank = blank && strings.TrimSpace(v) == ""
			if err := lineitem.CheckText(v); err != nil {
				// What is not text cannot be shown, exported or
				// compared as it was written.
				bad.add(line, header[i], "%s %v: save the file as UTF-8 text", excerpt.Quote(v), err)
				text = false
			}
		}
		if !blank && text {
			rows = append(rows, row)
		}
	}
	return header, rows, bad.err()
}

// csvSyntax turns encoding/csv's error into a RowError.
func csvSyntax(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return RowErrors{{Line: pe.Line, Reason: pe.Err.Error() + ": check the quotes on that line"}}
	}
	return fmt.Errorf("reading the CSV file: %w", err)
}

// WriteCustomersCSV writes customers as the customers CSV, in the order
// given.
func WriteCustomersCSV(w io.Writer, customers []Customer) error {
	cw := csv.NewWriter(w)
	header := make([]string, len(Fields))
	for i, f := range Fields {
		header[i] = f.Name
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(Fields))
	for i := range customers {
		for j, f := range Fields {
			rec[j] = f.Get(&customers[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadCustomersCSV reads the customers CSV. Every customer is normalized
// and validated; existing returns a stored customer by id (nil when there
// are none), so that a file with fewer columns updates only those. The
// error is RowErrors when any row is bad, and then no customer is
// returned.
func ReadCustomersCSV(r io.Reader, d Defaults, existing func(id string) (Customer, bool)) ([]Customer, error) {
	names := make([]string, len(Fields))
	for i, f := range Fields {
		names[i] = f.Name
	}
	header, rows, err := readTable(r, names, []string{"id", "name"})
	if err != nil {
		return nil, err
	}
	blank := d.New()
	var out []Customer
	var bad RowErrors
	lineOf := map[string]int{}
	for _, row := range rows {
		id := strings.TrimSpace(row.cells["id"])
		c := d.New()
		if existing != nil {
			if old, ok := existing(id); ok {
				c = old
			}
		}
		ok := true
		for _, col := range header {
			f, _ := FieldNamed(col)
			v := row.cells[col]
			if strings.TrimSpace(v) == "" {
				v = f.Get(&blank)
			}
			if err := f.Set(&c, v); err != nil {
				bad.add(row.line, col, "%s", err.Error())
				ok = false
			}
		}
		if !ok {
			continue
		}
		c.Normalize()
		if err := c.Validate(); err != nil {
			bad.addProblems(row.line, err)
			continue
		}
		if first, dup := lineOf[c.ID]; dup {
			bad.add(row.line, "id", "customer %s is already on line %d: give each customer one row", c.ID, first)
			continue
		}
		lineOf[c.ID] = row.line
		out = append(out, c)
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// WriteMappingsCSV writes mappings as the mappings CSV, in the order given.
func WriteMappingsCSV(w io.Writer, mappings []Mapping) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(MappingColumns); err != nil {
		return err
	}
	for _, m := range mappings {
		if err := cw.Write([]string{m.Account, m.Customer, m.From, m.Until}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadMappingsCSV reads the mappings CSV. Each mapping is validated,
// customerExists (when not nil) says whether its customer is known, and
// two rows giving one account overlapping months are refused. The error
// is RowErrors when any row is bad, and then no mapping is returned.
func ReadMappingsCSV(r io.Reader, customerExists func(id string) bool) ([]Mapping, error) {
	_, rows, err := readTable(r, MappingColumns, []string{"account", "customer", "from"})
	if err != nil {
		return nil, err
	}
	var out []Mapping
	var lines []int
	var bad RowErrors
	for _, row := range rows {
		m := Mapping{
			Account:  strings.TrimSpace(row.cells["account"]),
			Customer: strings.TrimSpace(row.cells["customer"]),
			From:     strings.TrimSpace(row.cells["from"]),
			Until:    strings.TrimSpace(row.cells["until"]),
		}
		if err := m.Validate(); err != nil {
			bad.addProblems(row.line, err)
			continue
		}
		if customerExists != nil && !customerExists(m.Customer) {
			bad.add(row.line, "customer", "customer %s does not exist: add it (or import the customers file) first", m.Customer)
			continue
		}
		if err := CheckOverlap(out, m); err != nil {
			var oe *OverlapError
			errors.As(err, &oe)
			for i, e := range out {
				if e == oe.Existing {
					bad.add(row.line, "from", "account %s is also mapped to %s %s on line %d: one account belongs to one customer in any month", m.Account, e.Customer, e.Months(), lines[i])
				}
			}
			continue
		}
		out = append(out, m)
		lines = append(lines, row.line)
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	return out, nil
}
