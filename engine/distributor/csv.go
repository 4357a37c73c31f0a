package distributor

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/invoice"
	"rebill/engine/money"
	"rebill/engine/words"
)

// Columns of a distributor invoices CSV file, in the order Rebill writes
// them. A file has a header row naming its columns in any order;
// provider, period, number and amount are required, the others may be
// left out (or left empty): date unknown, tax 0, currency the default
// the caller gives, no exchange rate.
var Columns = []string{"provider", "period", "number", "date", "amount", "tax", "currency", "rate"}

var required = []string{"provider", "period", "number", "amount"}

// RowProblem is one bad cell (or row) of a CSV file.
type RowProblem struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column,omitempty"` // 1-based; 0 for the whole row
	Name   string `json:"name,omitempty"`   // the column's header
	Reason string `json:"reason"`
}

func (p RowProblem) String() string {
	if p.Column == 0 {
		return fmt.Sprintf("%s line %d: %s", p.File, p.Line, p.Reason)
	}
	return fmt.Sprintf("%s line %d, column %d (%s): %s", p.File, p.Line, p.Column, p.Name, p.Reason)
}

// CSVError refuses a whole file: nothing of it is stored. It lists every
// bad cell found.
type CSVError struct{ Problems []RowProblem }

func (e *CSVError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.String()
	}
	return fmt.Sprintf("nothing imported: %s:\n%s", words.Plural(len(e.Problems), "problem", "problems"), strings.Join(msgs, "\n"))
}

// IsCSV tells whether a header row is a distributor invoices file's: it
// names every required column. Anything else may be a provider's detail
// file.
func IsCSV(header []string) bool {
	for _, r := range required {
		if !slices.ContainsFunc(header, func(h string) bool { return strings.EqualFold(strings.TrimSpace(h), r) }) {
			return false
		}
	}
	return true
}

// ParseCSV reads a distributor invoices file named file. Every row must
// be good, or the file is refused with a *CSVError naming each bad cell
// by line and column; numbers repeated inside the file are refused too.
// currency gives the currency of a row whose currency cell is empty or
// missing (the caller knows the month's billing currency). A number
// already among known is refused on its row.
func ParseCSV(r io.Reader, file string, currency func(provider, period string) string, known []Invoice) ([]Invoice, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &CSVError{[]RowProblem{{File: file, Line: 1, Reason: "the file is empty: it needs a header row " + strings.Join(Columns, ",")}}}
	}
	if err != nil {
		return nil, &CSVError{[]RowProblem{{File: file, Line: 1, Reason: err.Error()}}}
	}
	col := map[string]int{}
	var ps []RowProblem
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch {
		case !slices.Contains(Columns, h):
			ps = append(ps, RowProblem{File: file, Line: 1, Column: i + 1, Name: h, Reason: fmt.Sprintf("unknown column %q: the columns are %s", h, strings.Join(Columns, ", "))})
		case col[h] != 0:
			ps = append(ps, RowProblem{File: file, Line: 1, Column: i + 1, Name: h, Reason: fmt.Sprintf("column %q is there twice", h)})
		default:
			col[h] = i + 1
		}
	}
	for _, r := range required {
		if col[r] == 0 {
			ps = append(ps, RowProblem{File: file, Line: 1, Reason: fmt.Sprintf("column %q is missing: a file needs %s", r, strings.Join(required, ", "))})
		}
	}
	if len(ps) > 0 {
		return nil, &CSVError{ps}
	}
	var out []Invoice
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// A quote left open or a stray one: the reader says where.
			line, reason := 0, err.Error()
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line, reason = pe.Line, pe.Err.Error()
			}
			ps = append(ps, RowProblem{File: file, Line: line, Reason: reason})
			break
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		cell := func(name string) string {
			i := col[name]
			if i == 0 || i > len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i-1])
		}
		bad := func(name, reason string) {
			ps = append(ps, RowProblem{File: file, Line: line, Column: col[name], Name: name, Reason: reason})
		}
		d := Invoice{Provider: cell("provider"), Period: cell("period"), Number: cell("number"), Currency: cell("currency"),
			Source: fmt.Sprintf("csv %s line %d", file, line)}
		d.Normalize()
		if len(rec) != len(header) {
			ps = append(ps, RowProblem{File: file, Line: line, Reason: fmt.Sprintf("%s where the header has %s", words.Plural(len(rec), "cell", "cells"), words.Plural(len(header), "column", "columns"))})
			continue
		}
		if s := cell("date"); s != "" {
			if d.Date, err = invoice.ParseDate(s); err != nil {
				bad("date", err.Error())
			}
		}
		amount := func(name string, required bool) decimal.Decimal {
			s := cell(name)
			if s == "" {
				if required {
					bad(name, "the amount before tax is empty")
				}
				return decimal.Zero
			}
			v, err := money.ParseTyped(s)
			if err != nil {
				bad(name, err.Error())
			}
			return v
		}
		d.Amount, d.Tax = amount("amount", true), amount("tax", false)
		if s := cell("rate"); s != "" {
			v := amount("rate", false)
			d.Rate = &v
		}
		if d.Currency == "" && currency != nil {
			d.Currency = currency(d.Provider, d.Period)
		}
		for _, p := range d.Check() {
			bad(p.Field, p.Reason)
		}
		if first, ok := seen[d.Number]; ok && d.Number != "" {
			bad("number", fmt.Sprintf("invoice number %s is on line %d already", d.Number, first))
		} else if err := Duplicate(known, d.Number); err != nil {
			bad("number", err.Error())
		} else {
			seen[d.Number] = line
		}
		out = append(out, d)
	}
	if len(ps) > 0 {
		return nil, &CSVError{ps}
	}
	if len(out) == 0 {
		return nil, &CSVError{[]RowProblem{{File: file, Line: 2, Reason: "the file has a header but no invoice"}}}
	}
	return out, nil
}
