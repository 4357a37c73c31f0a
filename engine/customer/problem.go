package customer

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Problem is one thing wrong with a value, tied to the field it is about,
// so that a form can show it beside that field and a CSV import can name
// the column. Field uses the names of Fields (for customers) and the JSON
// names of the other types.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the message alone: it already names the field.
func (p Problem) Error() string { return p.Message }

// Problems is everything wrong with one value. Validate methods return it
// (or nil) so that a form can show every problem at once instead of one
// per attempt.
type Problems []Problem

// Error joins the messages with "; " for one-line outputs (CLI, logs).
func (ps Problems) Error() string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Message
	}
	return strings.Join(msgs, "; ")
}

// Of returns the messages about one field, for the form that shows them.
func (ps Problems) Of(field string) []string {
	var out []string
	for _, p := range ps {
		if p.Field == field {
			out = append(out, p.Message)
		}
	}
	return out
}

// problems collects Problems while a Validate method walks a value.
type problems Problems

func (ps *problems) add(field, format string, args ...any) {
	*ps = append(*ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) addErr(field string, err error) {
	if err != nil {
		*ps = append(*ps, Problem{Field: field, Message: err.Error()})
	}
}

// err returns nil when nothing was found, so that callers can write
// `if err := c.Validate(); err != nil`.
func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return Problems(ps)
}

// Percentages (pricing rules, the global adjustment, the flat support
// plan, tax rates) must lie in [MinPercent, MaxPercent]: below -100 the
// customer would be paid for using the cloud, above 1000 it is surely a
// typing error (a 10x uplift).
var (
	MinPercent = decimal.NewFromInt(-100)
	MaxPercent = decimal.NewFromInt(1000)
)

// checkPercent explains a percentage outside the allowed range.
func checkPercent(what string, p decimal.Decimal) error {
	if p.LessThan(MinPercent) || p.GreaterThan(MaxPercent) {
		return fmt.Errorf("%s: %s%% is outside -100..1000%%: write a discount as a negative number (-5 for 5%% off) and a markup as a positive one", what, p)
	}
	return nil
}
