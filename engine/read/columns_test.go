package read

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// The columns of a made-up family: a cost, an account spelled two ways,
// a billing period and a note no file needs.
const (
	testCost = iota
	testAccount
	testStart
	testEnd
	testNote
)

var testColumns = NewColumns([][]string{
	testCost:    {"Cost"},
	testAccount: {"AccountId", "account_id"},
	testStart:   {"PeriodStart"},
	testEnd:     {"PeriodEnd"},
	testNote:    {"Note"},
})

var testRequired = [][]int{{testCost}, {testAccount}, {testStart}}

func TestColumnsRows(t *testing.T) {
	cases := []struct {
		name   string
		header []string
		want   string // the error; "" for none
		col    []int  // without an error, the field of each column
	}{
		{"every column", []string{"cost", "ACCOUNT_ID", "PeriodStart", "PeriodEnd", "Note"}, "", []int{0, 1, 2, 3, 4}},
		{"required only", []string{"PeriodStart", "AccountId", "Cost"}, "", []int{2, 1, 0, -1, -1}},
		{"one name twice", []string{"Cost", "AccountId", "Cost", "PeriodStart"},
			"columns 1 and 3 are both named Cost: keep one of them", nil},
		{"two spellings of one column", []string{"Cost", "AccountId", "PeriodStart", "account_id"},
			"columns 2 (AccountId) and 4 (account_id) are the same column: keep one of them", nil},
		// Missing columns are named by their first spelling, sorted.
		{"missing", []string{"Note", "Cost"}, "required columns missing: AccountId, PeriodStart", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := testColumns.Rows(tc.header, testRequired)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Fatalf("error %q, want %q", got, tc.want)
			}
			if err == nil && !slices.Equal(r.Col, tc.col) {
				t.Errorf("columns %v, want %v", r.Col, tc.col)
			}
		})
	}
}

func TestColumnsErrorAt(t *testing.T) {
	header := []string{"Cost", "Odd", "cost", "Odder"}
	odd := errors.New("odd")
	if err := testColumns.ErrorAt(header, 1, odd); err != odd {
		t.Errorf("ErrorAt(1) = %v, want odd: Cost is found twice only at column 3", err)
	}
	want := "columns 1 (Cost) and 3 (cost) are the same column: keep one of them"
	if err := testColumns.ErrorAt(header, 2, odd); err == nil || err.Error() != want {
		t.Errorf("ErrorAt(2) = %v, want %q", err, want)
	}
}

func TestRowStr(t *testing.T) {
	r, err := testColumns.Rows([]string{"account_id", "Cost", "PeriodStart"}, testRequired)
	if err != nil {
		t.Fatal(err)
	}
	row := func(fields ...string) {
		t.Helper()
		b := make([][]byte, len(fields))
		for i, f := range fields {
			b[i] = []byte(f)
		}
		if err := r.Start(b); err != nil {
			t.Fatal(err)
		}
	}
	row("111122223333", "1.5", "2024-09-01")
	first := r.Str(testAccount)
	if first != "111122223333" {
		t.Fatalf("Str = %q, want 111122223333", first)
	}
	// The next row repeats the account in fields of its own: the string
	// of the row before is returned, not a new one.
	row("111122223333", "2", "2024-09-01")
	if again := r.Str(testAccount); unsafe.StringData(again) != unsafe.StringData(first) {
		t.Errorf("a repeated value gave a new string")
	}
	row("", "2", "2024-09-01")
	if s := r.Str(testAccount); s != "" {
		t.Errorf("Str of an empty field = %q, want \"\"", s)
	}
	row(`\N`, "2", "2024-09-01")
	if s := r.Str(testAccount); s != "" {
		t.Errorf(`Str of \N = %q, want ""`, s)
	}
	if s := r.Str(testNote); s != "" || r.Field(testNote) != nil {
		t.Errorf("Str of an absent column = %q, want \"\"", s)
	}
	if r.Bad() != nil {
		t.Fatalf("Bad = %v before any value that is not text", r.Bad())
	}
	if err := r.Start([][]byte{[]byte("1")}); err == nil || err.Error() != "has 1 fields, the header has 3" {
		t.Errorf("a short row: %v", err)
	}
}

func TestRowNotText(t *testing.T) {
	r, err := testColumns.Rows([]string{"account_id", "Cost", "PeriodStart"}, testRequired)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start([][]byte{[]byte("1111\x0022223333"), []byte("1"), []byte("2024-09-01")}); err != nil {
		t.Fatal(err)
	}
	r.Str(testAccount)
	var fe *FieldError
	if !errors.As(r.Bad(), &fe) {
		t.Fatalf("Bad = %v, want a *FieldError", r.Bad())
	}
	// The column as this file spells it, not its first spelling.
	if fe.Column != "account_id" || !strings.HasSuffix(fe.Err.Error(), "contains a NUL byte") {
		t.Errorf("Bad = column %q: %v", fe.Column, fe.Err)
	}
	// The value was not kept: the same bytes on the next row are refused
	// again rather than taken from the row before.
	r.Start([][]byte{[]byte("1111\x0022223333"), []byte("1"), []byte("2024-09-01")})
	if r.Bad() != nil {
		t.Fatalf("Start kept the row before's error")
	}
	r.Str(testAccount)
	if r.Bad() == nil {
		t.Errorf("a value that is not text was refused only once")
	}
}

func TestRowNames(t *testing.T) {
	r, err := testColumns.Rows([]string{"account_id", "Cost", "PeriodStart", "PeriodEnd"}, testRequired)
	if err != nil {
		t.Fatal(err)
	}
	if h := r.Heading(testAccount); h != "account_id" {
		t.Errorf("Heading = %q, want account_id", h)
	}
	if h := r.Heading(testNote); h != "" {
		t.Errorf("Heading of an absent column = %q, want \"\"", h)
	}
	// An error about an absent column names its first spelling.
	if err := r.Err(testNote, errors.New("is wrong")); err.Error() != "column Note: is wrong" {
		t.Errorf("Err = %v", err)
	}
	var p Period
	r.Start([][]byte{[]byte("1"), []byte("1"), []byte("2024-09-01"), []byte("2024-10-01")})
	if month, err := r.Month(&p, testStart, testEnd); month != "2024-09" || err != nil {
		t.Errorf("Month = %q, %v; want 2024-09", month, err)
	}
	r.Start([][]byte{[]byte("1"), []byte("1"), []byte("2024-09-01"), []byte("2024-11-01")})
	var fe *FieldError
	if _, err := r.Month(&p, testStart, testEnd); !errors.As(err, &fe) || fe.Column != "PeriodEnd" {
		t.Errorf("Month of a two-month period: %v, want an error about PeriodEnd", err)
	}
	r.Start([][]byte{[]byte("1"), []byte("1"), []byte("2024-09-31"), []byte("")})
	if _, err := r.Month(&p, testStart, testEnd); !errors.As(err, &fe) || fe.Column != "PeriodStart" {
		t.Errorf("Month of 31 September: %v, want an error about PeriodStart", err)
	}
}
