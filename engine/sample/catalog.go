package sample

import "strings"

// The synthetic payer family. Account numbers, ARNs and sellers are made up;
// prices are close to AWS's public list prices so that totals look familiar.

// PayerAccount is the management (payer) account of the synthetic family. It
// owns one Reserved Instance whose benefit lands in another account, pays the
// family's Business support and runs a little usage of its own.
const PayerAccount = "934672015588"

// UsageAccounts are the linked accounts of the synthetic family, in the order
// the sample customer set-up names them. The first keeps a leading zero, so an
// importer that turns account ids into numbers is caught at once.
//
//	012345678901  web shop      owns RI ec2 m5.large (shared with 305417826390), uses a free Marketplace trial
//	305417826390  API platform  owns the Savings Plan (shared with 690254183927), uses the web shop's RI
//	447120958316  analytics     owns RI ec2 c5.xlarge (used only by itself), buys Marketplace software; gets a Refund
//	561839204775  data and ML   uses the payer's RI t3.medium
//	690254183927  dev and test  uses the Savings Plan of 305417826390; gets a Credit
//	778903316452  EU shop       invoiced by Amazon Web Services EMEA SARL, with VAT lines
var UsageAccounts = []string{
	"012345678901",
	"305417826390",
	"447120958316",
	"561839204775",
	"690254183927",
	"778903316452",
}

// Commitment is one Reserved Instance or Savings Plan of the synthetic family:
// who bought it and whose usage it discounts. The app's re-rating rules hinge
// on exactly this (benefit crossing from one customer to another).
type Commitment struct {
	ARN    string   // reservation/ReservationARN or savingsPlan/SavingsPlanARN; the owner is its 5th ':' field
	Owner  string   // account that bought it and pays its RIFee or SavingsPlanRecurringFee
	UsedBy []string // accounts with DiscountedUsage or SavingsPlanCoveredUsage lines for it
}

// ARNs of the family's commitments, fixed whatever the seed so that tests and
// the sample customer set-up can name them.
const (
	// WebShopRI is 3 x m5.large Linux in us-east-1, no upfront; its benefit
	// is shared between the web shop and the API platform.
	WebShopRI = "arn:aws:ec2:us-east-1:012345678901:reserved-instances/3f7c2a9e-5b1d-4e8a-9c6f-2d4b8e1a7c05"
	// AnalyticsRI is 2 x c5.xlarge Linux in us-west-2, no upfront, used by its owner only.
	AnalyticsRI = "arn:aws:ec2:us-west-2:447120958316:reserved-instances/b81e4d2c-07a3-4f6b-9d15-6ce2a0f3b947"
	// PayerRI is 4 x t3.medium Linux in us-east-1 bought by the payer; its
	// benefit lands in the data and ML account.
	PayerRI = "arn:aws:ec2:us-east-1:934672015588:reserved-instances/5d0a9f63-e2b8-4c71-a4de-8b3f17c6e220"
	// APISavingsPlan is a 1-year no-upfront EC2 Instance Savings Plan (m6i
	// family, eu-central-1) at 0.35 USD per hour, owned by the API platform
	// and covering usage there and in the dev and test account.
	APISavingsPlan = "arn:aws:savingsplans::305417826390:savingsplan/9e2b7d41-6c3a-4f58-b1e0-7a5d3c9f2e84"
)

// Commitments lists the family's Reserved Instances and Savings Plan.
var Commitments = []Commitment{
	{ARN: WebShopRI, Owner: "012345678901", UsedBy: []string{"012345678901", "305417826390"}},
	{ARN: AnalyticsRI, Owner: "447120958316", UsedBy: []string{"447120958316"}},
	{ARN: PayerRI, Owner: PayerAccount, UsedBy: []string{"561839204775"}},
	{ARN: APISavingsPlan, Owner: "305417826390", UsedBy: []string{"305417826390", "690254183927"}},
}

// Account indexes used inside the generator: 0 is the payer, 1..6 follow
// UsageAccounts.
const (
	acPayer = iota
	acWeb
	acAPI
	acAnalytics
	acData
	acDev
	acEU
	numAccounts
)

