package locale

import "testing"

func TestUsable(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  bool
	}{
		{"en_US.UTF-8", true},
		{"de_DE.utf8", true},
		{"fr", true},
		{"pt-BR", true},
		{"sr_RS@latin", true},
		{"C", false},
		{"C.UTF-8", false},
		{"POSIX", false},
		{"xx", false},
		{"", false},
		{"not a locale", false},
	} {
		t.Run(tc.value, func(t *testing.T) {
			if got := Usable(tc.value); got != tc.want {
				t.Errorf("Usable(%q) = %v, want %v", tc.value, got, tc.want)
			}
		})
	}
}
