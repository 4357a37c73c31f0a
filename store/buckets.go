package store

// Every bucket of the database, named in one place so that a reader of the
// code sees the whole layout at a glance.
var (
	// bucketMeta holds the schema version (keySchema).
	bucketMeta = []byte("meta")
	// bucketImports holds one JSON ingest.Result per committed import,
	// keyed by import id (8 bytes, big-endian): the import history, which
	// keeps replaced deliveries too.
	bucketImports = []byte("imports")
	// bucketHashes mapped a file's SHA-256 to its import id until schema
	// 5, which removes it: deliveries list their parts' hashes.
	bucketHashes = []byte("hashes")
	// bucketDeliveries maps provider/payer/period (monthKey) to the id of
	// the month's current delivery (8 bytes, big-endian).
	bucketDeliveries = []byte("deliveries")
	// bucketDeliveryLog holds every delivery ever made current, current
	// or not: one JSON deliveryRecord keyed by delivery id (8 bytes,
	// big-endian, from the bucket's sequence). Replaced deliveries keep
	// their rows until pruned.
	bucketDeliveryLog = []byte("delivery-history")
	// bucketSlices holds one nested bucket per part of a delivery (one
	// file's rows of one month and payer), keyed by slice id; inside,
	// bucketRows and bucketDict. Deliveries that share a part (a joined
	// delivery and the one it completed) share its slice.
	bucketSlices = []byte("slices")
	// bucketStaging lists imports whose rows are being written and not yet
	// committed; whatever is left there after a crash is removed on open.
	bucketStaging = []byte("staging")

	// bucketCustomers holds one JSON customer.Customer per customer, keyed
	// by its id.
	bucketCustomers = []byte("customers")
	// bucketMappings holds one JSON customer.Mapping per mapping, keyed
	// account + 0x00 + first month (mappingKey), so that all mappings of an
	// account are adjacent and in month order.
	bucketMappings = []byte("mappings")
	// bucketGrants holds one JSON customer.Grant per reseller credit grant,
	// keyed by grant id (8 bytes, big-endian, from the bucket's sequence).
	bucketGrants = []byte("credit-grants")
	// bucketUses holds one JSON customer.Use per use of a grant by an
	// invoice, keyed by a sequence number (8 bytes, big-endian).
	bucketUses = []byte("credit-uses")
	// bucketProfile holds the reseller profile: keyProfile (JSON) and
	// keyLogo (the logo's bytes, kept apart so the JSON stays small).
	bucketProfile = []byte("profile")
	// bucketChanges is the append-only change log: one JSON Change per
	// change to a customer, mapping, credit or the profile, keyed by a
	// sequence number (8 bytes, big-endian). Entries are never rewritten.
	bucketChanges = []byte("changes")

	// bucketRates holds one JSON Rate per exchange rate the accountant
	// entered, keyed rateKey (FROM/TO/YYYY-MM), so a pair's months are
	// adjacent and in order.
	bucketRates = []byte("rates")
	// bucketProductTypes holds the accountant's product type overrides:
	// one JSON ProductTypeOverride per product code, keyed by the code in
	// lower case (AWS writes both AmazonEC2 and awskms).
	bucketProductTypes = []byte("product-types")
	// bucketSettings holds the reseller's settings: keyBilling (JSON
	// billing.Settings).
	bucketSettings = []byte("settings")

	// bucketInvoices holds one JSON invoice.Invoice per invoice or credit
	// note, keyed by its id (8 bytes, big-endian, from the bucket's
	// sequence; the id is that number in decimal).
	bucketInvoices = []byte("invoices")
	// bucketInvoiceIndex lists the invoices by month and customer: keys
	// period + 0x00 + customer + 0x00 + id (8 bytes), so a month's
	// documents, or one customer's in a month, are one prefix scan; each
	// value is the document's listing (invoice.Invoice.MarshalListing,
	// empty before schema 8), what lists read instead of whole documents.
	bucketInvoiceIndex = []byte("invoice-index")
	// bucketInvoiceNumbers maps every number ever issued to its document's
	// id (8 bytes): a number is never issued twice, whatever the profile's
	// next number is set to.
	bucketInvoiceNumbers = []byte("invoice-numbers")
	// bucketInvoiceSeries holds the number series' counters:
	// keyCreditNoteSeries (JSON invoice.Numbering) and keyInvoiceSeries
	// (JSON invoiceCounter; the invoice number format is the profile's).
	bucketInvoiceSeries = []byte("invoice-series")
	// bucketAudit is the invoice audit log: one JSON invoice.Entry per
	// generate, approve, delete, status change, export and correction,
	// keyed by its seq (8 bytes, big-endian), hash-chained; entries are
	// only ever appended. Its end is keyAuditHead in bucketMeta.
	bucketAudit = []byte("invoice-audit")

	// bucketAPIKeys holds one JSON access.Key per billing API key, keyed
	// by its id (8 bytes, big-endian, from the bucket's sequence): the
	// key's SHA-256, never the key.
	bucketAPIKeys = []byte("api-keys")

	// bucketPeriodStatus holds one JSON period.Record per provider month
	// ever closed, keyed provider + 0x00 + YYYY-MM: Open or Closed, the
	// history of closes and reopens, the late adjustments.
	bucketPeriodStatus = []byte("period-status")
	// bucketHolidays holds one JSON period.Holiday per country and day,
	// keyed country + 0x00 + YYYY-MM-DD.
	bucketHolidays = []byte("holidays")
	// bucketDistributorInvoices holds one JSON distributor.Invoice per
	// distributor invoice, keyed by its id (8 bytes, big-endian, from the
	// bucket's sequence).
	bucketDistributorInvoices = []byte("distributor-invoices")
	// bucketSupportPlans holds one JSON billing.SupportPlan per support
	// plan version, keyed by its id; seeded with billing's presets.
	bucketSupportPlans = []byte("support-plans")
	// bucketPriceTables holds one JSON billing.PriceTable per volume
	// price table, keyed by its lower-case name; seeded with billing's
	// presets.
	bucketPriceTables = []byte("price-tables")
	// bucketLedger holds the ledger account mapping: keyLedgerMapping
	// (JSON ledger.Mapping), which ledger exports book documents with.
	bucketLedger = []byte("ledger")
	// bucketPayments holds one JSON invoice.Payment per payment received
	// against an invoice, keyed by its id (8 bytes, big-endian, from the
	// bucket's sequence).
	bucketPayments = []byte("payments")
)