// accountIDs is indexed by the ac* constants.
var accountIDs = [numAccounts]string{PayerAccount,
	"012345678901", "305417826390", "447120958316", "561839204775", "690254183927", "778903316452"}

// accountWeight is each account's share (percent) of the ordinary resources.
var accountWeight = [numAccounts]int{4, 24, 20, 14, 14, 10, 14}

// costCenter is the resourceTags/user:CostCenter each account's teams use.
var costCenter = [numAccounts]string{"CC-0001", "CC-1100", "CC-1200", "CC-1300", "CC-1400", "CC-1500", "CC-2100"}

// VAT on the EU account (lineItem/TaxType "VAT"), in percent.
const vatPercent = 20

// Entities of bill/InvoicingEntity and lineItem/LegalEntity.
const (
	entityInc  = "Amazon Web Services, Inc."
	entityEMEA = "Amazon Web Services EMEA SARL"
	marketName = "AWS Marketplace"
)

type amountKind uint8

const (
	kindHours   amountKind = iota // one instance hour, sometimes a partial one
	kindMonthly                   // a monthly quantity (GB-Mo, metrics, keys) spread over the month's hours
	kindGB                        // a measured quantity with up to 10 decimals, sometimes tiny
	kindCount                     // a count of requests
)

type resKind uint8

const (
	resNone resKind = iota
	resHex          // prefix + 16 hex digits: i-0..., vol-0..., nat-0...
	resName         // prefix + name + "-" + serial: an ARN that names the resource
	resUUID         // prefix + UUID-shaped id
	resCF           // CloudFront distribution id E + 13 letters
)

// tmpl is one priced SKU of ordinary usage. Text fields hold CSV-ready
// (escaped) values once init has run.
type tmpl struct {
	code, usageType, op, desc string
	pname, family, region     string
	itype, unit               string
	rate                      int64 // scaled
	kind                      amountKind
	lo, hi                    int64 // kindMonthly: whole units per resource; kindGB: max scaled; kindCount: max count
	partial                   bool  // kindHours: some lines are partial hours
	az                        bool
	res                       resKind
	resFmt                    string // resource id prefix; {R} region, {A} account
	name                      string // resource and Name tag stem; "" means untagged
	taxSlot                   int    // 1-based index into taxCodes for the EU account's VAT, 0 if none

	azs     [3]string
	prefix  [numAccounts]string
	svcCode string
}

func hours(code, ut, op, desc, pname, family, region, itype, rate string, az bool, res resKind, resFmt, name string) tmpl {
	return tmpl{code: code, usageType: ut, op: op, desc: desc, pname: pname, family: family, region: region,
		itype: itype, unit: "Hrs", rate: scaledOf(rate), kind: kindHours, partial: itype != "", az: az,
		res: res, resFmt: resFmt, name: name}
}

func monthly(code, ut, op, desc, pname, family, region, unit, rate string, lo, hi int64, az bool, res resKind, resFmt, name string) tmpl {
	return tmpl{code: code, usageType: ut, op: op, desc: desc, pname: pname, family: family, region: region,
		unit: unit, rate: scaledOf(rate), kind: kindMonthly, lo: lo, hi: hi, az: az, res: res, resFmt: resFmt, name: name}
}

func measured(code, ut, op, desc, pname, family, region, unit, rate, max string, res resKind, resFmt, name string) tmpl {
	return tmpl{code: code, usageType: ut, op: op, desc: desc, pname: pname, family: family, region: region,
		unit: unit, rate: scaledOf(rate), kind: kindGB, hi: scaledOf(max), res: res, resFmt: resFmt, name: name}
}

func counted(code, ut, op, desc, pname, family, region, unit, rate string, max int64, res resKind, resFmt, name string) tmpl {
	return tmpl{code: code, usageType: ut, op: op, desc: desc, pname: pname, family: family, region: region,
		unit: unit, rate: scaledOf(rate), kind: kindCount, hi: max, res: res, resFmt: resFmt, name: name}
}

