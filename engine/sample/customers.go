package sample

import (
	"github.com/shopspring/decimal"

	"rebill/engine/customer"
)

// Customer ids of the sample set-up, for tests and for the window's tour.
const (
	CustomerAcme     = "ACME"
	CustomerContoso  = "CONTOSO"
	CustomerFabrikam = "FABRIKAM"
	CustomerGlobex   = "GLOBEX"
	CustomerInitech  = "INITECH"
	CustomerUmbrella = "UMBRELLA"
)

// CustomerSetup returns the sample's reseller profile, customers, account
// mappings and one credit grant, for sample files whose first month is
// first (YYYY-MM, e.g. Options.Month of the first file). Save it with
// store.DB.ApplySetup.
//
// The set-up shows what the billing rules are about:
//   - two groups, "EMEA / Enterprise" and "Americas";
//   - the web shop's Reserved Instance (WebShopRI, owned by 012345678901,
//     ACME) is used by the API platform (305417826390, GLOBEX): a benefit
//     crossing from one customer to another;
//   - the API platform's Savings Plan covers the dev and test account
//     (690254183927), which belongs to INITECH in the first month and
//     moves to GLOBEX, the plan's owner, from the next: an effective-dated
//     mapping, and the same plan crossing customers in one month only;
//   - the payer's Reserved Instance is used by 561839204775 (UMBRELLA)
//     while the payer account 934672015588 itself is deliberately left
//     unassigned, as a distributor's shared payer usually is: its cost
//     shows under unassigned accounts.
func CustomerSetup(first string) customer.Setup {
	second := customer.AddMonths(first, 1)
	d := customer.Defaults{Currency: "USD", TermsDays: 30}
	pct := decimal.NewFromInt
	newCustomer := func(id, name, group string, contact customer.Contact) customer.Customer {
		c := d.New()
		c.ID, c.Name, c.Group, c.Contact = id, name, group, contact
		return c
	}

	acme := newCustomer(CustomerAcme, "Acme Retail Ltd", "EMEA / Enterprise", customer.Contact{
		Name: "Alice Martin", Email: "ap@acme-retail.example", Phone: "+44 20 7946 0101",
		Address: []string{"12 Harbour Street", "London E14 5AB"}, Country: "GB"})
	acme.TaxNumber = "GB 101 2020 30"
	acme.TaxRates = []customer.TaxRate{{Name: "VAT 20%", Percent: pct(20)}}
	acme.EInvoice = customer.BuyerEInvoice{Format: customer.EInvoicePeppol, VATID: "GB101202030",
		Address: "GB101202030", AddressScheme: "9932", Order: "PO-2026-118"}
	acme.Support = customer.SupportBusiness
	acme.Adjustment = pct(-3)
	acme.PricingRules = []customer.PricingRule{{Provider: "aws", ProductCode: "AmazonCloudFront", Percent: pct(-10)}}

	contoso := newCustomer(CustomerContoso, "Contoso Europe SARL", "EMEA / Enterprise", customer.Contact{
		Name: "Jean Dupont", Email: "factures@contoso.example", Address: []string{"8 rue de la Gare", "75010 Paris"}, Country: "FR"})
	contoso.TaxNumber = "FR 40 123456789"
	contoso.TaxRates = []customer.TaxRate{{Name: "TVA 20%", Percent: pct(20)}}
	contoso.EInvoice = customer.BuyerEInvoice{Format: customer.EInvoiceFacturX, VATID: "FR40123456789",
		Address: "123456789", AddressScheme: "0002"}
	contoso.Support = customer.SupportDeveloper
	contoso.TermsDays = 45

	fabrikam := newCustomer(CustomerFabrikam, "Fabrikam Analytics GmbH", "EMEA / Enterprise", customer.Contact{
		Name: "Uwe Becker", Email: "rechnung@fabrikam.example", Address: []string{"Hafenstrasse 3", "20457 Hamburg"}, Country: "DE"})
	fabrikam.TaxNumber = "DE 123456789"
	fabrikam.TaxRates = []customer.TaxRate{{Name: "MwSt. 19%", Percent: pct(19)}}
	fabrikam.EInvoice = customer.BuyerEInvoice{Format: customer.EInvoiceXRechnung, VATID: "DE123456789",
		Address: "DE123456789", AddressScheme: "9930", Reference: "04011000-12345-67"}
	fabrikam.PricingRules = []customer.PricingRule{{Provider: "aws", BillingEntity: "AWS", ProductCode: "AmazonAthena", Percent: pct(5)}}

	globex := newCustomer(CustomerGlobex, "Globex Corporation", "Americas", customer.Contact{
		Name: "Hank Scorpio", Email: "payables@globex.example", Phone: "+1 555 0100",
		Address: []string{"1 Globex Way", "Cypress Creek, OR 97000"}, Country: "US"})
	globex.Support = customer.SupportFlat
	// Services from a UK seller to US businesses are outside the scope of
	// UK VAT (category O): no tax rates.
	globex.EInvoice = customer.BuyerEInvoice{Address: "150483782", AddressScheme: "0060", VATCategory: "O"} // its DUNS number
	globex.SupportFlat = pct(3)
	globex.Basis = customer.BasisRerated

	initech := newCustomer(CustomerInitech, "Initech LLC", "Americas", customer.Contact{
		Name: "Bill Lumbergh", Email: "accounts@initech.example", Address: []string{"4120 Freidrich Lane", "Austin, TX 78744"}, Country: "US"})
	initech.Recurring = []customer.RecurringCharge{{Description: "Managed DevOps service", Amount: pct(150), From: first}}
	initech.TermsDays = 15
	initech.EInvoice = customer.BuyerEInvoice{Address: "804735132", AddressScheme: "0060", Order: "4500012345", VATCategory: "O"}

	umbrella := newCustomer(CustomerUmbrella, "Umbrella Research Inc.", "Americas", customer.Contact{
		Name: "Alexia Ashford", Email: "billing@umbrella.example", Address: []string{"545 Raccoon Street", "Raccoon City, MO 63101"}, Country: "US"})
	umbrella.Adjustment = pct(5)
	umbrella.EInvoice = customer.BuyerEInvoice{Address: "556677889", AddressScheme: "0060", VATCategory: "O"}
	umbrella.Notes = "Uses the payer's t3.medium reservation: billed at on-demand."

	profile := customer.DefaultProfile()
	profile.CompanyName = "Nimbus Cloud Partners Ltd"
	profile.Address = []string{"7 Cloud Court", "Manchester M1 2AB", "United Kingdom"}
	profile.Country = "GB"
	profile.Email = "billing@nimbus-partners.example"
	profile.Phone = "+44 161 496 0000"
	profile.Website = "https://nimbus-partners.example"
	profile.TaxNumber = "GB 987 6543 21"
	profile.PaymentInstructions = "Bank transfer to Nimbus Cloud Partners Ltd, IBAN GB29 NWBK 6016 1331 9268 19, quoting the invoice number."
	profile.NumberFormat = "NCP-{YYYY}-{SEQ:5}"
	// What its e-invoices need: the VAT id (GB, so the seller's country),
	// a GLN as legal registration, a Peppol id under the UK VAT scheme,
	// and the bank account of the payment instructions.
	profile.EInvoice = customer.SellerEInvoice{VATID: "GB987654321", LegalID: "5060000000009", LegalScheme: "0088",
		Address: "GB987654321", AddressScheme: "9932", IBAN: "GB29NWBK60161331926819", BIC: "NWBKGB2L"}

	return customer.Setup{
		Profile:   &profile,
		Customers: []customer.Customer{acme, contoso, fabrikam, globex, initech, umbrella},
		Mappings: []customer.Mapping{
			{Account: "012345678901", Customer: CustomerAcme, From: first},
			{Account: "305417826390", Customer: CustomerGlobex, From: first},
			{Account: "447120958316", Customer: CustomerFabrikam, From: first},
			{Account: "561839204775", Customer: CustomerUmbrella, From: first},
			{Account: "690254183927", Customer: CustomerInitech, From: first, Until: first},
			{Account: "690254183927", Customer: CustomerGlobex, From: second},
			{Account: "778903316452", Customer: CustomerContoso, From: first},
		},
		Grants: []customer.Grant{{Customer: CustomerUmbrella, Amount: pct(200), Currency: "USD",
			Reason: "Migration incentive", Expires: customer.AddMonths(first, 3)}},
	}
}
