package read

// awsProductCodes are the product codes of AWS's services by their names.
// The Cost and Usage Report writes both (lineItem/ProductCode beside
// product/ProductName); the DBR and FOCUS (ServiceName) write the name
// only. Reading the code makes their lines fall in the same sections,
// pricing rules and support handling as a CUR's: AWS's own support charge
// ("AWS Support (Business)") is then the provider's support the plan
// replaces, not a charge billed on top of it.
//
// The pairs are those of AWS's price list (servicename, servicecode) and
// of real CURs; CloudWatch is written both ways.
var awsProductCodes = map[string]string{
	"Amazon Elastic Compute Cloud":                    "AmazonEC2",
	"Amazon Simple Storage Service":                   "AmazonS3",
	"Amazon Simple Queue Service":                     "AWSQueueService",
	"Amazon Simple Notification Service":              "AmazonSNS",
	"Amazon Simple Email Service":                     "AmazonSES",
	"Amazon Simple Workflow Service":                  "AmazonSWF",
	"Amazon SimpleDB":                                 "AmazonSimpleDB",
	"Amazon Relational Database Service":              "AmazonRDS",
	"Amazon DynamoDB":                                 "AmazonDynamoDB",
	"Amazon ElastiCache":                              "AmazonElastiCache",
	"Amazon Redshift":                                 "AmazonRedshift",
	"Amazon CloudWatch":                               "AmazonCloudWatch",
	"AmazonCloudWatch":                                "AmazonCloudWatch",
	"CloudWatch Events":                               "AWSEvents",
	"Amazon CloudFront":                               "AmazonCloudFront",
	"Amazon Route 53":                                 "AmazonRoute53",
	"Amazon Virtual Private Cloud":                    "AmazonVPC",
	"AWS Direct Connect":                              "AWSDirectConnect",
	"AWS Data Transfer":                               "AWSDataTransfer",
	"Elastic Load Balancing":                          "AWSELB",
	"Amazon API Gateway":                              "AmazonApiGateway",
	"AWS Lambda":                                      "AWSLambda",
	"AWS Step Functions":                              "AmazonStates",
	"Amazon EC2 Container Registry (ECR)":             "AmazonECR",
	"Amazon Elastic Container Service":                "AmazonECS",
	"Amazon Elastic Container Service for Kubernetes": "AmazonEKS",
	"Amazon Elastic Kubernetes Service":               "AmazonEKS",
	"Amazon Lightsail":                                "AmazonLightsail",
	"Amazon WorkSpaces":                               "AmazonWorkSpaces",
	"Amazon Elastic File System":                      "AmazonEFS",
	"Amazon Glacier":                                  "AmazonGlacier",
	"AWS Storage Gateway":                             "AWSStorageGateway",
	"AWS Backup":                                      "AWSBackup",
	"Amazon Elastic MapReduce":                        "ElasticMapReduce",
	"Amazon Elasticsearch Service":                    "AmazonES",
	"Amazon OpenSearch Service":                       "AmazonES",
	"Amazon Managed Streaming for Apache Kafka":       "AmazonMSK",
	"Amazon Kinesis":                                  "AmazonKinesis",
	"Amazon Kinesis Firehose":                         "AmazonKinesisFirehose",
	"Amazon Athena":                                   "AmazonAthena",
	"AWS Glue":                                        "AWSGlue",
	"Amazon QuickSight":                               "AmazonQuickSight",
	"Amazon SageMaker":                                "AmazonSageMaker",
	"Amazon Rekognition":                              "AmazonRekognition",
	"Amazon Polly":                                    "AmazonPolly",
	"Amazon Lex":                                      "AmazonLex",
	"AWS Key Management Service":                      "awskms",
	"AWS WAF":                                         "awswaf",
	"AWS Shield":                                      "AWSShield",
	"Amazon GuardDuty":                                "AmazonGuardDuty",
	"Amazon Inspector":                                "AmazonInspector",
	"Amazon Cognito":                                  "AmazonCognito",
	"AWS Certificate Manager":                         "AWSCertificateManager",
	"AWS Directory Service":                           "AWSDirectoryService",
	"AWS Secrets Manager":                             "AWSSecretsManager",
	"AWS Security Hub":                                "AWSSecurityHub",
	"Amazon Macie":                                    "AmazonMacie",
	"Amazon Detective":                                "AmazonDetective",
	"AWS CloudTrail":                                  "AWSCloudTrail",
	"AWS Config":                                      "AWSConfig",
	"AWS Budgets":                                     "AWSBudgets",
	"AWS Cost Explorer":                               "AWSCostExplorer",
	"AWS Systems Manager":                             "AWSSystemsManager",
	"AWS CodeCommit":                                  "AWSCodeCommit",
	"AWS CodePipeline":                                "AWSCodePipeline",
	"AWS X-Ray":                                       "AWSXRay",
	"AWS Database Migration Service":                  "AWSDatabaseMigrationSvc",
	"AWS IoT":                                         "AWSIoT",
	"AWS Support (Developer)":                         "AWSSupportDeveloper",
	"AWS Support (Business)":                          "AWSSupportBusiness",
	"AWS Support (Enterprise)":                        "AWSSupportEnterprise",
}

// AWSProductCode is the product code of the AWS service a file names by
// its name alone: the code a CUR writes beside that name, or, for a
// service not listed, the name itself.
func AWSProductCode(name string) string {
	if code, ok := awsProductCodes[name]; ok {
		return code
	}
	return name
}