const (
	ec2  = "Amazon Elastic Compute Cloud"
	s3   = "Amazon Simple Storage Service"
	use1 = "us-east-1"
)

// Ordinary templates. Instance families and regions avoid the ones the
// family's RIs (m5, t3 in us-east-1; c5 in us-west-2) and Savings Plan (m6i in
// eu-central-1) cover, so no on-demand line could have been discounted.
var templates = []tmpl{
	// 0..3 EC2 instances
	hours("AmazonEC2", "BoxUsage:r6i.xlarge", "RunInstances", "$0.252 per On Demand Linux r6i.xlarge Instance Hour",
		ec2, "Compute Instance", use1, "r6i.xlarge", "0.252", true, resHex, "i-0", "app"),
	hours("AmazonEC2", "BoxUsage:t3a.large", "RunInstances:0002", "$0.1104 per On Demand Windows t3a.large Instance Hour",
		ec2, "Compute Instance", use1, "t3a.large", "0.1104", true, resHex, "i-0", "win"),
	hours("AmazonEC2", "USE2-BoxUsage:c6i.2xlarge", "RunInstances", "$0.34 per On Demand Linux c6i.2xlarge Instance Hour",
		ec2, "Compute Instance", "us-east-2", "c6i.2xlarge", "0.34", true, resHex, "i-0", "worker"),
	hours("AmazonEC2", "EU-BoxUsage:m6g.large", "RunInstances", "$0.086 per On Demand Linux m6g.large Instance Hour",
		ec2, "Compute Instance", "eu-west-1", "m6g.large", "0.086", true, resHex, "i-0", "shop"),
	// 4..6 EBS
	monthly("AmazonEC2", "EBS:VolumeUsage.gp3", "CreateVolume-Gp3",
		"$0.08 per GB-month of General Purpose (gp3) provisioned storage - US East (Northern Virginia)",
		ec2, "Storage", use1, "GB-Mo", "0.08", 20, 1000, true, resHex, "vol-0", "data"),
	monthly("AmazonEC2", "EBS:SnapshotUsage", "CreateSnapshot",
		"$0.05 per GB-Month of snapshot data stored - US East (Northern Virginia)",
		ec2, "Storage Snapshot", use1, "GB-Mo", "0.05", 10, 2000, false, resHex, "arn:aws:ec2:{R}:{A}:snapshot/snap-0", "backup"),
	monthly("AmazonEC2", "EU-EBS:VolumeUsage.gp3", "CreateVolume-Gp3",
		"$0.088 per GB-month of General Purpose (gp3) provisioned storage - EU (Ireland)",
		ec2, "Storage", "eu-west-1", "GB-Mo", "0.088", 20, 500, true, resHex, "vol-0", "shopdata"),
	// 7..8 NAT gateway (billed under AmazonEC2, product family NAT Gateway)
	hours("AmazonEC2", "NatGateway-Hours", "NatGateway", "$0.045 per NAT Gateway Hour",
		ec2, "NAT Gateway", use1, "", "0.045", false, resHex, "arn:aws:ec2:{R}:{A}:natgateway/nat-0", "nat"),
	measured("AmazonEC2", "NatGateway-Bytes", "NatGateway", "$0.045 per GB Data Processed by NAT Gateways",
		ec2, "NAT Gateway", use1, "GB", "0.045", "10", resHex, "arn:aws:ec2:{R}:{A}:natgateway/nat-0", "nat"),
	// 9 public IPv4 (AmazonVPC)
	hours("AmazonVPC", "PublicIPv4:InUseAddress", "AssociateAddressVPC", "$0.005 per In-use public IPv4 address per hour",
		"Amazon Virtual Private Cloud", "VPC Public IPv4 Address", use1, "", "0.005", false, resHex,
		"arn:aws:ec2:{R}:{A}:elastic-ip/eipalloc-0", "ip"),
	// 10..13 S3
	monthly("AmazonS3", "TimedStorage-ByteHrs", "StandardStorage", "$0.023 per GB - first 50 TB / month of storage used",
		s3, "Storage", use1, "GB-Mo", "0.023", 1, 5000, false, resName, "", "assets"),
	counted("AmazonS3", "Requests-Tier1", "PutObject", "$0.005 per 1,000 PUT, COPY, POST, or LIST requests",
		s3, "API Request", use1, "Requests", "0.000005", 2000, resName, "", "assets"),
	counted("AmazonS3", "Requests-Tier2", "GetObject", "$0.004 per 10,000 GET and all other requests",
		s3, "API Request", use1, "Requests", "0.0000004", 20000, resName, "", "assets"),
	monthly("AmazonS3", "EUC1-TimedStorage-ByteHrs", "StandardStorage", "$0.0245 per GB - first 50 TB / month of storage used",
		s3, "Storage", "eu-central-1", "GB-Mo", "0.0245", 1, 3000, false, resName, "", "shop-media"),
	// 14..15 RDS
	hours("AmazonRDS", "InstanceUsage:db.r6g.large", "CreateDBInstance:0014",
		"$0.225 per RDS db.r6g.large instance hour (or partial hour) running PostgreSQL",
		"Amazon Relational Database Service", "Database Instance", use1, "db.r6g.large", "0.225", true, resName,
		"arn:aws:rds:{R}:{A}:db:", "orders-db"),
	monthly("AmazonRDS", "RDS:GP3-Storage", "CreateDBInstance:0014", "$0.115 per GB-month of provisioned GP3 storage running PostgreSQL",
		"Amazon Relational Database Service", "Database Storage", use1, "GB-Mo", "0.115", 20, 500, true, resName,
		"arn:aws:rds:{R}:{A}:db:", "orders-db"),
	// 16..17 Lambda
	measured("AWSLambda", "Lambda-GB-Second", "Invoke", "AWS Lambda - Total Compute - US East (Northern Virginia)",
		"AWS Lambda", "Serverless", use1, "Lambda-GB-Second", "0.0000166667", "5000", resName,
		"arn:aws:lambda:{R}:{A}:function:", "fn"),
	counted("AWSLambda", "Request", "Invoke", "AWS Lambda - Total Requests - US East (Northern Virginia)",
		"AWS Lambda", "Serverless", use1, "Requests", "0.0000002", 50000, resName, "arn:aws:lambda:{R}:{A}:function:", "fn"),
	// 18..19 CloudFront
	measured("AmazonCloudFront", "US-DataTransfer-Out-Bytes", "GET",
		"$0.085 per GB - first 10 TB / month data transfer out (U.S., Mexico, Canada)",
		"Amazon CloudFront", "Data Transfer", "", "GB", "0.085", "8", resCF, "arn:aws:cloudfront::{A}:distribution/E", "cdn"),
	counted("AmazonCloudFront", "US-Requests-Tier2-HTTPS", "GET", "$0.0100 per 10,000 HTTPS Requests",
		"Amazon CloudFront", "Request", "", "Requests", "0.000001", 100000, resCF, "arn:aws:cloudfront::{A}:distribution/E", "cdn"),
	// 20..22 DynamoDB
	counted("AmazonDynamoDB", "WriteRequestUnits", "PayPerRequestThroughput", "$1.25 per million write request units (US East (N. Virginia))",
		"Amazon DynamoDB", "Amazon DynamoDB PayPerRequest Throughput", use1, "WriteRequestUnits", "0.00000125", 20000, resName,
		"arn:aws:dynamodb:{R}:{A}:table/", "sessions"),
	counted("AmazonDynamoDB", "ReadRequestUnits", "PayPerRequestThroughput", "$0.25 per million read request units (US East (N. Virginia))",
		"Amazon DynamoDB", "Amazon DynamoDB PayPerRequest Throughput", use1, "ReadRequestUnits", "0.00000025", 80000, resName,
		"arn:aws:dynamodb:{R}:{A}:table/", "sessions"),
	monthly("AmazonDynamoDB", "TimedStorage-ByteHrs", "StandardStorage", "$0.25 per GB-Month of storage used beyond first 25 free GB-Months",
		"Amazon DynamoDB", "Database Storage", use1, "GB-Mo", "0.25", 1, 200, false, resName, "arn:aws:dynamodb:{R}:{A}:table/", "sessions"),
	// 23..25 CloudWatch
	monthly("AmazonCloudWatch", "CW:MetricMonitorUsage", "MetricStorage",
		"$0.30 per metric-month - first 10,000 metrics - US East (Northern Virginia)",
		"AmazonCloudWatch", "Metric", use1, "Metrics", "0.3", 5, 100, false, resNone, "", ""),
	measured("AmazonCloudWatch", "DataProcessing-Bytes", "PutLogEvents", "$0.50 per GB-mo of log data ingested",
		"AmazonCloudWatch", "Data Payload", use1, "GB", "0.5", "1", resName, "arn:aws:logs:{R}:{A}:log-group:/aws/app/", "logs"),
	monthly("AmazonCloudWatch", "EU-CW:MetricMonitorUsage", "MetricStorage",
		"$0.30 per metric-month - first 10,000 metrics - EU (Ireland)",
		"AmazonCloudWatch", "Metric", "eu-west-1", "Metrics", "0.3", 5, 60, false, resNone, "", ""),
	// 26..29 data transfer
	measured("AWSDataTransfer", "DataTransfer-Out-Bytes", "RunInstances",
		"$0.090 per GB - first 10 TB / month data transfer out beyond the global free tier",
		"AWS Data Transfer", "Data Transfer", use1, "GB", "0.09", "5", resNone, "", ""),
	measured("AWSDataTransfer", "USE1-USE2-AWS-Out-Bytes", "RunInstances",
		"$0.01 per GB - US East (Northern Virginia) data transfer to US East (Ohio)",
		"AWS Data Transfer", "Data Transfer", use1, "GB", "0.01", "10", resNone, "", ""),
	measured("AWSDataTransfer", "DataTransfer-Regional-Bytes", "InterZone-In",
		"$0.01 per GB - regional data transfer - in/out/between EC2 AZs or using elastic IPs or ELB",
		"AWS Data Transfer", "Data Transfer", use1, "GB", "0.01", "20", resNone, "", ""),
	measured("AWSDataTransfer", "EU-DataTransfer-Out-Bytes", "RunInstances",
		"$0.09 per GB - first 10 TB / month data transfer out beyond the global free tier",
		"AWS Data Transfer", "Data Transfer", "eu-west-1", "GB", "0.09", "5", resNone, "", ""),
	// 30..31 SageMaker
	hours("AmazonSageMaker", "USE1-Notebk:ml.t3.medium", "RunInstance", "$0.05 per On Demand Notebook ml.t3.medium hour in US East (N. Virginia)",
		"Amazon SageMaker", "ML Instance", use1, "ml.t3.medium", "0.05", false, resName,
		"arn:aws:sagemaker:{R}:{A}:notebook-instance/", "notebook"),
	hours("AmazonSageMaker", "USE1-Host:ml.m5.xlarge", "RunInstance:0001", "$0.23 per Hosting ml.m5.xlarge hour in US East (N. Virginia)",
		"Amazon SageMaker", "ML Instance", use1, "ml.m5.xlarge", "0.23", false, resName,
		"arn:aws:sagemaker:{R}:{A}:endpoint/", "model"),
	// 32 Athena
	measured("AmazonAthena", "USE1-DataScannedInTB", "RunQuery", "$5.00 per TB for DataScannedInTB in US East (N. Virginia)",
		"Amazon Athena", "Athena Queries", use1, "Terabytes", "5", "0.01", resName, "arn:aws:athena:{R}:{A}:workgroup/", "reports"),
	// 33 KMS
	monthly("awskms", "us-east-1-KMS-Keys", "CreateKey", "$1 per customer-managed key per month",
		"AWS Key Management Service", "Encryption Key", use1, "Keys", "1", 1, 3, false, resUUID, "arn:aws:kms:{R}:{A}:key/", "key"),
	// 34 SQS free tier: $0 usage lines are common in real files
	counted("AWSQueueService", "Requests-RBP", "GetQueueAttributes", "First 1,000,000 Amazon SQS Requests per month are free",
		"Amazon Simple Queue Service", "API Request", use1, "Requests", "0", 5000, resName, "arn:aws:sqs:{R}:{A}:", "jobs"),
	// 35 the payer's CUR delivery bucket: resource 0 of every file, a few
	// PUTs an hour, so even the smallest file has costs in E notation and a
	// quoted description.
	counted("AmazonS3", "Requests-Tier1", "PutObject", "$0.005 per 1,000 PUT, COPY, POST, or LIST requests",
		s3, "API Request", use1, "Requests", "0.000005", 20, resName, "", "cur-reports"),
}

