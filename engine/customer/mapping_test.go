package customer

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestOwnerAt(t *testing.T) {
	ms := []Mapping{
		{Account: "011254002932", Customer: "ACME", From: "2018-01", Until: "2018-09"},
		{Account: "011254002932", Customer: "GLOBEX", From: "2018-10"},
		{Account: "836060457634", Customer: "INITECH", From: "2018-10", Until: "2018-10"},
	}
	cases := []struct {
		name, account, month, want string
		ok                         bool
	}{
		{"before any mapping", "011254002932", "2017-12", "", false},
		{"first month of a closed mapping", "011254002932", "2018-01", "ACME", true},
		{"last month of a closed mapping", "011254002932", "2018-09", "ACME", true},
		{"first month of the next owner", "011254002932", "2018-10", "GLOBEX", true},
		{"open-ended goes on", "011254002932", "2030-06", "GLOBEX", true},
		{"one-month mapping", "836060457634", "2018-10", "INITECH", true},
		{"after a one-month mapping", "836060457634", "2018-11", "", false},
		{"unknown account", "999999999999", "2018-10", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := OwnerAt(ms, tc.account, tc.month)
			if got != tc.want || ok != tc.ok {
				t.Errorf("OwnerAt(%s, %s) = %q, %v; want %q, %v", tc.account, tc.month, got, ok, tc.want, tc.ok)
			}
		})
	}
	owners := OwnersAt(ms, "2018-10")
	if fmt.Sprint(owners) != "map[011254002932:GLOBEX 836060457634:INITECH]" {
		t.Errorf("OwnersAt = %v", owners)
	}
}

