package view

import (
	"fmt"
	"strings"

	"rebill/engine/billing"
)

// The Settings screen's product type overrides: which invoice section a
// product code's lines go to, as `rebill producttypes` sets them.

// OverridableTypes are the sections a product code may be put in: those
// the engine's rule (billing.NewOverride) accepts.
func OverridableTypes() []string {
	var out []string
	for _, t := range billing.ProductTypes {
		if _, err := billing.NewOverride("check", t); err == nil {
			out = append(out, string(t))
		}
	}
	return out
}

// OverrideLine is one override as the Settings list shows it, with the
// months its section changed.
func OverrideLine(o billing.ProductTypeOverride) string {
	s := fmt.Sprintf("%s: %s (built-in: %s)", o.Code, o.Type, o.Default)
	var months []string
	for _, e := range o.History {
		from := e.From
		if from == "" {
			from = "before"
		}
		months = append(months, from+": "+string(e.Value))
	}
	if len(months) > 0 {
		s += "; by month " + strings.Join(months, ", ")
	}
	return s
}

// ProductTypeSet says where a code's lines go after a change.
func ProductTypeSet(o billing.ProductTypeOverride) string {
	if o.IsDefault() {
		return fmt.Sprintf("%s is in %s, its built-in section: no override.", o.Code, o.Type)
	}
	return fmt.Sprintf("%s lines now go in %s (built-in: %s).", o.Code, o.Type, o.Default)
}

// ProductTypeDeleteQuestion asks before putting a code back in its
// built-in section.
func ProductTypeDeleteQuestion(o billing.ProductTypeOverride) string {
	return fmt.Sprintf("Put %s lines back in %s, their built-in section?\n\nMonths already invoiced keep the section they were invoiced with.", o.Code, o.Default)
}

// ProductTypeDeleted says what removing an override did.
func ProductTypeDeleted(code string, back billing.ProductTypeOverride) string {
	return fmt.Sprintf("%s lines go back to %s.", code, back.Type)
}