// curBucket is the template of ordinary resource 0, the payer's CUR bucket.
const curBucket = 35

// mixes lists, per account, which templates its resources use and how often.
var mixes = [numAccounts][][2]int{
	acPayer:     {{10, 3}, {11, 2}, {12, 2}, {23, 2}, {33, 1}, {34, 1}},
	acWeb:       {{0, 6}, {4, 4}, {5, 2}, {18, 4}, {19, 3}, {7, 2}, {8, 2}, {26, 3}, {9, 2}, {14, 4}, {15, 2}, {24, 2}, {10, 2}, {12, 3}},
	acAPI:       {{16, 5}, {17, 5}, {20, 4}, {21, 4}, {22, 1}, {2, 3}, {27, 2}, {28, 2}, {24, 3}, {11, 2}, {34, 2}},
	acAnalytics: {{1, 4}, {4, 2}, {10, 4}, {12, 3}, {32, 4}, {28, 1}, {23, 1}},
	acData:      {{30, 3}, {31, 3}, {32, 3}, {10, 3}, {11, 2}, {5, 1}, {33, 1}},
	acDev:       {{0, 3}, {4, 3}, {16, 2}, {17, 2}, {21, 2}, {23, 2}, {9, 2}, {34, 1}},
	acEU:        {{3, 6}, {6, 3}, {13, 3}, {29, 3}, {25, 2}},
}

