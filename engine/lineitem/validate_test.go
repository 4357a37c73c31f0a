package lineitem

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// valid is an item every rule accepts.
func valid() Item {
	return Item{
		Provider: AWS, BillingPeriod: "2024-02", PayerAccount: "836060457634", UsageAccount: "011254002932",
		Type: Usage, BillingEntity: "AWS", ProductCode: "AmazonEC2", Region: "us-east-1",
		ReservationARN: "arn:aws:ec2:us-east-1:836060457634:reserved-instances/abc",
		SavingsPlanARN: "arn:aws:savingsplans::305417826390:savingsplan/9e2b7d41",
		Currency:       "USD", UnblendedCost: decimal.RequireFromString("0.0000014724"),
		Description: "t2.micro, Linux – ünïcode", Tags: []Tag{{Key: "Name", Value: "web"}},
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name   string
		change func(it *Item)
		field  Field
		tag    int
		want   string // the whole message
	}{
		{"valid", func(*Item) {}, 0, 0, ""},
		{"invalid UTF-8 in an account", func(it *Item) { it.UsageAccount = "12345\xff789012" }, FieldUsageAccount, 0,
			`"12345\xff789012" is not valid UTF-8 text`},
		{"payer not a number", func(it *Item) { it.PayerAccount = "payer-not-a-number" }, FieldPayerAccount, 0,
			`"payer-not-a-number" is not an account id: an AWS account id has 12 digits`},
		{"11-digit account", func(it *Item) { it.UsageAccount = "11254002932" }, FieldUsageAccount, 0,
			`"11254002932" is not an account id: an AWS account id has 12 digits`},
		{"empty payer", func(it *Item) { it.PayerAccount = "" }, FieldPayerAccount, 0,
			`"" is empty: an AWS account id has 12 digits`},
		{"unknown currency", func(it *Item) { it.Currency = "ZZZ" }, FieldCurrency, 0, `"ZZZ" is not an ISO 4217 currency code`},
		{"lower-case currency", func(it *Item) { it.Currency = "usd" }, FieldCurrency, 0, `"usd" is not an ISO 4217 currency code`},
		{"empty currency", func(it *Item) { it.Currency = "" }, FieldCurrency, 0, `"" is not an ISO 4217 currency code`},
		{"month 13", func(it *Item) { it.BillingPeriod = "2024-13" }, FieldBillingPeriod, 0,
			`"2024-13" is not a billing month (YYYY-MM, month 01 to 12)`},
		{"month 00", func(it *Item) { it.BillingPeriod = "2024-00" }, FieldBillingPeriod, 0, `"2024-00" is not a billing month`},
		{"NUL in a description", func(it *Item) { it.Description = "a\x00b" }, FieldDescription, 0, `"a\x00b" contains a NUL byte`},
		{"NUL after non-ASCII text", func(it *Item) { it.ProductName = "é\x00" }, FieldProductName, 0, `contains a NUL byte`},
		{"invalid UTF-8 in a tag value", func(it *Item) { it.Tags = []Tag{{"a", "b"}, {"Name", "w\xc3"}} }, FieldTagValue, 1,
			`"w\xc3" is not valid UTF-8 text`},
		{"NUL in a tag key", func(it *Item) { it.Tags = []Tag{{"N\x00", "x"}} }, FieldTagKey, 0, `contains a NUL byte`},
		{"reservation owned by a malformed account", func(it *Item) { it.ReservationARN = "arn:aws:ec2:us-east-1:8360:reserved-instances/abc" },
			FieldReservationARN, 0, `does not name its owner account in its 5th field: an AWS account id has 12 digits`},
		{"Savings Plan ARN without an account field", func(it *Item) { it.SavingsPlanARN = "not an arn" }, FieldSavingsPlanARN, 0,
			`"not an arn" does not name its owner account`},
		{"exponent too large", func(it *Item) { it.BlendedCost = decimal.New(1, 9999) }, FieldBlendedCost, 0,
			"is not an amount Rebill can hold: its exponent is outside ±30"},
		{"exponent too small", func(it *Item) { it.UsageAmount = decimal.New(1, -9999) }, FieldUsageAmount, 0, "its exponent is outside ±30"},
		{"29 integer digits", func(it *Item) { it.SavingsPlanEffectiveCost = decimal.New(1, 28) }, FieldSavingsPlanEffectiveCost, 0,
			"more than 28 digits before the decimal point"},
		{"unknown provider", func(it *Item) { it.Provider = "alibaba" }, FieldProvider, 0, `"alibaba" is not a provider Rebill reads`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			it := valid()
			tc.change(&it)
			inv := Validate(&it)
			if tc.want == "" {
				if inv != nil {
					t.Fatalf("refused: %v", inv)
				}
				return
			}
			if inv == nil {
				t.Fatal("accepted")
			}
			if inv.Field != tc.field || inv.Tag != tc.tag || !strings.Contains(inv.Error(), tc.want) {
				t.Fatalf("got %s (tag %d): %v; want %s (tag %d): %s", inv.Field, inv.Tag, inv, tc.field, tc.tag, tc.want)
			}
			if len(inv.Error()) > 300 {
				t.Fatalf("message of %d bytes", len(inv.Error()))
			}
		})
	}
}

