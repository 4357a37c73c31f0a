package billing

import (
	"fmt"
	"strings"

	"rebill/engine/lineitem"
)

// ProductType is the section of the statement a service line is printed in.
// Customers read an invoice by kind of spend (how much went on compute, on
// storage), not by AWS's hundreds of product codes.
type ProductType string

// The statement's sections. Marketplace, Support and Credits are assigned by
// what a line is (billing entity, plan, line item type), the others by the
// product code table.
const (
	Compute     ProductType = "Compute"
	Storage     ProductType = "Storage"
	Database    ProductType = "Database"
	Networking  ProductType = "Networking"
	Analytics   ProductType = "Analytics"
	MachineLrn  ProductType = "Machine Learning"
	Management  ProductType = "Management & Governance"
	Security    ProductType = "Security"
	DevTools    ProductType = "Developer Tools"
	Marketplace ProductType = "Marketplace"
	Support     ProductType = "Support"
	Other       ProductType = "Other"
	// Credits holds the provider's Credit and Refund lines, which stay with
	// the account that received them and are shown apart from the charges
	// they reduce.
	Credits ProductType = "Credits"
)

// ProductTypes lists the sections in the order a statement prints them; a
// form offering overrides offers the ones before Marketplace.
var ProductTypes = []ProductType{Compute, Storage, Database, Networking, Analytics, MachineLrn,
	Management, Security, DevTools, Marketplace, Support, Other, Credits}

// overridable are the product types a product code may be assigned to:
// Marketplace and Credits follow from the line itself, not from its code.
func overridable(t ProductType) bool {
	return t != Marketplace && t != Credits && sectionOrder(t) >= 0
}

func sectionOrder(t ProductType) int {
	for i, p := range ProductTypes {
		if p == t {
			return i
		}
	}
	return -1
}

// defaultProductTypes maps AWS product codes (lineItem/ProductCode,
// lower-cased: AWS writes both "AmazonEC2" and "awskms") to sections,
// following the categories of AWS's own product pages. Codes not listed are
// Other; the accountant overrides any code in the store.
var defaultProductTypes = func() map[string]ProductType {
	m := map[string]ProductType{}
	add := func(t ProductType, codes ...string) {
		for _, c := range codes {
			m[strings.ToLower(c)] = t
		}
	}
	add(Compute, "AmazonEC2", "AWSLambda", "AmazonECS", "AmazonEKS", "AmazonECR", "AmazonLightsail",
		"AWSElasticBeanstalk", "AWSBatch", "AWSOutposts", "ComputeSavingsPlans", "AmazonWorkSpaces",
		"AmazonAppStream", "AWSAppRunner", "AmazonEC2ContainerRegistryPublic")
	add(Storage, "AmazonS3", "AmazonEFS", "AmazonFSx", "AmazonGlacier", "AWSBackup", "AWSStorageGateway",
		"AmazonS3GlacierDeepArchive", "AWSDataSync", "AWSSnowball", "AWSElasticDisasterRecovery")
	add(Database, "AmazonRDS", "AmazonDynamoDB", "AmazonElastiCache", "AmazonNeptune", "AmazonDocDB",
		"AmazonMemoryDB", "AmazonTimestream", "AmazonMCS", "AmazonQLDB", "AWSDatabaseMigrationSvc",
		"DatabaseSavingsPlans")
	add(Networking, "AmazonVPC", "AWSDataTransfer", "AmazonCloudFront", "AmazonRoute53", "AWSELB",
		"AWSDirectConnect", "AWSGlobalAccelerator", "AmazonApiGateway", "AWSTransitGateway", "AWSCloudMap",
		"AWSVPN", "AWSPrivateLink", "AWSNetworkFirewall", "AmazonVPCLattice")
	add(Analytics, "AmazonAthena", "AmazonRedshift", "ElasticMapReduce", "AmazonKinesis", "AmazonKinesisFirehose",
		"AmazonKinesisAnalytics", "AWSGlue", "AmazonES", "AmazonQuickSight", "AmazonMSK", "AWSDataPipeline",
		"AWSLakeFormation", "AmazonDataZone", "AWSEntityResolution")
	add(MachineLrn, "AmazonSageMaker", "AmazonRekognition", "AmazonComprehend", "AmazonTranslate", "AmazonPolly",
		"AmazonTextract", "AmazonBedrock", "AmazonLex", "AmazonTranscribe", "AmazonPersonalize", "AmazonForecast",
		"AmazonKendra", "AmazonQ", "MachineLearningSavingsPlans")
	add(Management, "AmazonCloudWatch", "AWSCloudTrail", "AWSConfig", "AWSSystemsManager", "AWSCostExplorer",
		"AWSCloudFormation", "AWSServiceCatalog", "AWSBudgets", "AWSCloudShell", "AWSOrganizations",
		"AWSControlTower", "AmazonManagedGrafana", "AmazonPrometheus", "AWSResourceGroups", "AWSTrustedAdvisor")
	add(Security, "awskms", "awswaf", "AmazonGuardDuty", "AWSSecretsManager", "AWSSecurityHub", "AmazonInspector",
		"AmazonInspectorV2", "AmazonMacie", "AWSShield", "AWSCertificateManager", "AWSDirectoryService",
		"AmazonCognito", "AWSCloudHSM", "AmazonDetective", "AWSIAMAccessAnalyzer", "AWSFMS", "AmazonVerifiedPermissions")
	add(DevTools, "AWSCodeCommit", "AWSCodeBuild", "AWSCodePipeline", "AWSCodeDeploy", "AWSCodeArtifact",
		"AWSXRay", "AWSCloud9", "AmazonCodeGuru", "AWSAmplify", "AmazonCodeCatalyst", "AWSDeviceFarm")
	add(Support, "AWSSupportBusiness", "AWSSupportDeveloper", "AWSSupportEnterprise", "AWSSupportEnterpriseOnRamp",
		"AWSDeveloperSupport", "AWSBusinessSupport", "AWSEnterpriseSupport", "OCBPremiumSupport", "AWSSupport")
	return m
}()

