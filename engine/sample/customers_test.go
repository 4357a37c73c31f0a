package sample

import (
	"testing"

	"rebill/engine/customer"
)

func TestCustomerSetup(t *testing.T) {
	const first, second = "2026-07", "2026-08"
	s := CustomerSetup(first)
	if s.Profile == nil || s.Profile.Validate() != nil || s.Profile.Ready() != nil {
		t.Fatalf("profile not ready: %+v", s.Profile)
	}
	groups := map[string]int{}
	for _, c := range s.Customers {
		if err := c.Validate(); err != nil {
			t.Errorf("customer %s: %v", c.ID, err)
		}
		groups[c.Group]++
	}
	if len(groups) != 2 {
		t.Errorf("groups %v, want two", groups)
	}
	var placed []customer.Mapping
	for _, m := range s.Mappings {
		if err := m.Validate(); err != nil {
			t.Error(err)
		}
		if err := customer.CheckOverlap(placed, m); err != nil {
			t.Error(err)
		}
		placed = append(placed, m)
	}
	for _, month := range []string{first, second} {
		t.Run(month, func(t *testing.T) {
			for _, a := range UsageAccounts {
				if _, ok := customer.OwnerAt(s.Mappings, a, month); !ok {
					t.Errorf("usage account %s is unassigned in %s", a, month)
				}
			}
			if owner, ok := customer.OwnerAt(s.Mappings, PayerAccount, month); ok {
				t.Errorf("the payer should be the one unassigned account, but belongs to %s", owner)
			}
		})
	}
	crossing := false
	for _, c := range Commitments {
		owner, _ := customer.OwnerAt(s.Mappings, c.Owner, first)
		for _, u := range c.UsedBy {
			user, _ := customer.OwnerAt(s.Mappings, u, first)
			crossing = crossing || c.ARN == WebShopRI && owner != "" && user != "" && owner != user
		}
	}
	if !crossing {
		t.Error("the web shop's RI should be used by another customer's account")
	}
	if o1, _ := customer.OwnerAt(s.Mappings, "690254183927", first); o1 != CustomerInitech {
		t.Errorf("dev and test in %s belongs to %s", first, o1)
	}
	if o2, _ := customer.OwnerAt(s.Mappings, "690254183927", second); o2 != CustomerGlobex {
		t.Errorf("dev and test in %s belongs to %s", second, o2)
	}
	for _, g := range s.Grants {
		if err := g.Validate(); err != nil {
			t.Error(err)
		}
	}
}
