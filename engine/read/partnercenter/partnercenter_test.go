package partnercenter

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/lineitem"
	"rebill/engine/read"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// TestTieOutRules: Microsoft's rounding, worked by hand.
func TestTieOutRules(t *testing.T) {
	cases := []struct {
		name                  string
		price, qty, rate      string
		usage, seat           string
		subtotal, tieOutError string
	}{
		// 0.0456789 × 123.456 = 5.6393342784, cut to 5.63; × 0.92345 =
		// 5.1990235, cut to 5.19. Seat: 0.0456789 × 0.92345 = 0.0421821...,
		// cut to 0.04; × 123.456 = 4.93824.
		{"usage line", "0.0456789", "123.456", "0.92345", "5.19", "4.93824", "5.19", ""},
		// A refund is cut toward zero: -30.864 to -30.86; × 1.1 = -33.946
		// to -33.94. Seat: 13.58016 to 13.58, × -2.5 = -33.95.
		{"refund", "12.3456", "-2.5", "1.1", "-33.94", "-33.95", "-33.94", ""},
		// 10.999 × 3 = 32.997 to 32.99, × 0.85 = 28.0415 to 28.04. Seat:
		// 10.999 × 0.85 = 9.34915 to 9.34, × 3 = 28.02.
		{"seat line", "10.999", "3", "0.85", "28.04", "28.02", "28.02", ""},
		{"a cent off both rules", "10.999", "3", "0.85", "28.04", "28.02", "28.03", "the subtotal 28.03 does not tie out"},
		// At rate 1: 5.6393342784 cut to 5.63; seat 0.04 × 123.456 = 4.93824.
		{"the unrounded amount", "0.0456789", "123.456", "1", "5.63", "4.93824", "5.6393342784", "does not tie out"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, q, r := dec(tc.price), dec(tc.qty), dec(tc.rate)
			if got := UsageSubtotal(p, q, r); !got.Equal(dec(tc.usage)) {
				t.Errorf("usage rule %s, want %s", got, tc.usage)
			}
			if got := SeatSubtotal(p, q, r); !got.Equal(dec(tc.seat)) {
				t.Errorf("seat rule %s, want %s", got, tc.seat)
			}
			err := TieOut(dec(tc.subtotal), p, q, r)
			if tc.tieOutError == "" && err != nil || tc.tieOutError != "" && (err == nil || !strings.Contains(err.Error(), tc.tieOutError)) {
				t.Errorf("tie out: %v", err)
			}
		})
	}
}

// The headers below are Microsoft's documented columns of the two files
// (a subset, in the documented order). No public sample of either file
// exists: the rows are synthetic, built from the documentation.
var (
	usageHeader = strings.Split("PartnerId,PartnerName,CustomerId,CustomerName,InvoiceNumber,ProductId,SkuName,ProductName,PublisherName,"+
		"SubscriptionDescription,SubscriptionId,ChargeStartDate,ChargeEndDate,UsageDate,MeterCategory,MeterName,ResourceLocation,ResourceURI,"+
		"ChargeType,UnitPrice,Quantity,BillingPreTaxTotal,BillingCurrency,PricingPreTaxTotal,PricingCurrency,EffectiveUnitPrice,"+
		"PCToBCExchangeRate,EntitlementId,PartnerEarnedCreditPercentage,CreditPercentage,CreditType", ",")
	reconHeader = strings.Split("PartnerId,CustomerId,CustomerName,InvoiceNumber,OrderId,OrderDate,ProductId,SkuName,ProductName,ChargeType,"+
		"UnitPrice,Quantity,Subtotal,TaxTotal,Total,Currency,PublisherName,SubscriptionDescription,SubscriptionId,ChargeStartDate,ChargeEndDate,"+
		"EffectiveUnitPrice,BillableQuantity,PricingCurrency,PCToBCExchangeRate,PCToBCExchangeRateDate", ",")
)

const (
	partner      = "0e195b37-4574-4539-bc42-0e539b9684c0"
	customer     = "196e2273-9651-43a3-ba7e-7cbcd918fc40"
	subscription = "9ec51cfd-5ca7-4d76-8101-dd0a4abc5674"
)