// Nested inside each slice bucket.
var (
	// bucketRows holds blocks of encoded line items keyed by block number
	// (4 bytes, big-endian), appended in order.
	bucketRows = []byte("rows")
	// bucketDict holds the slice's string dictionary in chunks keyed by
	// chunk number; string ids are positions in their concatenation.
	bucketDict = []byte("dict")
	// bucketGroups holds the slice's rows summed by aggregate.Key
	// (aggregate.Set, see aggregates.go), a group per key and usage day:
	// key 0 its string dictionary, keys 1... blocks of groups in first-row
	// order (4 bytes, big-endian), each group preceded by its length.
	bucketGroups = []byte("day-groups")
	// bucketMonthGroups holds the same sums over the month
	// (aggregate.Monthly), laid out as bucketGroups, each group preceded
	// by its length and its Ordinal.
	bucketMonthGroups = []byte("month-groups")
	// bucketLegacyGroups is bucketGroups as the schema 16 release wrote it,
	// without the lengths; the migration sizeGroups rewrites it.
	bucketLegacyGroups = []byte("groups")
	// bucketAccountBlocks maps each usage account of the slice to the
	// row blocks holding its rows (see accountindex.go).
	bucketAccountBlocks = []byte("account-blocks")
)

// Keys of single values.
var (
	// keySchema is the schema version key in bucketMeta.
	keySchema = []byte("schema")
	// keyProfile and keyLogo are the reseller profile in bucketProfile.
	keyProfile = []byte("profile")
	keyLogo    = []byte("logo")
	// keyBilling is the billing settings in bucketSettings.
	keyBilling = []byte("billing")
	// keyAPI is the billing API's settings (JSON access.Settings) in
	// bucketSettings.
	keyAPI = []byte("api")
	// keyBackups is the automatic backups' settings (JSON
	// BackupSettings) in bucketSettings.
	keyBackups = []byte("backups")
	// keySMTP is the SMTP server invoices are sent through (JSON
	// email.Server, without the password) in bucketSettings.
	keySMTP = []byte("smtp")
	// keyCreditNoteSeries is the credit note series in bucketInvoiceSeries.
	keyCreditNoteSeries = []byte("credit_note")
	// keyInvoiceSeries is the invoice counter in bucketInvoiceSeries.
	keyInvoiceSeries = []byte("invoice")
	// keyAuditHead is the audit log's end (JSON invoice.Head) in
	// bucketMeta, kept apart from the entries so that removing the last
	// entries, which leaves a shorter valid chain, is detected.
	keyAuditHead = []byte("invoice-audit-head")
	// keyLedgerMapping is the ledger account mapping in bucketLedger.
	keyLedgerMapping = []byte("mapping")
)
