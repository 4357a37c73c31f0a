package customer

import (
	"fmt"
	"testing"
)

func TestHistory(t *testing.T) {
	var h History[string]
	if _, ok := h.At("2025-01"); ok {
		t.Error("an empty history has an entry")
	}
	h = h.Set("2025-03", "B", "A")   // A before March, B from March
	h = h.Set("2025-06", "C", "A")   // C from June
	h2 := h.Set("2025-05", "D", "A") // D from May replaces June's C
	cases := []struct {
		name  string
		h     History[string]
		month string
		want  string
	}{
		{"before the first change: the starting value", h, "2025-02", "A"},
		{"the change's month", h, "2025-03", "B"},
		{"between changes", h, "2025-05", "B"},
		{"the last change on", h, "2030-01", "C"},
		{"a change replaces later ones: May", h2, "2025-05", "D"},
		{"a change replaces later ones: July", h2, "2025-07", "D"},
		{"a change keeps earlier ones", h2, "2025-04", "B"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, ok := tc.h.At(tc.month)
			if !ok || e.Value != tc.want {
				t.Errorf("At(%s) = %v, %v; want %s", tc.month, e, ok, tc.want)
			}
		})
	}
	if got := fmt.Sprint(h2); got != "[{ A} {2025-03 B} {2025-05 D}]" {
		t.Errorf("history %s", got)
	}
}