func row(h []string, kv map[string]string) [][]byte {
	fields := make([][]byte, len(h))
	for i, c := range h {
		fields[i] = []byte(kv[c])
	}
	return fields
}

// TestDailyRatedUsage: partner earned credit of 15%: the list 0.1 × 10 ×
// 0.9 = 0.9 in the billing currency, the credit 15% of it, 0.135; the
// billed total 0.085 × 10 × 0.9 = 0.765.
func TestDailyRatedUsage(t *testing.T) {
	if f, ok := Family.Detect(usageHeader, read.CSV); !ok || f != Usage {
		t.Fatalf("detected %s %v", f, ok)
	}
	m, err := NewMapper(Usage, usageHeader)
	if err != nil {
		t.Fatal(err)
	}
	var it lineitem.Item
	err = m.Map(row(usageHeader, map[string]string{"PartnerId": partner, "CustomerId": customer, "ChargeStartDate": "9/1/2023",
		"UsageDate": "9/14/2023", "MeterCategory": "Virtual Machines", "ChargeType": "new", "UnitPrice": "0.1", "Quantity": "10",
		"BillingPreTaxTotal": "0.765", "BillingCurrency": "EUR", "PricingPreTaxTotal": "0.85", "PricingCurrency": "USD",
		"EffectiveUnitPrice": "0.085", "PCToBCExchangeRate": "0.9", "EntitlementId": subscription, "PartnerEarnedCreditPercentage": "15",
		"PublisherName": "Microsoft"}), &it)
	if err != nil {
		t.Fatal(err)
	}
	if it.Provider != lineitem.Azure || it.PayerAccount != partner || it.UsageAccount != subscription || it.BillingPeriod != "2023-09" ||
		it.Currency != "EUR" || !it.UnblendedCost.Equal(dec("0.765")) || !it.PublicOnDemandCost.Equal(dec("0.9")) ||
		!it.PartnerCredit.Equal(dec("0.135")) || it.Type != lineitem.Usage || it.InvoiceID != "" || it.BillingEntity != "Azure" {
		t.Fatalf("%+v", it)
	}
	if inv := lineitem.Validate(&it); inv != nil {
		t.Fatal(inv)
	}
}

// TestReconciliationLine: a line that ties out is read with its invoice;
// one that does not is refused naming the Subtotal column.
func TestReconciliationLine(t *testing.T) {
	if f, ok := Family.Detect(reconHeader, read.CSV); !ok || f != Recon {
		t.Fatalf("detected %s %v", f, ok)
	}
	line := map[string]string{"PartnerId": partner, "CustomerId": customer, "InvoiceNumber": "G002297372", "ChargeType": "new",
		"UnitPrice": "12", "Quantity": "3", "Subtotal": "28.02", "Currency": "EUR", "SubscriptionId": subscription, "ChargeStartDate": "9/1/2023",
		"EffectiveUnitPrice": "10.999", "BillableQuantity": "3", "PCToBCExchangeRate": "0.85", "PublisherName": "Microsoft Corporation"}
	m, err := NewMapper(Recon, reconHeader)
	if err != nil {
		t.Fatal(err)
	}
	var it lineitem.Item
	if err := m.Map(row(reconHeader, line), &it); err != nil {
		t.Fatal(err)
	}
	if it.InvoiceID != "G002297372" || it.Type != "Purchase" || !it.UnblendedCost.Equal(dec("28.02")) || it.UsageAccount != subscription {
		t.Fatalf("%+v", it)
	}
	line["Subtotal"] = "28.03"
	err = m.Map(row(reconHeader, line), &it)
	var fe *read.FieldError
	var te *TieOutError
	if !errors.As(err, &fe) || fe.Column != "Subtotal" || !errors.As(err, &te) || !te.Usage.Equal(dec("28.04")) || !te.Seat.Equal(dec("28.02")) {
		t.Fatalf("got %v", err)
	}
	line["Subtotal"], line["ChargeType"], line["BillableQuantity"] = "-28.02", "cancel", "-3"
	if err := m.Map(row(reconHeader, line), &it); err != nil || it.Type != lineitem.Refund || it.ChargeClass != lineitem.ClassCorrection {
		t.Fatalf("refund: %v %+v", err, it)
	}
}
