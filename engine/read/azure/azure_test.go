package azure

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/lineitem"
	"rebill/engine/read"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// mapOne maps one row of a header and its values, both comma-separated
// (no value holds a comma).
func mapOne(t *testing.T, format, header, values string) (lineitem.Item, error) {
	t.Helper()
	h := strings.Split(header, ",")
	m, err := NewMapper(format, h)
	if err != nil {
		t.Fatal(err)
	}
	var fields [][]byte
	for _, v := range strings.Split(values, ",") {
		fields = append(fields, []byte(v))
	}
	var it lineitem.Item
	err = m.Map(fields, &it)
	return it, err
}

// TestHeaderVariants: one charge written in each spelling of Microsoft's
// exports reads the same: subscription, payer, month, cost, currency.
func TestHeaderVariants(t *testing.T) {
	cases := []struct {
		name, format, header, values string
		payer, period                string
	}{
		{"EA, PascalCase, older names (Cost)", CostDetails,
			"BillingAccountId,BillingPeriodStartDate,SubscriptionId,Date,Cost,BillingCurrency,MeterCategory",
			"8611537,09/01/2023,9ec51cfd-5ca7-4d76-8101-dd0a4abc5674,09/22/2023,0.493152,USD,Virtual Machines", "8611537", "2023-09"},
		{"MCA, PascalCase, CostInBillingCurrency and BillingCurrencyCode", CostDetails,
			"BillingAccountId,BillingPeriodStartDate,SubscriptionId,Date,CostInBillingCurrency,BillingCurrencyCode,MeterCategory",
			"8611537,9/1/2023,9ec51cfd-5ca7-4d76-8101-dd0a4abc5674,9/22/2023,0.493152,usd,Virtual Machines", "8611537", "2023-09"},
		{"camelCase, no billing period: the date's month", CostDetails,
			"billingAccountId,billingPeriodStartDate,subscriptionId,date,costInBillingCurrency,billingCurrency,meterCategory",
			"8611537,,9ec51cfd-5ca7-4d76-8101-dd0a4abc5674,09/22/2023,0.493152,USD,Virtual Machines", "8611537", "2023-09"},
		{"ISO dates", CostDetails,
			"BillingAccountId,BillingPeriodStartDate,SubscriptionId,Date,CostInBillingCurrency,BillingCurrency,MeterCategory",
			"8611537,2023-09-01,9ec51cfd-5ca7-4d76-8101-dd0a4abc5674,2023-09-22,0.493152,USD,Virtual Machines", "8611537", "2023-09"},
		{"pay-as-you-go: the subscription is the payer", UsageDetails,
			"SubscriptionGuid,UsageDateTime,PreTaxCost,Currency,MeterCategory",
			"9ec51cfd-5ca7-4d76-8101-dd0a4abc5674,2023-09-22 00:00:00,0.493152,USD,Virtual Machines", "9ec51cfd-5ca7-4d76-8101-dd0a4abc5674", "2023-09"},
		{"German headers: the English name in brackets", UsageDetails,
			"Abonnement-GUID (SubscriptionGuid),UsageDateTime (UsageDateTime),PreTaxCost (PreTaxCost),Currency,Kategorie der Verbrauchseinheit (MeterCategory)",
			"9ec51cfd-5ca7-4d76-8101-dd0a4abc5674,2023-09-22,0.493152,USD,Virtual Machines", "9ec51cfd-5ca7-4d76-8101-dd0a4abc5674", "2023-09"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := strings.Split(tc.header, ",")
			if got, ok := detect(h, read.CSV); !ok || got != tc.format {
				t.Fatalf("detected %q %v", got, ok)
			}
			it, err := mapOne(t, tc.format, tc.header, tc.values)
			if err != nil {
				t.Fatal(err)
			}
			if it.Provider != lineitem.Azure || it.UsageAccount != "9ec51cfd-5ca7-4d76-8101-dd0a4abc5674" || it.PayerAccount != tc.payer ||
				it.BillingPeriod != tc.period || !it.UnblendedCost.Equal(dec("0.493152")) || it.Currency != "USD" ||
				it.ProductCode != "Virtual Machines" || !it.UsageStart.Equal(time.Date(2023, 9, 22, 0, 0, 0, 0, time.UTC)) {
				t.Fatalf("%+v", it)
			}
		})
	}
}