// taxCodes are the product codes the EU account is taxed on: one Tax line
// each, $0 when the account had no charge for that code (as AWS writes).
var taxCodes = []struct{ code, pname string }{
	{"AmazonEC2", ec2},
	{"AmazonS3", s3},
	{"AWSDataTransfer", "AWS Data Transfer"},
	{"AmazonCloudWatch", "AmazonCloudWatch"},
}

// mixCum holds cumulative weights of mixes, accountCum of accountWeight.
var (
	mixCum     [numAccounts][]int
	accountCum [numAccounts]int
)

func init() {
	cum := 0
	for a, w := range accountWeight {
		cum += w
		accountCum[a] = cum
	}
	if cum != 100 {
		panic("sample: account weights must add up to 100")
	}
	for a, m := range mixes {
		c := 0
		for _, e := range m {
			c += e[1]
			mixCum[a] = append(mixCum[a], c)
		}
	}
	for i := range templates {
		t := &templates[i]
		for s, tc := range taxCodes {
			if tc.code == t.code {
				t.taxSlot = s + 1
			}
		}
		t.svcCode = t.code
		if t.az {
			for k, z := range []string{"a", "b", "c"} {
				t.azs[k] = t.region + z
			}
		}
		for a := range accountIDs {
			p := strings.NewReplacer("{R}", t.region, "{A}", accountIDs[a]).Replace(t.resFmt)
			if t.res == resName {
				p += t.name + "-"
				if t.resFmt == "" { // S3 bucket: globally unique names carry the account
					p = t.name + "-" + accountIDs[a][8:] + "-"
				}
			}
			t.prefix[a] = csvField(p)
		}
		for _, s := range []*string{&t.code, &t.usageType, &t.op, &t.desc, &t.pname, &t.family,
			&t.region, &t.itype, &t.unit, &t.svcCode} {
			*s = csvField(*s)
		}
	}
}
