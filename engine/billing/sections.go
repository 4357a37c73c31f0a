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
	Compute    ProductType = "Compute"
	Storage    ProductType = "Storage"
	Database   ProductType = "Database"
	Networking ProductType = "Networking"
	Analytics  ProductType = "Analytics"
	MachineLrn ProductType = "Machine Learning"
	Management ProductType = "Management & Governance"
	Security   ProductType = "Security"
	DevTools   ProductType = "Developer Tools"
	// Commitments holds other providers' purchases of reservations and
	// savings plans (Azure, Google Cloud, Oracle Cloud), which discount
	// usage printed in its own section.
	Commitments ProductType = "Reservations & Savings Plans"
	Marketplace ProductType = "Marketplace"
	Support     ProductType = "Support"
	Other       ProductType = "Other"
	// Recurring holds the customer's custom recurring charges and credits
	// (managed services, licences): the reseller's own services, printed
	// apart from the cloud charges so that no document counts them as
	// cloud services.
	Recurring ProductType = "Recurring and managed services"
	// Credits holds the provider's Credit and Refund lines, which stay with
	// the account that received them and are shown apart from the charges
	// they reduce.
	Credits ProductType = "Credits"
)

// ProductTypes lists the sections in the order a statement prints them; a
// form offering overrides offers the ones before Marketplace.
var ProductTypes = []ProductType{Compute, Storage, Database, Networking, Analytics, MachineLrn,
	Management, Security, DevTools, Commitments, Marketplace, Support, Other, Recurring, Credits}

// overridable are the product types a product code may be assigned to:
// Marketplace, Commitments, Recurring and Credits follow from the line itself, not from
// its code.
func overridable(t ProductType) bool {
	return t != Marketplace && t != Credits && t != Recurring && t != Commitments && sectionOrder(t) >= 0
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
// lower-cased: AWS writes both "AmazonEC2" and "awskms") and other
// providers' service names to sections, following the categories of the
// providers' own product pages. Codes not listed are
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
	// Other providers name a service by its name (Azure's meter category
	// or FOCUS's ServiceName, Google Cloud's service description, Oracle
	// Cloud's service), in the same sections.
	add(Compute, "Virtual Machines", "Virtual Machine Scale Sets", "Azure Kubernetes Service", "Container Instances",
		"Azure App Service", "App Service", "Functions", "Azure Functions", "Cloud Services", "Batch", "Azure Spring Apps",
		"Container Registry", "Azure Container Apps", "Azure Virtual Desktop",
		"Compute Engine", "Kubernetes Engine", "Cloud Run", "Cloud Functions", "App Engine", "COMPUTE", "OKE")
	add(Storage, "Storage", "Storage Accounts", "Backup", "Azure NetApp Files", "Azure Files", "Azure Data Lake Storage",
		"Cloud Storage", "Persistent Disk", "BLOCK_STORAGE", "OBJECT_STORAGE", "OBJECTSTORE", "FILE_STORAGE")
	add(Database, "SQL Database", "Azure SQL Database", "SQL Managed Instance", "Azure Cosmos DB", "Azure DB for MySQL",
		"Azure Database for MySQL", "Azure Database for PostgreSQL", "Azure DB for PostgreSQL", "Azure Cache for Redis",
		"Redis Cache", "Cloud SQL", "Cloud Spanner", "Firestore", "Bigtable", "DATABASE", "AUTONOMOUS_DATABASE", "MYSQL")
	add(Networking, "Bandwidth", "Virtual Network", "Load Balancer", "VPN Gateway", "Application Gateway", "Azure DNS",
		"Azure Front Door", "Azure Firewall", "ExpressRoute", "Content Delivery Network", "Network Watcher", "IP Addresses",
		"NAT Gateway", "Azure Bastion", "Networking", "Cloud DNS", "Cloud Load Balancing", "Cloud CDN", "NETWORK",
		"NETWORKING")
	add(Analytics, "Azure Synapse Analytics", "Azure Databricks", "Azure Data Factory", "Azure Data Factory v2",
		"Data Factory", "Event Hubs", "Stream Analytics", "HDInsight", "Log Analytics", "Azure Data Explorer",
		"BigQuery", "Dataflow", "Pub/Sub", "Dataproc", "ORACLE_STREAMING_SERVICE")
	add(MachineLrn, "Azure Machine Learning", "Cognitive Services", "Azure OpenAI Service", "Azure AI services",
		"Vertex AI", "Cloud Vision API")
	add(Management, "Azure Monitor", "Insight and Analytics", "Automation", "Azure Policy", "Cloud Monitoring",
		"Cloud Logging", "Logging", "Stackdriver Logging", "Stackdriver Monitoring", "MONITORING", "TELEMETRY")
	add(Security, "Key Vault", "Microsoft Defender for Cloud", "Azure Defender", "Security Center", "Azure Active Directory",
		"Microsoft Entra ID", "Sentinel", "Advanced Data Security", "Advanced Threat Protection",
		"Cloud Key Management Service (KMS)", "Secret Manager", "Security Command Center",
		"KEY_MANAGEMENT")
	add(DevTools, "Azure DevOps", "Visual Studio Subscription", "Cloud Build", "Artifact Registry")
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
	roleMarketplace                 // an AWS or Azure Marketplace charge, credit or fee (pass-through)
	roleCredit                      // a provider Credit or Refund line, in Credits
	roleTax                         // a provider Tax line
	roleMarketTax                   // a provider Tax line on Marketplace charges
	roleProviderSupport             // a provider support charge: replaced by the customer's plan, even "none"
	roleRecurring                   // a custom recurring charge or credit, in Recurring
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
	market := marketplace(b.key.entity)
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

// section is where a line of the given role and bucket is printed.
// Another provider's purchase of a reservation or savings plan is printed
// in Commitments (AWS prints its RIFee and Savings Plan fees with the
// service they discount, as AWS's console does).
func (m *Month) section(r role, k bucketKey) ProductType {
	code := k.code
	if r == roleCharge && k.provider != lineitem.AWS && k.typ == lineitem.CategoryPurchase {
		return Commitments
	}
	switch r {
	case roleMarketplace:
		return Marketplace
	case roleCredit:
		return Credits
	case roleSupport:
		return Support
	case roleRecurring:
		return Recurring
	}
	return m.types.of(code)
}