func TestInvalidQuotesAtMost100Characters(t *testing.T) {
	it := valid()
	it.Description = strings.Repeat("x", 1<<20) + "\x00"
	inv := Validate(&it)
	if inv == nil || inv.Error() != `"`+strings.Repeat("x", 100)+`"… contains a NUL byte` {
		t.Fatalf("got %.300v", inv)
	}
}

// TestCheckerSkipsOnlyRepeatedValues: a value checked on the item before
// is trusted, any other is checked, whichever field it moves to.
func TestCheckerSkipsOnlyRepeatedValues(t *testing.T) {
	var c Checker
	a := valid()
	if inv := c.Check(&a); inv != nil {
		t.Fatal(inv)
	}
	if inv := c.Check(&a); inv != nil {
		t.Fatal(inv)
	}
	b := valid()
	b.UsageAccount = b.PayerAccount[:11] + "x"
	if inv := c.Check(&b); inv == nil || inv.Field != FieldUsageAccount {
		t.Fatalf("got %v", inv)
	}
	d := valid()
	d.Currency = d.PayerAccount // checked before as an account, not as a currency
	if inv := c.Check(&d); inv == nil || inv.Field != FieldCurrency {
		t.Fatalf("got %v", inv)
	}
}

// TestCheckerIsValidateOnShapes: on any item Validate refuses for a shape,
// a fresh Checker refuses it too, with the same field.
func TestCheckerIsValidateOnShapes(t *testing.T) {
	for _, change := range []func(*Item){
		func(it *Item) { it.PayerAccount = "12" },
		func(it *Item) { it.Currency = "ZZZ" },
		func(it *Item) { it.BillingPeriod = "2024-13" },
		func(it *Item) { it.SavingsPlanARN = "x" },
		func(it *Item) { it.Provider = "" },
	} {
		it := valid()
		change(&it)
		var c Checker
		want, got := Validate(&it), c.Check(&it)
		if want == nil || got == nil || want.Field != got.Field {
			t.Errorf("Validate %v, Check %v", want, got)
		}
	}
}

func TestValidAccount(t *testing.T) {
	for id, want := range map[string]bool{
		"011254002932": true, "836060457634": true, "000000000000": true,
		"": false, "11254002932": false, "0112540029321": false, "01125400293a": false, "٠١١٢٥٤٠٠٢٩٣٢": false,
	} {
		if got := AWS.ValidAccount(id); got != want {
			t.Errorf("ValidAccount(%q) = %v", id, got)
		}
	}
}

func BenchmarkChecker(b *testing.B) {
	var c Checker
	it := valid()
	for i := 0; i < b.N; i++ {
		if inv := c.Check(&it); inv != nil {
			b.Fatal(inv)
		}
	}
}
