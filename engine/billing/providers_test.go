package billing

import (
	"testing"

	"rebill/engine/lineitem"
)

func TestBilled(t *testing.T) {
	for p, want := range map[lineitem.Provider]bool{lineitem.AWS: true, lineitem.Azure: false, lineitem.OCI: false, "gcp": false} {
		if got := Billed(p); got != want {
			t.Errorf("Billed(%s) = %v", p, got)
		}
	}
}