// TestCharges: each charge type's Type, category and class; usage a
// reservation or a savings plan covered stays distinct.
func TestCharges(t *testing.T) {
	cases := []struct{ chargeType, pricingModel, typ, category, class string }{
		{"Usage", "OnDemand", lineitem.Usage, lineitem.CategoryUsage, ""},
		{"Usage", "Spot", lineitem.Usage, lineitem.CategoryUsage, ""},
		{"Usage", "Reservation", lineitem.DiscountedUsage, lineitem.CategoryUsage, ""},
		{"Usage", "SavingsPlan", lineitem.SavingsPlanCoveredUsage, lineitem.CategoryUsage, ""},
		{"Purchase", "Reservation", "Purchase", lineitem.CategoryPurchase, ""},
		{"Refund", "Reservation", lineitem.Refund, lineitem.CategoryPurchase, lineitem.ClassCorrection},
		{"UnusedReservation", "Reservation", "UnusedReservation", lineitem.CategoryUsage, ""},
		{"UnusedSavingsPlan", "SavingsPlan", "UnusedSavingsPlan", lineitem.CategoryUsage, ""},
		{"RoundingAdjustment", "", "RoundingAdjustment", lineitem.CategoryAdjustment, ""},
		{"Tax", "", lineitem.Tax, lineitem.CategoryTax, ""},
		{"SomethingNew", "", "SomethingNew", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.chargeType+"/"+tc.pricingModel, func(t *testing.T) {
			typ, cat, class := Charge(tc.chargeType, tc.pricingModel)
			if typ != tc.typ || cat != tc.category || class != tc.class {
				t.Fatalf("%s %s %s", typ, cat, class)
			}
		})
	}
}

const amortizedHeader = "BillingAccountId,BillingPeriodStartDate,SubscriptionId,Date,Quantity,EffectivePrice,Cost,UnitPrice,PayGPrice,BillingCurrency," +
	"ChargeType,PricingModel,ProductOrderId,benefitId,PublisherType,PublisherName,Tags"

// TestAmortizedCommitments: in an amortized file a reservation's and a
// savings plan's usage are kept apart with their benefit's id; the
// purchase row names the buying subscription, which the usage rows after
// it inherit; the list cost is the pay-as-you-go price's.
func TestAmortizedCommitments(t *testing.T) {
	m, err := NewMapper(CostDetails, strings.Split(amortizedHeader, ","))
	if err != nil {
		t.Fatal(err)
	}
	const (
		ri     = "/providers/Microsoft.Capacity/reservationOrders/A965D46F-aedf-4176-8ff1-2617943b8960/reservations/f39d1c73-af74-4308-9083-fbf5efab37d1"
		riBuy  = "/providers/Microsoft.Capacity/reservationOrders/a965d46f-aedf-4176-8ff1-2617943b8960/reservations/"
		sp     = "/providers/Microsoft.BillingBenefits/savingsPlanOrders/802a9e8b-e860-4d5f-b63b-c5bdf7ee2446/savingsPlans/09ff8291-64ac-45fb-afed-b9b39dbd88d7"
		buyer  = "1caaa5a3-2b66-438e-8ab4-bce37d518c5d"
		user   = "9ec51cfd-5ca7-4d76-8101-dd0a4abc5674"
		common = "8611537,09/01/2023,"
	)
	rows := []struct {
		values                     string
		typ, commitment, owner     string
		cost, list                 string
		billingEntity, legalEntity string
	}{
		// Usage before the purchase row: the owner is not known yet.
		{common + user + ",09/03/2023,8,0.061644,0.493152,0.146,0.146,USD,Usage,Reservation,a965d46f-aedf-4176-8ff1-2617943b8960," + ri + ",Azure,,",
			lineitem.DiscountedUsage, ri, "", "0.493152", "1.168", "Azure", "Microsoft"},
		{common + buyer + ",09/21/2023,1,3.25,3.25,3.25,0,USD,Purchase,Reservation,a965d46f-aedf-4176-8ff1-2617943b8960," + riBuy + ",Azure,,",
			"Purchase", riBuy, buyer, "3.25", "3.25", "Azure", "Microsoft"},
		{common + user + ",09/22/2023,8,0.061644,0.493152,0.146,0.146,USD,Usage,Reservation,a965d46f-aedf-4176-8ff1-2617943b8960," + ri + ",Azure,,",
			lineitem.DiscountedUsage, ri, buyer, "0.493152", "1.168", "Azure", "Microsoft"},
		// 0.0187 × 0.32085564 = 0.006000000468; list 0.0416 × 0.32085564 = 0.013347594624.
		{common + user + ",09/03/2023,0.32085564,0.0187,0.006000000468,0.0416,0.0416,USD,Usage,SavingsPlan,802a9e8b-e860-4d5f-b63b-c5bdf7ee2446," + sp + ",Azure,Microsoft,",
			lineitem.SavingsPlanCoveredUsage, sp, "", "0.006000000468", "0.013347594624", "Azure", "Microsoft"},
		// 28 decimals are kept.
		{common + user + ",09/04/2023,1,0.1,0.1000000000000000000000000001,0.1,0.1,USD,Usage,OnDemand,,,Marketplace,Contoso Software,",
			lineitem.Usage, "", "", "0.1000000000000000000000000001", "0.1", MarketplaceEntity, "Contoso Software"},
	}
	for i, r := range rows {
		var fields [][]byte
		for _, v := range strings.Split(r.values, ",") {
			fields = append(fields, []byte(v))
		}
		var it lineitem.Item
		if err := m.Map(fields, &it); err != nil {
			t.Fatalf("row %d: %v", i+1, err)
		}
		if it.Type != r.typ || it.CommitmentDiscountID != r.commitment || it.CommitmentOwner != r.owner ||
			!it.UnblendedCost.Equal(dec(r.cost)) || !it.EffectiveCost.Equal(dec(r.cost)) || !it.PublicOnDemandCost.Equal(dec(r.list)) ||
			it.BillingEntity != r.billingEntity || it.LegalEntity != r.legalEntity {
			t.Errorf("row %d: type %s commitment %s owner %s cost %s list %s entity %s/%s", i+1, it.Type, it.CommitmentDiscountID,
				it.CommitmentOwner, it.UnblendedCost, it.PublicOnDemandCost, it.BillingEntity, it.LegalEntity)
		}
		if r.billingEntity == MarketplaceEntity && it.Publisher != "Contoso Software" {
			t.Errorf("row %d: publisher %q", i+1, it.Publisher)
		}
	}
}

