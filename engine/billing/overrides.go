package billing

import (
	"errors"
	"fmt"
	"rebill/engine/customer"
	"strings"
)

// ProductTypeOverride puts a product code's service lines in another
// section of the statement than the built-in table does: the
// accountant's choice, kept by the store and given to Config.ProductTypes.
type ProductTypeOverride struct {
	Code string      `json:"code"` // as the accountant typed it, e.g. AmazonEC2
	Type ProductType `json:"type"`
	// Default is the section the built-in table gives the code (filled
	// when read, not stored).
	Default ProductType `json:"default"`
	// History dates the code's sections when they changed after a month
	// was invoiced: Type is its last entry; empty, Type has applied from
	// the beginning (see At).
	History customer.History[ProductType] `json:"history,omitempty"`
}

// At is the section of the code's lines in a YYYY-MM month: the one in
// force then, so that an invoiced month keeps its sections.
func (o ProductTypeOverride) At(month string) ProductType {
	if e, ok := o.History.At(month); ok {
		return e.Value
	}
	return o.Type
}

// SetFrom dates a change of the code's section to t from a YYYY-MM month
// on ("" for every month): the months before keep the section they had.
func (o ProductTypeOverride) SetFrom(from string, t ProductType) ProductTypeOverride {
	if from == "" {
		o.History = nil
	} else if t != o.Type || len(o.History) > 0 {
		o.History = o.History.Set(from, t, o.Type)
	}
	o.Type = t
	return o
}

// Needed reports whether the override must be kept: it puts the code
// elsewhere than the built-in table in some month.
func (o ProductTypeOverride) Needed() bool {
	if o.Type != o.Default {
		return true
	}
	for _, e := range o.History {
		if e.Value != o.Default {
			return true
		}
	}
	return false
}

// NewOverride is the override of code to t, trimmed, with the code's
// built-in section, refused when the code is empty or t is a section a
// code cannot be put in (Marketplace and Credits follow from the line,
// not from its code): the rule NewMonth applies to Config.ProductTypes.
// IsDefault on the result says the override changes nothing.
func NewOverride(code string, t ProductType) (ProductTypeOverride, error) {
	code = strings.TrimSpace(code)
	o := ProductTypeOverride{Code: code, Type: t, Default: DefaultProductType(code)}
	if code == "" {
		return o, errors.New("the product code is empty: write it as in the billing file, e.g. AmazonEC2")
	}
	_, err := newProductTypes(map[string]ProductType{code: t})
	return o, err
}

// IsDefault reports whether the override puts the code where the
// built-in table does: such an override is removed, not kept.
func (o ProductTypeOverride) IsDefault() bool { return o.Type == o.Default }

// ParseProductType reads a section name case-insensitively ("compute",
// "Machine Learning") and refuses a name that is not a section.
func ParseProductType(s string) (ProductType, error) {
	s = strings.TrimSpace(s)
	for _, t := range ProductTypes {
		if strings.EqualFold(s, string(t)) {
			return t, nil
		}
	}
	names := make([]string, len(ProductTypes))
	for i, t := range ProductTypes {
		names[i] = string(t)
	}
	return "", fmt.Errorf("%q is not a product type: use one of %s", s, strings.Join(names, ", "))
}

// OverrideMap is overrides as Config.ProductTypes takes them.
func OverrideMap(list []ProductTypeOverride) map[string]ProductType {
	m := make(map[string]ProductType, len(list))
	for _, o := range list {
		m[o.Code] = o.Type
	}
	return m
}

// OverrideMapAt is overrides as Config.ProductTypes takes them for a
// YYYY-MM month: each code's section in force then.
func OverrideMapAt(list []ProductTypeOverride, month string) map[string]ProductType {
	m := make(map[string]ProductType, len(list))
	for _, o := range list {
		m[o.Code] = o.At(month)
	}
	return m
}