func TestCheckOverlap(t *testing.T) {
	existing := []Mapping{
		{Account: "011254002932", Customer: "GLOBEX", From: "2018-10"},
		{Account: "836060457634", Customer: "ACME", From: "2018-01", Until: "2018-06"},
	}
	cases := []struct {
		name string
		m    Mapping
		want string // "" = accepted
	}{
		{"open-ended over open-ended", Mapping{Account: "011254002932", Customer: "ACME", From: "2018-11"},
			"account 011254002932 already belongs to GLOBEX from 2018-10 (open-ended); to move it, first end that mapping by unmapping the account from 2018-11, or choose months it does not cover"},
		{"earlier start running into an open-ended one", Mapping{Account: "011254002932", Customer: "ACME", From: "2018-01", Until: "2018-10"},
			"account 011254002932 already belongs to GLOBEX from 2018-10 (open-ended), which does not start before 2018-01, so mapping it would replace that mapping rather than move the account: " +
				"to replace it, first unmap the account from 2018-10, then map it; to move it, give a first day or month after 2018-10; or choose months it does not cover"},
		{"same customer again", Mapping{Account: "011254002932", Customer: "GLOBEX", From: "2019-01"}, "already belongs to GLOBEX"},
		{"inside a closed range", Mapping{Account: "836060457634", Customer: "GLOBEX", From: "2018-03", Until: "2018-04"},
			"account 836060457634 already belongs to ACME from 2018-01 until 2018-06"},
		{"ending in the first month of a closed range", Mapping{Account: "836060457634", Customer: "GLOBEX", From: "2017-01", Until: "2018-01"}, "ACME from 2018-01 until 2018-06"},
		{"starting in the last month of a closed range", Mapping{Account: "836060457634", Customer: "GLOBEX", From: "2018-06"}, "ACME from 2018-01 until 2018-06"},
		{"right before an open-ended one", Mapping{Account: "011254002932", Customer: "ACME", From: "2018-01", Until: "2018-09"}, ""},
		{"right after a closed range", Mapping{Account: "836060457634", Customer: "GLOBEX", From: "2018-07"}, ""},
		{"right before a closed range", Mapping{Account: "836060457634", Customer: "GLOBEX", From: "2017-01", Until: "2017-12"}, ""},
		{"another account", Mapping{Account: "123456789012", Customer: "ACME", From: "2018-10"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckOverlap(existing, tc.m)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var oe *OverlapError
			if !errors.As(err, &oe) {
				t.Fatalf("CheckOverlap = %v, want an *OverlapError", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("message %q\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

// TestPlace: mapping from a day or month inside another customer's
// mapping moves the account (that mapping ends the day or month before);
// anything else that overlaps is refused.
func TestPlace(t *testing.T) {
	existing := []Mapping{
		{Account: "111111111111", Customer: "ACME", From: "2025-01"},
		{Account: "222222222222", Customer: "ACME", From: "2025-01", Until: "2025-06"},
		{Account: "222222222222", Customer: "INITECH", From: "2025-09"},
	}
	cases := []struct {
		name      string
		m         Mapping
		want      string // the account's mappings afterwards, or the error
		wantMoved string // Move.String(), "" = no move
	}{
		{"on a day", Mapping{Account: "111111111111", Customer: "GLOBEX", From: "2025-03-15"},
			"[111111111111:ACME:2025-01:2025-03-14 111111111111:GLOBEX:2025-03-15:]",
			"Account 111111111111 moves from ACME to GLOBEX on 2025-03-15: ACME keeps it until 2025-03-14."},
		{"in a month", Mapping{Account: "111111111111", Customer: "GLOBEX", From: "2025-04"},
			"[111111111111:ACME:2025-01:2025-03 111111111111:GLOBEX:2025-04:]",
			"Account 111111111111 moves from ACME to GLOBEX in 2025-04: ACME keeps it until 2025-03."},
		{"inside a closed range, up to the next owner", Mapping{Account: "222222222222", Customer: "GLOBEX", From: "2025-05-02", Until: "2025-08"},
			"[222222222222:ACME:2025-01:2025-05-01 222222222222:INITECH:2025-09: 222222222222:GLOBEX:2025-05-02:2025-08]",
			"Account 222222222222 moves from ACME to GLOBEX on 2025-05-02: ACME keeps it until 2025-05-01."},
		{"where nobody owns it, no move", Mapping{Account: "222222222222", Customer: "GLOBEX", From: "2025-07", Until: "2025-08"},
			"[222222222222:ACME:2025-01:2025-06 222222222222:INITECH:2025-09: 222222222222:GLOBEX:2025-07:2025-08]", ""},
		{"running into a later owner is refused", Mapping{Account: "222222222222", Customer: "GLOBEX", From: "2025-05"},
			"account 222222222222 already belongs to INITECH from 2025-09 (open-ended)", ""},
		{"from the owner's first month is a replacement, refused", Mapping{Account: "111111111111", Customer: "GLOBEX", From: "2025-01"},
			"which does not start before 2025-01, so mapping it would replace that mapping rather than move the account: to replace it, first unmap the account from 2025-01", ""},
		{"from before the owner's first day is refused too", Mapping{Account: "111111111111", Customer: "GLOBEX", From: "2024-12-31"},
			"which does not start before 2024-12-31", ""},
		{"the same customer again is refused", Mapping{Account: "111111111111", Customer: "ACME", From: "2025-03-15"},
			"account 111111111111 already belongs to ACME from 2025-01 (open-ended); to move it", ""},
		{"without a first month nothing moves", Mapping{Account: "111111111111", Customer: "GLOBEX"},
			"already belongs to ACME", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var mine []Mapping
			for _, e := range existing {
				if e.Account == tc.m.Account {
					mine = append(mine, e)
				}
			}
			after, mv, err := Place(mine, tc.m)
			var got string
			if err != nil {
				got = err.Error()
			} else {
				var parts []string
				for _, m := range after {
					parts = append(parts, m.Account+":"+m.Customer+":"+m.From+":"+m.Until)
				}
				got = "[" + strings.Join(parts, " ") + "]"
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("Place(%+v) = %s\nwant %s", tc.m, got, tc.want)
			}
			var moved string
			if mv != nil {
				moved = mv.String()
			}
			if moved != tc.wantMoved {
				t.Errorf("move = %q, want %q", moved, tc.wantMoved)
			}
		})
	}
}

func TestUnmap(t *testing.T) {
	ms := []Mapping{
		{Account: "A00000000001", Customer: "ACME", From: "2018-01", Until: "2018-06"},
		{Account: "A00000000001", Customer: "GLOBEX", From: "2018-07"},
		{Account: "B00000000002", Customer: "ACME", From: "2018-01"},
	}
	cases := []struct {
		name, account, from string
		want                string // the resulting mappings, or the error
	}{
		{"without --from removes every mapping of the account", "A00000000001", "",
			"[B00000000002:ACME:2018-01:]"},
		{"from inside the open-ended mapping ends it the month before", "A00000000001", "2018-10",
			"[A00000000001:ACME:2018-01:2018-06 A00000000001:GLOBEX:2018-07:2018-09 B00000000002:ACME:2018-01:]"},
		{"from its first month removes that mapping", "A00000000001", "2018-07",
			"[A00000000001:ACME:2018-01:2018-06 B00000000002:ACME:2018-01:]"},
		{"from inside the first mapping ends it and removes the later one", "A00000000001", "2018-03",
			"[A00000000001:ACME:2018-01:2018-02 B00000000002:ACME:2018-01:]"},
		{"from across a year boundary", "B00000000002", "2019-01",
			"[A00000000001:ACME:2018-01:2018-06 A00000000001:GLOBEX:2018-07: B00000000002:ACME:2018-01:2018-12]"},
		{"an unmapped account is an error", "C00000000003", "", "account C00000000003 is not mapped to any customer"},
		{"a malformed month is an error", "A00000000001", "2017-01x", `from "2017-01x" is not a month: write it as YYYY-MM, e.g. 2018-10, or YYYY-MM-DD for a day inside a month, e.g. 2018-10-15`},
		{"a month before everything removes everything", "A00000000001", "2017-01", "[B00000000002:ACME:2018-01:]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Unmap(append([]Mapping(nil), ms...), tc.account, tc.from)
			text := ""
			if err != nil {
				text = err.Error()
			} else {
				var parts []string
				for _, m := range got {
					parts = append(parts, m.Account+":"+m.Customer+":"+m.From+":"+m.Until)
				}
				text = "[" + strings.Join(parts, " ") + "]"
			}
			if text != tc.want {
				t.Errorf("Unmap(%s, %q) =\n  %s\nwant\n  %s", tc.account, tc.from, text, tc.want)
			}
		})
	}
	closed := []Mapping{{Account: "A00000000001", Customer: "ACME", From: "2018-01", Until: "2018-06"}}
	if _, err := Unmap(closed, "A00000000001", "2018-07"); err == nil || err.Error() != "account A00000000001 is not mapped to any customer from 2018-07 on" {
		t.Errorf("unmapping after a closed mapping: %v", err)
	}
}

func TestUnmapChanges(t *testing.T) {
	ms := []Mapping{
		{Account: "A00000000001", Customer: "ACME", From: "2018-01", Until: "2018-06"},
		{Account: "A00000000001", Customer: "GLOBEX", From: "2018-07"},
		{Account: "B00000000002", Customer: "ACME", From: "2018-01"},
	}
	cases := []struct {
		name, account, from string
		want                string // before -> after per change, or the error
	}{
		{"from inside the open-ended mapping ends it", "A00000000001", "2018-10",
			"GLOBEX:2018-07: -> GLOBEX:2018-07:2018-09"},
		{"from its first month removes it", "A00000000001", "2018-07",
			"GLOBEX:2018-07: -> removed"},
		{"from inside the first ends it and removes the later owner's", "A00000000001", "2018-03",
			"ACME:2018-01:2018-06 -> ACME:2018-01:2018-02; GLOBEX:2018-07: -> removed"},
		{"without a month every mapping of the account goes", "A00000000001", "",
			"ACME:2018-01:2018-06 -> removed; GLOBEX:2018-07: -> removed"},
		{"another account is not touched", "B00000000002", "2019-01",
			"ACME:2018-01: -> ACME:2018-01:2018-12"},
		{"what is not mapped is an error", "C00000000003", "", "account C00000000003 is not mapped to any customer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := UnmapChanges(ms, tc.account, tc.from)
			var parts []string
			for _, c := range got {
				text := c.Before.Customer + ":" + c.Before.From + ":" + c.Before.Until + " -> "
				if c.After == nil {
					text += "removed"
				} else {
					text += c.After.Customer + ":" + c.After.From + ":" + c.After.Until
				}
				parts = append(parts, text)
			}
			text := strings.Join(parts, "; ")
			if err != nil {
				text = err.Error()
			}
			if text != tc.want {
				t.Errorf("UnmapChanges(%s, %q) =\n  %s\nwant\n  %s", tc.account, tc.from, text, tc.want)
			}
		})
	}
}

func TestAssignment(t *testing.T) {
	const acct = "A00000000001"
	cases := []struct {
		name     string
		existing []Mapping
		start    string // the earliest imported month
		period   string // the month the account is unassigned in
		want     string // from:until
	}{
		{"never mapped: from the earliest month on", nil, "2024-01", "2024-10", "2024-01:"},
		{"after an earlier owner's mapping ended", []Mapping{{Account: acct, Customer: "ACME", From: "2023-01", Until: "2024-03"}},
			"2024-01", "2024-10", "2024-04:"},
		{"an earlier mapping ended before the earliest month", []Mapping{{Account: acct, Customer: "ACME", From: "2022-01", Until: "2022-12"}},
			"2024-01", "2024-10", "2024-01:"},
		{"until a later owner's mapping starts", []Mapping{{Account: acct, Customer: "GLOBEX", From: "2025-02"}},
			"2024-01", "2024-10", "2024-01:2025-01"},
		{"between two owners, the nearest later one bounds it", []Mapping{
			{Account: acct, Customer: "ACME", From: "2023-01", Until: "2024-05"},
			{Account: acct, Customer: "GLOBEX", From: "2025-06"},
			{Account: acct, Customer: "INITECH", From: "2024-12", Until: "2025-03"},
		}, "2024-01", "2024-10", "2024-06:2024-11"},
		{"other accounts do not bound it", []Mapping{{Account: "B00000000002", Customer: "ACME", From: "2023-01", Until: "2024-05"}},
			"2024-01", "2024-10", "2024-01:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := Assignment(tc.existing, acct, "NEW", tc.start, tc.period)
			if got := m.From + ":" + m.Until; got != tc.want || m.Customer != "NEW" || m.Account != acct {
				t.Errorf("Assignment = %+v, want %s for NEW", m, tc.want)
			}
		})
	}
}

func TestMappingValidate(t *testing.T) {
	cases := []struct {
		name  string
		m     Mapping
		field string
		want  string
	}{
		{"valid open-ended", Mapping{Account: "011254002932", Customer: "ACME", From: "2018-10"}, "", ""},
		{"valid Azure subscription", Mapping{Account: "3f2a9c1e-5b7d-4e8a-9c6f-2d4b8e1a7c05", Customer: "ACME", From: "2018-10", Until: "2018-10"}, "", ""},
		{"empty account", Mapping{Customer: "ACME", From: "2018-10"}, "account", "account is empty"},
		{"account with a space", Mapping{Account: "0112 5400 2932", Customer: "ACME", From: "2018-10"}, "account", "contains spaces"},
		{"leading zero dropped by a spreadsheet", Mapping{Account: "11254002932", Customer: "ACME", From: "2018-10"}, "account", "11 digits: AWS account ids have 12; a spreadsheet may have dropped its leading zeros (011254002932?)"},
		{"bad customer id", Mapping{Account: "011254002932", Customer: "AC ME", From: "2018-10"}, "customer", "customer id \"AC ME\" contains ' '"},
		{"malformed from", Mapping{Account: "011254002932", Customer: "ACME", From: "10/2018"}, "from", `from "10/2018" is not a month`},
		{"missing from", Mapping{Account: "011254002932", Customer: "ACME"}, "from", `from "" is not a month`},
		{"malformed until", Mapping{Account: "011254002932", Customer: "ACME", From: "2018-10", Until: "2018-1"}, "until", `until "2018-1" is not a month`},
		{"until before from", Mapping{Account: "011254002932", Customer: "ACME", From: "2018-10", Until: "2018-09"}, "until", "until 2018-09 is before from 2018-10"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.m.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ps Problems
			if !errors.As(err, &ps) || !strings.Contains(strings.Join(ps.Of(tc.field), "\n"), tc.want) {
				t.Fatalf("Validate = %v, want on %s: %q", err, tc.field, tc.want)
			}
		})
	}
}

func TestOwnerChanges(t *testing.T) {
	acme := Mapping{Account: "011254002932", Customer: "ACME", From: "2018-01"}
	months := []string{"2018-09", "2018-10", "2018-11", "2018-10"} // unsorted, with a repeat
	cases := []struct {
		name          string
		before, after []Mapping
		want          string
	}{
		{"nothing changes", []Mapping{acme}, []Mapping{acme}, "[]"},
		{"unmapped entirely", []Mapping{acme}, nil,
			"[{011254002932 2018-09 ACME } {011254002932 2018-10 ACME } {011254002932 2018-11 ACME }]"},
		{"ended after October", []Mapping{acme}, []Mapping{{Account: "011254002932", Customer: "ACME", From: "2018-01", Until: "2018-10"}},
			"[{011254002932 2018-11 ACME }]"},
		{"moved to GLOBEX from October", []Mapping{acme}, []Mapping{
			{Account: "011254002932", Customer: "ACME", From: "2018-01", Until: "2018-09"},
			{Account: "011254002932", Customer: "GLOBEX", From: "2018-10"}},
			"[{011254002932 2018-10 ACME GLOBEX} {011254002932 2018-11 ACME GLOBEX}]"},
		{"a new account mapped in November", nil, []Mapping{{Account: "836060457634", Customer: "INITECH", From: "2018-11"}},
			"[{836060457634 2018-11  INITECH}]"},
		{"same owner, other months outside those looked at", []Mapping{acme}, []Mapping{{Account: "011254002932", Customer: "ACME", From: "2018-09"}}, "[]"},
		{"two accounts, by account", []Mapping{{Account: "999999999999", Customer: "X", From: "2018-11"}, acme},
			[]Mapping{{Account: "011254002932", Customer: "GLOBEX", From: "2018-11"}, {Account: "011254002932", Customer: "ACME", From: "2018-01", Until: "2018-10"}},
			"[{011254002932 2018-11 ACME GLOBEX} {999999999999 2018-11 X }]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := OwnerChanges(tc.before, tc.after, months)
			type whole struct{ Account, Month, From, To string } // whole-month changes: no Day
			var months []whole
			for _, c := range got {
				if c.Day != "" {
					t.Errorf("%+v changes part of a month", c)
				}
				months = append(months, whole{c.Account, c.Month, c.From, c.To})
			}
			if s := fmt.Sprint(months); s != tc.want && !(tc.want == "[]" && len(got) == 0) {
				t.Errorf("OwnerChanges = %s, want %s", s, tc.want)
			}
		})
	}
	if len(OwnerChanges([]Mapping{acme}, nil, nil)) != 0 {
		t.Error("changes found in no month")
	}
}

// TestCheckAccountTakesEveryProvidersIDs: a customer owns AWS accounts,
// Azure subscriptions, Google Cloud projects and Oracle Cloud
// compartments or tenancies alike; only a short all-digit id, an AWS id
// a spreadsheet cut, is refused.
func TestCheckAccountTakesEveryProvidersIDs(t *testing.T) {
	for _, tc := range []struct {
		name, account string
		ok            bool
	}{
		{"AWS account", "011254002932", true},
		{"Azure subscription", "64e355d7-997c-491d-b0c1-8414dccfcf42", true},
		{"Google Cloud project", "my-project-123456", true},
		{"Oracle Cloud tenancy", "ocid1.tenancy.oc1..aaaaaaaa2fs7w19bi9iupcjqv8zayogd78eziinl2hu7rkdvmuhsavhbmkma", true},
		{"Oracle Cloud compartment", "ocid1.compartment.oc1..aaaaaaaalnpeq6xok1okj8vknc9pzancima2g8bwvk2kk9jgwhgycacrie2q", true},
		{"AWS id without its leading zero", "11254002932", false},
		{"empty", "", false},
		{"with a space", "64e355d7 997c", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := CheckAccount(tc.account); (err == nil) != tc.ok {
				t.Errorf("CheckAccount(%q) = %v", tc.account, err)
			}
		})
	}
}