// TestTags: the EA exports write the tags' object without its braces, the
// pay-as-you-go export with them.
func TestTags(t *testing.T) {
	header := "SubscriptionGuid,UsageDateTime,PreTaxCost,Currency,Tags"
	for _, cell := range []string{`"env": "prod","n": 3`, `{"env": "prod","n": 3}`} {
		m, err := NewMapper(UsageDetails, strings.Split(header, ","))
		if err != nil {
			t.Fatal(err)
		}
		var it lineitem.Item
		fields := [][]byte{[]byte("9ec51cfd-5ca7-4d76-8101-dd0a4abc5674"), []byte("2023-09-04"), []byte("1"), []byte("USD"), []byte(cell)}
		if err := m.Map(fields, &it); err != nil {
			t.Fatal(err)
		}
		if len(it.Tags) != 2 || it.Tags[0] != (lineitem.Tag{Key: "env", Value: "prod"}) || it.Tags[1] != (lineitem.Tag{Key: "n", Value: "3"}) {
			t.Errorf("%s: %v", cell, it.Tags)
		}
	}
}

// TestRefusals: a bad value is refused naming its column as the file
// spells it; a header lacking a required column names it.
func TestRefusals(t *testing.T) {
	header := "BillingAccountId,BillingPeriodStartDate,SubscriptionId,Date,Cost,BillingCurrency,Tags"
	cases := []struct{ name, values, column, want string }{
		{"a date of month 13", "8611537,09/01/2023,9ec51cfd-5ca7-4d76-8101-dd0a4abc5674,13/22/2023,1,USD,", "Date", "not a real date"},
		{"a date of two-digit year", "8611537,09/01/2023,9ec51cfd-5ca7-4d76-8101-dd0a4abc5674,9/22/23,1,USD,", "Date", "not a date (M/D/YYYY"},
		{"no date", "8611537,,9ec51cfd-5ca7-4d76-8101-dd0a4abc5674,,1,USD,", "Date", "the date is empty"},
		{"a cost in words", "8611537,09/01/2023,9ec51cfd-5ca7-4d76-8101-dd0a4abc5674,09/22/2023,one,USD,", "Cost", "not a number"},
		{"tags that are no JSON", "8611537,09/01/2023,9ec51cfd-5ca7-4d76-8101-dd0a4abc5674,09/22/2023,1,USD,env=prod", "Tags", "not a JSON object of tags"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mapOne(t, CostDetails, header, tc.values)
			var fe *read.FieldError
			if !errors.As(err, &fe) || fe.Column != tc.column || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v", err)
			}
		})
	}
	if _, err := NewMapper(CostDetails, []string{"SubscriptionId", "Date", "BillingCurrency"}); err == nil || err.Error() != "required column missing: CostInBillingCurrency" {
		t.Fatalf("missing cost: %v", err)
	}
	if _, err := NewMapper(CostDetails, []string{"SubscriptionId", "Date", "Cost", "CostInBillingCurrency", "BillingCurrency"}); err == nil ||
		!strings.Contains(err.Error(), "columns 3 (Cost) and 4 (CostInBillingCurrency) are the same column") {
		t.Fatalf("two costs: %v", err)
	}
}