// DefaultProductType is the built-in section of a product code, the
// starting point the accountant's overrides change.
func DefaultProductType(code string) ProductType {
	if t, ok := defaultProductTypes[strings.ToLower(code)]; ok {
		return t
	}
	return Other
}

// productTypes resolves product codes: the accountant's overrides first
// (exact code, then case-insensitive), then the built-in table.
type productTypes map[string]ProductType

func newProductTypes(overrides map[string]ProductType) (productTypes, error) {
	pt := make(productTypes, len(overrides))
	for code, t := range overrides {
		if !overridable(t) {
			return nil, fmt.Errorf("product code %s cannot be put in the %q section: choose one of Compute, Storage, Database, Networking, Analytics, Machine Learning, Management & Governance, Security, Developer Tools, Support or Other", code, t)
		}
		pt[strings.ToLower(code)] = t
	}
	return pt, nil
}

func (pt productTypes) of(code string) ProductType {
	if t, ok := pt[strings.ToLower(code)]; ok {
		return t
	}
	return DefaultProductType(code)
}

// role is what a bucket is on a statement, which decides its section and
// which bases (support, discount, tax, credits) it counts in.
type role uint8

const (
	roleCharge          role = iota // a provider charge, in its product type section
	roleMarketplace                 // an AWS Marketplace charge, credit or fee (pass-through)
	roleCredit                      // a provider Credit or Refund line, in Credits
	roleTax                         // a provider Tax line
	roleMarketTax                   // a provider Tax line on Marketplace charges
	roleProviderSupport             // a provider support charge: replaced by the customer's plan, even "none"
	roleRecurring                   // a custom recurring charge or credit, in Other
	roleSupport                     // the customer's support plan, in Support
	// roleProviderDiscount is a provider discount (EDP, private pricing,
	// bundled, SPP, distributor) in a line of its own under its service,
	// or kept as the reseller's margin (see customer.DiscountMode). Passed
	// on inside the service line, it is part of a roleCharge line.
	roleProviderDiscount
)

// providerDiscounts are the line item types of the payer's own discounts
// with AWS, with the words a statement line names them by.
var providerDiscounts = map[string]string{
	lineitem.EdpDiscount:     "EDP discount",
	"PrivateRateDiscount":    "private pricing discount",
	lineitem.BundledDiscount: "bundled discount",
	"SppDiscount":            "SPP discount",
	"DistributorDiscount":    "distributor discount",
}

// IsProviderDiscount reports whether a line item type is one of the
// payer's own discounts with AWS (EdpDiscount, PrivateRateDiscount,
// BundledDiscount, SppDiscount, DistributorDiscount).
func IsProviderDiscount(typ string) bool {
	_, ok := providerDiscounts[typ]
	return ok
}

func (m *Month) roleOf(b *bucket) role {
	market := b.key.entity == lineitem.MarketplaceEntity
	switch {
	case b.key.typ == lineitem.Tax && market:
		return roleMarketTax
	case b.key.typ == lineitem.Tax:
		return roleTax
	case market:
		return roleMarketplace
	case b.key.typ == lineitem.Credit || b.key.typ == lineitem.Refund:
		return roleCredit
	case m.types.of(b.key.code) == Support:
		return roleProviderSupport
	case IsProviderDiscount(b.key.typ):
		return roleProviderDiscount
	}
	return roleCharge
}

// section is where a line of the given role and product code is printed.
func (m *Month) section(r role, code string) ProductType {
	switch r {
	case roleMarketplace:
		return Marketplace
	case roleCredit:
		return Credits
	case roleSupport:
		return Support
	case roleRecurring:
		return Other
	}
	return m.types.of(code)
}
