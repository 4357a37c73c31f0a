package document_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
)

// The fixtures are real invoices made the way the application makes
// them: line items into a billing month, a statement, a draft, approval.

const period = "2026-09"

var (
	now   = time.Date(2026, 10, 5, 9, 30, 0, 0, time.UTC)
	issue = invoice.NewDate(2026, 10, 5)
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// logo is a small PNG drawn in code (a navy square and a teal bar), so the
// fixtures need no binary file and encode identically every run.
var logo = func() []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 240, 80))
	for y := 0; y < 80; y++ {
		for x := 0; x < 240; x++ {
			switch {
			case x < 80 && y < 80 && (x-40)*(x-40)+(y-40)*(y-40) < 38*38:
				img.Set(x, y, color.NRGBA{22, 58, 99, 255})
			case x >= 96 && y >= 28 && y < 52:
				img.Set(x, y, color.NRGBA{0, 150, 136, uint8(255 - x/2)})
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}()

var seller = func() customer.Profile {
	p := customer.DefaultProfile()
	p.CompanyName = "Nimbus Cloud Partners Ltd"
	p.Address = []string{"10 Harbour Road", "Dublin 2, D02 X285", "Ireland"}
	p.Email = "billing@nimbus.example"
	p.Phone = "+353 1 555 0100"
	p.Website = "nimbus.example"
	p.TaxNumber = "IE1234567X"
	p.PaymentInstructions = "Bank transfer to Nimbus Cloud Partners Ltd\nIBAN IE29 AIBK 9311 5212 3456 78 · BIC AIBKIE2D"
	if err := p.SetLogo(logo); err != nil {
		panic(err)
	}
	return p
}()

// li is one line item of a fixture month.
type li struct {
	acct, code, name, cost, typ, entity, seller, currency string
}

// statementOf computes a customer's statement of a month of line items;
// rates answers USD to EUR and JPY lookups.
func statementOf(t testing.TB, c customer.Customer, opt billing.Options, ledger billing.Ledger, items []li) *billing.Statement {
	t.Helper()
	rates := func(from, to, p string) (decimal.Decimal, string, error) {
		switch from + to {
		case "USDEUR":
			return dec("0.9137"), "ECB reference rate 2026-09-30", nil
		case "USDJPY":
			return dec("149.123"), "BoJ reference rate 2026-09-30", nil
		}
		return decimal.Zero, "", billing.ErrNoRate
	}
	m, err := billing.NewMonth(billing.Config{Period: period, Owners: map[string]string{items[0].acct: c.ID}, Rates: rates})
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range items {
		it := i.item()
		if err := m.Add(&it); err != nil {
			t.Fatal(err)
		}
	}
	lastMonth = m
	st, err := m.Statement(c, ledger, opt)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// lastMonth is the month statementOf last computed, for the tests of
// the detail's charges.
var lastMonth *billing.Month

// item is the fixture's line item as the store would give it.
func (i li) item() lineitem.Item {
	it := lineitem.Item{Provider: lineitem.AWS, BillingPeriod: period, UsageAccount: i.acct, Type: i.typ,
		BillingEntity: i.entity, LegalEntity: i.seller, ProductCode: i.code, ProductName: i.name,
		Currency: i.currency, UnblendedCost: dec(i.cost), BlendedCost: dec(i.cost), UsageType: "usage"}
	if it.Type == "" {
		it.Type = lineitem.Usage
	}
	if it.BillingEntity == "" {
		it.BillingEntity = "AWS"
	}
	if it.Currency == "" {
		it.Currency = "USD"
	}
	return it
}

func draftOf(t testing.TB, id string, c customer.Customer, opt billing.Options, ledger billing.Ledger, items []li) invoice.Invoice {
	t.Helper()
	d, err := invoice.NewDraft(id, statementOf(t, c, opt, ledger, items), c, seller, now)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func approve(t testing.TB, d invoice.Invoice, next int) invoice.Invoice {
	t.Helper()
	n := invoice.InvoiceNumbering(seller.NumberFormat, next)
	o, _, err := d.Approve(n, issue, now)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// muellerItems is a German customer's month, billed by AWS in USD and
// invoiced in EUR.
var muellerItems = []li{
	{acct: "210987654321", code: "AmazonEC2", name: "Amazon Elastic Compute Cloud", cost: "4210.331"},
	{acct: "210987654321", code: "AmazonS3", name: "Amazon Simple Storage Service", cost: "312.0071"},
	{acct: "210987654321", code: "AmazonRDS", name: "Amazon Relational Database Service", cost: "1280.5"},
	{acct: "210987654321", code: "AmazonCloudFront", name: "Amazon CloudFront", cost: "96.204"},
	{acct: "210987654321", code: "AWSDataTransfer", name: "AWS Data Transfer", cost: "143.9"},
	{acct: "210987654321", code: "AmazonCloudWatch", name: "AmazonCloudWatch", cost: "41.18"},
	{acct: "210987654321", code: "awskms", name: "AWS Key Management Service", cost: "12.0"},
	{acct: "210987654321", code: "prodfirewall", name: "Next-Gen Firewall (hourly)", cost: "220", entity: lineitem.MarketplaceEntity, seller: "Example Security GmbH"},
	{acct: "210987654321", code: "AmazonEC2", name: "Amazon Elastic Compute Cloud", cost: "-150", typ: lineitem.Credit},
}

var mueller = customer.Customer{ID: "MUELLER", Name: "Müller GmbH", Currency: "EUR", TermsDays: 14,
	Contact: customer.Contact{Name: "Jürgen Weiß", Email: "buchhaltung@mueller.example",
		Address: []string{"Königstraße 12", "70173 Stuttgart"}, Country: "Germany"},
	TaxNumber: "DE811907980", Support: customer.SupportBusiness, Adjustment: dec("-4"),
	TaxRates: []customer.TaxRate{{Name: "USt. 19%", Percent: dec("19")}}}

// tanakaItems is a Japanese customer's month invoiced in yen.
var tanakaItems = []li{
	{acct: "333322221111", code: "AmazonEC2", name: "Amazon Elastic Compute Cloud", cost: "2875.44"},
	{acct: "333322221111", code: "AmazonS3", name: "Amazon Simple Storage Service", cost: "120.337"},
	{acct: "333322221111", code: "AmazonDynamoDB", name: "Amazon DynamoDB", cost: "77.71"},
	{acct: "333322221111", code: "AmazonSageMaker", name: "Amazon SageMaker", cost: "1044.0"},
}

var tanaka = customer.Customer{ID: "TANAKA", Name: "Tanaka Trading K.K.", Currency: "JPY", TermsDays: 30,
	Contact: customer.Contact{Name: "Accounts Payable", Email: "ap@tanaka.example",
		Address: []string{"1-2-3 Marunouchi, Chiyoda-ku", "Tokyo 100-0005"}, Country: "Japan"},
	TaxNumber: "T1234567890123", TaxRates: []customer.TaxRate{{Name: "Consumption tax 10%", Percent: dec("10")}}}

// longItems is a large customer: many services, long Marketplace names,
// enough for several pages.
func longItems() []li {
	codes := []struct{ code, name string }{
		{"AmazonEC2", "Amazon Elastic Compute Cloud"}, {"AWSLambda", "AWS Lambda"}, {"AmazonECS", "Amazon Elastic Container Service"},
		{"AmazonEKS", "Amazon Elastic Kubernetes Service"}, {"AmazonLightsail", "Amazon Lightsail"}, {"AWSBatch", "AWS Batch"},
		{"AmazonS3", "Amazon Simple Storage Service"}, {"AmazonEFS", "Amazon Elastic File System"}, {"AWSBackup", "AWS Backup"},
		{"AmazonFSx", "Amazon FSx"}, {"AmazonS3GlacierDeepArchive", "Amazon S3 Glacier Deep Archive"},
		{"AmazonRDS", "Amazon Relational Database Service"}, {"AmazonDynamoDB", "Amazon DynamoDB"}, {"AmazonElastiCache", "Amazon ElastiCache"},
		{"AmazonRedshift", "Amazon Redshift"}, {"AmazonDocDB", "Amazon DocumentDB (with MongoDB compatibility)"}, {"AmazonNeptune", "Amazon Neptune"},
		{"AmazonVPC", "Amazon Virtual Private Cloud"}, {"AWSDataTransfer", "AWS Data Transfer"}, {"AmazonCloudFront", "Amazon CloudFront"},
		{"AmazonRoute53", "Amazon Route 53"}, {"AWSELB", "Elastic Load Balancing"}, {"AWSDirectConnect", "AWS Direct Connect"},
		{"AWSGlobalAccelerator", "AWS Global Accelerator"}, {"AmazonApiGateway", "Amazon API Gateway"}, {"AWSTransitGateway", "AWS Transit Gateway"},
		{"AmazonAthena", "Amazon Athena"}, {"ElasticMapReduce", "Amazon Elastic MapReduce"}, {"AmazonKinesis", "Amazon Kinesis"},
		{"AWSGlue", "AWS Glue"}, {"AmazonES", "Amazon OpenSearch Service"}, {"AmazonQuickSight", "Amazon QuickSight"}, {"AmazonMSK", "Amazon Managed Streaming for Apache Kafka"},
		{"AmazonSageMaker", "Amazon SageMaker"}, {"AmazonBedrock", "Amazon Bedrock"}, {"AmazonRekognition", "Amazon Rekognition"},
		{"AmazonTextract", "Amazon Textract"}, {"AmazonTranslate", "Amazon Translate"},
		{"AmazonCloudWatch", "AmazonCloudWatch"}, {"AWSCloudTrail", "AWS CloudTrail"}, {"AWSConfig", "AWS Config"}, {"AWSSystemsManager", "AWS Systems Manager"},
		{"awskms", "AWS Key Management Service"}, {"awswaf", "AWS WAF"}, {"AmazonGuardDuty", "Amazon GuardDuty"}, {"AWSSecretsManager", "AWS Secrets Manager"},
		{"AWSSecurityHub", "AWS Security Hub"}, {"AmazonInspectorV2", "Amazon Inspector"}, {"AmazonCognito", "Amazon Cognito"},
		{"AWSCodeBuild", "AWS CodeBuild"}, {"AWSCodePipeline", "AWS CodePipeline"}, {"AWSXRay", "AWS X-Ray"},
		{"AmazonWorkSpaces", "Amazon WorkSpaces"}, {"AmazonConnect", "Amazon Connect"}, {"AmazonSES", "Amazon Simple Email Service"},
		{"AmazonSNS", "Amazon Simple Notification Service"}, {"AWSQueueService", "Amazon Simple Queue Service"}, {"AWSIoT", "AWS IoT Core"},
	}
	var out []li
	for i, c := range codes {
		out = append(out, li{acct: "444455556666", code: c.code, name: c.name, cost: fmt.Sprintf("%d.%04d", 17+i*i*13%4000, (i*7919)%10000)})
	}
	for i, n := range []string{
		"Enterprise Observability Platform – Annual Commitment, Usage-Based Overage Billed Monthly",
		"Managed Threat Detection and Response (24×7 SOC) for Cloud Workloads, per Protected Instance",
		"Data Integration Suite",
		"Vector Database Cloud – Serverless Read/Write Units",
		"Free Trial: Log Analytics",
	} {
		cost := fmt.Sprintf("%d.25", 100+i*431)
		if i == 4 {
			cost = "0"
		}
		out = append(out, li{acct: "444455556666", code: fmt.Sprintf("mkt%02dxyzabc", i), name: n, cost: cost,
			entity: lineitem.MarketplaceEntity, seller: []string{"Observa Inc.", "Sentinel Ops Ltd", "Integrata S.r.l.", "VectorWorks", "LogCo"}[i]})
	}
	return out
}

var bigCorp = customer.Customer{ID: "BIGCORP", Name: "Big Corporation International plc", Currency: "USD", TermsDays: 45,
	Contact: customer.Contact{Name: "Finance Operations", Email: "cloud-invoices@bigcorp.example",
		Address: []string{"200 Aldersgate Street", "London EC1A 4HD"}, Country: "United Kingdom"},
	TaxNumber: "GB123456789", Support: customer.SupportEnterprise, Adjustment: dec("-7.5"),
	TaxRates:  []customer.TaxRate{{Name: "VAT 20%", Percent: dec("20")}},
	Recurring: []customer.RecurringCharge{{Description: "Managed services retainer", Amount: dec("2500"), From: "2026-01"}}}

var bigCorpCredit = billing.Ledger{Grants: []customer.Grant{{ID: 7, Customer: "BIGCORP", Amount: dec("5000"), Currency: "USD", Reason: "Migration incentive", Expires: "2026-12"}}}

var allOptions = billing.Options{Credits: true, Tax: true, Marketplace: true}

// The fixture invoices.
func muellerDraft(t testing.TB) invoice.Invoice {
	return draftOf(t, "41", mueller, allOptions, billing.Ledger{}, muellerItems)
}

func tanakaOpen(t testing.TB) invoice.Invoice {
	return approve(t, draftOf(t, "42", tanaka, billing.Options{Tax: true}, billing.Ledger{}, tanakaItems), 87)
}

func bigCorpOpen(t testing.TB) invoice.Invoice {
	return approve(t, draftOf(t, "43", bigCorp, allOptions, bigCorpCredit, longItems()), 88)
}