// TestInvoiceID: an MCA export's invoice id is the line's, which makes its
// month final once every line has one.
func TestInvoiceID(t *testing.T) {
	it, err := mapOne(t, CostDetails, "BillingAccountId,SubscriptionId,Date,CostInBillingCurrency,BillingCurrency,InvoiceId",
		"5e98e158-xxxx:1234_2019-05-31,9ec51cfd-5ca7-4d76-8101-dd0a4abc5674,2023-09-22,1,EUR,G012345678")
	if err != nil || it.InvoiceID != "G012345678" || it.PayerAccount != "5e98e158-xxxx:1234_2019-05-31" || it.Currency != "EUR" {
		t.Fatalf("%+v %v", it, err)
	}
}

// TestCostView: the actual and the amortized cost exports have the same
// columns; the rows with a benefit tell them apart. Actual: the purchase
// carries the cost, the usage it covers costs nothing. Amortized: the
// covered usage carries its share, the purchase row is zero (or absent),
// the unused part is a row of its own.
func TestCostView(t *testing.T) {
	const (
		ri     = "/providers/Microsoft.Capacity/reservationOrders/a965d46f-aedf-4176-8ff1-2617943b8960/reservations/f39d1c73-af74-4308-9083-fbf5efab37d1"
		sub    = "1caaa5a3-2b66-438e-8ab4-bce37d518c5d"
		common = "8611537,09/01/2023," + sub + ",09/03/2023,1,"
		// price,cost,unit price,payg price,currency,charge type,pricing model,order,benefit,publisher type,name,tags
		purchase     = common + "3.25,3.25,3.25,0,USD,Purchase,Reservation,a965d46f-aedf-4176-8ff1-2617943b8960," + ri + ",Azure,,"
		purchaseZero = common + "0,0,0,0,USD,Purchase,Reservation,a965d46f-aedf-4176-8ff1-2617943b8960," + ri + ",Azure,,"
		usedFree     = common + "0,0,0.146,0.146,USD,Usage,Reservation,a965d46f-aedf-4176-8ff1-2617943b8960," + ri + ",Azure,,"
		usedCharged  = common + "0.061644,0.061644,0.146,0.146,USD,Usage,Reservation,a965d46f-aedf-4176-8ff1-2617943b8960," + ri + ",Azure,,"
		unused       = common + "0.5,0.5,0.5,0,USD,UnusedReservation,Reservation,a965d46f-aedf-4176-8ff1-2617943b8960," + ri + ",Azure,,"
		onDemand     = common + "0.1,0.1,0.1,0.1,USD,Usage,OnDemand,,,Azure,,"
	)
	for _, tc := range []struct {
		name string
		rows []string
		want string
	}{
		{"actual: the purchase costs, the usage it covers is free", []string{onDemand, purchase, usedFree}, read.ViewActual},
		{"amortized: the covered usage costs", []string{onDemand, usedCharged}, read.ViewAmortized},
		{"amortized: a zero purchase row", []string{purchaseZero, usedCharged}, read.ViewAmortized},
		{"amortized: the unused reservation", []string{unused}, read.ViewAmortized},
		{"no benefit: both exports are the same", []string{onDemand}, ""},
		{"rows that disagree tell nothing", []string{purchase, usedCharged}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := NewMapper(CostDetails, strings.Split(amortizedHeader, ","))
			if err != nil {
				t.Fatal(err)
			}
			for i, row := range tc.rows {
				var fields [][]byte
				for _, v := range strings.Split(row, ",") {
					fields = append(fields, []byte(v))
				}
				var it lineitem.Item
				if err := m.Map(fields, &it); err != nil {
					t.Fatalf("row %d: %v", i+1, err)
				}
			}
			if got := m.CostView(); got != tc.want {
				t.Errorf("cost view %q, want %q", got, tc.want)
			}
		})
	}
}
