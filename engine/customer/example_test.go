package customer_test

import (
	"fmt"
	"os"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
)

func ExampleCustomer_RuleFor() {
	c := customer.Customer{PricingRules: []customer.PricingRule{
		{Provider: "aws", Percent: decimal.NewFromInt(5)},
		{ProductCode: "AmazonEC2", Percent: decimal.NewFromInt(-10)},
		{ProductCode: "AmazonEC2", UsageType: "BoxUsage:m5.large", Percent: decimal.NewFromInt(-15)},
	}}
	for _, usage := range []string{"BoxUsage:m5.large", "BoxUsage:t3.micro"} {
		r, _ := c.RuleFor("aws", "AWS", "AmazonEC2", usage)
		fmt.Printf("%s: %s%%\n", usage, r.Percent)
	}
	r, _ := c.RuleFor("aws", "AWS", "AmazonS3", "TimedStorage-ByteHrs")
	fmt.Printf("S3: %s%%\n", r.Percent)
	// Output:
	// BoxUsage:m5.large: -15%
	// BoxUsage:t3.micro: -10%
	// S3: 5%
}

func ExampleOwnerAt() {
	ms := []customer.Mapping{
		{Account: "011254002932", Customer: "ACME", From: "2018-01", Until: "2018-09"},
		{Account: "011254002932", Customer: "GLOBEX", From: "2018-10"},
	}
	for _, month := range []string{"2017-12", "2018-09", "2018-10"} {
		owner, ok := customer.OwnerAt(ms, "011254002932", month)
		fmt.Println(month, owner, ok)
	}
	// Output:
	// 2017-12  false
	// 2018-09 ACME true
	// 2018-10 GLOBEX true
}

func ExampleCheckOverlap() {
	existing := []customer.Mapping{{Account: "011254002932", Customer: "GLOBEX", From: "2018-10"}}
	err := customer.CheckOverlap(existing, customer.Mapping{Account: "011254002932", Customer: "ACME", From: "2019-01"})
	fmt.Println(err)
	// Output:
	// account 011254002932 already belongs to GLOBEX from 2018-10 (open-ended); to move it, first end that mapping by unmapping the account from 2019-01, or choose months it does not cover
}

func ExamplePlace() {
	existing := []customer.Mapping{{Account: "111111111111", Customer: "ACME", From: "2025-01"}}
	ms, mv, _ := customer.Place(existing, customer.Mapping{Account: "111111111111", Customer: "GLOBEX", From: "2025-03-15"})
	fmt.Println(mv)
	for _, m := range ms {
		fmt.Println(m.Customer, m.Months())
	}
	// Output:
	// Account 111111111111 moves from ACME to GLOBEX on 2025-03-15: ACME keeps it until 2025-03-14.
	// ACME from 2025-01 until 2025-03-14
	// GLOBEX from 2025-03-15 (open-ended)
}

func ExampleUnmap() {
	ms := []customer.Mapping{{Account: "011254002932", Customer: "GLOBEX", From: "2018-10"}}
	ms, _ = customer.Unmap(ms, "011254002932", "2019-01")
	fmt.Println(ms[0].Months())
	// Output:
	// from 2018-10 until 2018-12
}

func ExampleAllocate() {
	grants := []customer.Grant{
		{ID: 1, Customer: "ACME", Amount: decimal.NewFromInt(50), Currency: "USD"},                     // never expires
		{ID: 2, Customer: "ACME", Amount: decimal.NewFromInt(30), Currency: "USD", Expires: "2024-06"}, // expires first
	}
	used := []customer.Use{{Grant: 2, Amount: decimal.NewFromInt(10)}}
	fmt.Println("balance", customer.Balance(grants, used, "2024-03"))
	for _, u := range customer.Allocate(grants, used, "2024-03", decimal.NewFromInt(45)) {
		fmt.Printf("grant %d pays %s\n", u.Grant, u.Amount)
	}
	// Output:
	// balance 70
	// grant 2 pays 20
	// grant 1 pays 25
}

func ExampleProfile_FormatNumber() {
	p := customer.DefaultProfile()
	fmt.Println(p.FormatNumber(42, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)))
	// Output:
	// INV-2026-00042
}

func ExampleWriteCustomersCSV() {
	c := customer.Defaults{Currency: "EUR", TermsDays: 30}.New()
	c.ID, c.Name, c.Group = "ACME", "Acme GmbH", "EMEA / Enterprise"
	c.TaxRates = []customer.TaxRate{{Name: "VAT 19%", Percent: decimal.NewFromInt(19)}}
	c.PricingRules = []customer.PricingRule{{Provider: "aws", ProductCode: "AmazonEC2", Percent: decimal.NewFromInt(-10)}}
	if err := customer.WriteCustomersCSV(os.Stdout, []customer.Customer{c}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// id,name,group,contact_name,email,phone,address,country,tax_number,currency,payment_terms_days,tax_rates,support_plan,support_flat_percent,adjustment_percent,pricing_rules,recurring,cost_basis,notes,support_changes,provider_discounts,price_table,einvoice_format,vat_id,electronic_address,electronic_address_scheme,buyer_reference,order_reference,vat_category,exemption_reason
	// ACME,Acme GmbH,EMEA / Enterprise,,,,,,,EUR,30,VAT 19%=19,none,0,0,aws||AmazonEC2|=-10,,rerated,,,,,,,,,,,,
}
