package lineitem

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"rebill/engine/excerpt"
	"rebill/engine/money"
)

// Field names a field of Item, so that a reader can name the column a bad
// value came from: the rule knows the field, only the reader knows its file.
type Field int

// The fields Validate checks, in the order it checks them.
const (
	FieldProvider Field = iota
	FieldBillingPeriod
	FieldPayerAccount
	FieldUsageAccount
	FieldType
	FieldBillingEntity
	FieldLegalEntity
	FieldProductCode
	FieldProductName
	FieldUsageType
	FieldOperation
	FieldRegion
	FieldResourceID
	FieldReservationARN
	FieldSavingsPlanARN
	FieldCurrency
	FieldInvoiceID
	FieldDescription
	FieldUsageAmount
	FieldUnblendedRate
	FieldUnblendedCost
	FieldBlendedRate
	FieldBlendedCost
	FieldPublicOnDemandCost
	FieldReservationEffectiveCost
	FieldSavingsPlanEffectiveCost
	FieldTagKey   // Invalid.Tag says which tag
	FieldTagValue // Invalid.Tag says which tag
)

// numTextFields counts the string fields, which come first: they are
// checked by value, and a value seen on the row before is not checked again.
const numTextFields = FieldUsageAmount

// Invalid is a value the engine cannot use: which field, which tag for tag
// fields, the value and why.
type Invalid struct {
	Field  Field
	Tag    int // index in Item.Tags, for FieldTagKey and FieldTagValue
	Value  string
	Reason string
}

// Error quotes the value (clipped, escaped) and says what is wrong with it.
func (e *Invalid) Error() string {
	return excerpt.Quote(e.Value) + " " + e.Reason
}

// Known tells whether Rebill reads the provider's files.
func (p Provider) Known() bool { return p == AWS || p == Azure || p == GCP || p == OCI }

// AWSAccountDigits is the length of an AWS account id, which is all digits
// and may start with zeros.
const AWSAccountDigits = 12

// ValidAccount tells whether id has the shape of the provider's usage
// accounts: AWS account ids are exactly 12 digits, leading zeros included;
// Azure subscription ids are GUIDs; Google Cloud project ids are 6 to 30
// lower-case letters, digits and hyphens; Oracle Cloud tenancies and
// compartments are OCIDs.
func (p Provider) ValidAccount(id string) bool {
	switch p {
	case AWS:
		if len(id) != AWSAccountDigits {
			return false
		}
		for i := 0; i < len(id); i++ {
			if id[i] < '0' || id[i] > '9' {
				return false
			}
		}
		return true
	case Azure:
		return isGUID(id)
	case GCP:
		return isProjectID(id)
	case OCI:
		return isOCID(id)
	}
	return false
}

// ValidPayer tells whether id has the shape of the provider's payer: the
// AWS payer (management) account, an Azure or Oracle billing account,
// whose ids come in several forms (an enrollment number, an agreement's
// GUIDs) but are always one word of letters, digits and - _ : .
func (p Provider) ValidPayer(id string) bool {
	switch p {
	case AWS:
		return p.ValidAccount(id)
	case GCP:
		return isBillingAccount(id)
	}
	return oneWord(p, id)
}

// oneWord tells whether id is an id of a provider Rebill reads made of one
// word of letters, digits and - _ : . (at most 256): the shape every
// provider's ids share.
func oneWord(p Provider, id string) bool {
	if !p.Known() || id == "" || len(id) > 256 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_' || c == ':' || c == '.') {
			return false
		}
	}
	return true
}

// isGUID tells whether s is a GUID: 8-4-4-4-12 hexadecimal digits.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// isProjectID tells whether s is a Google Cloud project id: 6 to 30
// lower-case letters, digits and hyphens, starting with a letter and not
// ending with a hyphen; a project of a Google Workspace domain before 2011
// is written "example.com:my-project".
func isProjectID(s string) bool {
	if i := strings.LastIndexByte(s, ':'); i > 0 {
		s = s[i+1:]
	}
	if len(s) < 6 || len(s) > 30 || s[0] < 'a' || s[0] > 'z' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c == '-') {
			return false
		}
	}
	return true
}

// isBillingAccount tells whether s is a Google Cloud billing account id:
// three groups of six upper-case letters or digits, joined by hyphens
// (012345-ABCDEF-6789AB).
func isBillingAccount(s string) bool {
	if len(s) != 20 || s[6] != '-' || s[13] != '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i == 6 || i == 13 {
			continue
		}
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// isOCID tells whether s is an Oracle Cloud id: ocid1.<type>.<realm>.
// [region].<unique id>, at least five dot-separated fields of lower-case
// letters, digits and hyphens, the first "ocid" and its version.
func isOCID(s string) bool {
	if len(s) > 256 || !strings.HasPrefix(s, "ocid") {
		return false
	}
	fields := strings.Split(s, ".")
	if len(fields) < 5 || len(fields[0]) == len("ocid") || fields[1] == "" || fields[len(fields)-1] == "" {
		return false
	}
	for i := len("ocid"); i < len(fields[0]); i++ {
		if fields[0][i] < '0' || fields[0][i] > '9' {
			return false
		}
	}
	for _, f := range fields[1:] {
		for i := 0; i < len(f); i++ {
			if c := f[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c == '-') {
				return false
			}
		}
	}
	return true
}

// accountShape says what a usage account id of the provider looks like.
func (p Provider) accountShape() string {
	switch p {
	case AWS:
		return "an AWS account id has 12 digits"
	case Azure:
		return "an Azure subscription id is a GUID (8-4-4-4-12 hexadecimal digits)"
	case GCP:
		return "a Google Cloud project id has 6 to 30 lower-case letters, digits and hyphens, starting with a letter"
	case OCI:
		return "an Oracle Cloud tenancy or compartment id is an OCID (ocid1.tenancy.oc1..…)"
	}
	return "the provider is unknown"
}

// payerShape says what a payer id of the provider looks like.
func (p Provider) payerShape() string {
	switch p {
	case Azure, OCI:
		return "a billing account id is one word of letters, digits and - _ : . (at most 256)"
	case GCP:
		return "a Google Cloud billing account id is three groups of six letters or digits (012345-ABCDEF-6789AB)"
	}
	return p.accountShape()
}

// errNotText and errNUL are the two ways a string field can fail to be
// text the engine, the store and the documents can carry.
var (
	errNotText = errors.New("is not valid UTF-8 text")
	errNUL     = errors.New("contains a NUL byte")
)

// CheckText tells whether s is text the engine, the store and the
// documents can carry: valid UTF-8 without NUL bytes. A reader checks every
// string it makes from a file with it.
func CheckText(s string) error {
	if strings.IndexByte(s, 0) >= 0 {
		return errNUL
	}
	if !utf8.ValidString(s) {
		return errNotText
	}
	return nil
}

// checkField applies the shape rule of a string field of it to its value.
// With opaque, account ids are checked as one word (oneWord) rather than
// against the provider's own shape: see Checker.Opaque.
func checkField(f Field, it *Item, s string, opaque bool) string {
	p := it.Provider
	account, payer := p.ValidAccount, p.ValidPayer
	accountShape, payerShape := p.accountShape(), p.payerShape()
	if opaque && p.Known() {
		word := func(id string) bool { return oneWord(p, id) }
		account, payer = word, word
		accountShape, payerShape = opaqueShape, opaqueShape
	}
	switch f {
	case FieldProvider:
		if !p.Known() {
			return "is not a provider Rebill reads"
		}
	case FieldBillingPeriod:
		if !validMonth(s) {
			return "is not a billing month (YYYY-MM, month 01 to 12)"
		}
	case FieldPayerAccount:
		if s == "" {
			return "is empty: " + payerShape
		}
		if !payer(s) {
			return "is not an account id: " + payerShape
		}
	case FieldUsageAccount:
		if s == "" {
			return "is empty: " + accountShape
		}
		// A charge of the payer itself, which names no usage account, is
		// the payer's (AWS's payer is an account like the others).
		if !account(s) && !(s == it.PayerAccount && payer(s)) {
			return "is not an account id: " + accountShape
		}
	case FieldReservationARN, FieldSavingsPlanARN:
		// The owner account decides who keeps a commitment's benefit, so
		// it must be an account like any other. An ARN is AWS's own
		// construct whatever file carries it: its account keeps AWS's
		// shape even among opaque ids.
		if s != "" && !p.ValidAccount(ARNAccount(s)) {
			return "does not name its owner account in its 5th field: " + p.accountShape()
		}
	case FieldCurrency:
		if _, ok := money.MinorUnits(s); !ok {
			return "is not an ISO 4217 currency code"
		}
	}
	return ""
}

// opaqueShape says what an id of a format of opaque ids looks like.
const opaqueShape = "an id is one word of letters, digits and - _ : . (at most 256)"

// validMonth tells whether s is YYYY-MM with a month from 01 to 12.
func validMonth(s string) bool {
	if len(s) != 7 || s[4] != '-' {
		return false
	}
	for i, c := range []byte(s) {
		if i != 4 && (c < '0' || c > '9') {
			return false
		}
	}
	m := int(s[5]-'0')*10 + int(s[6]-'0')
	return m >= 1 && m <= 12
}

// texts are the string fields of it, indexed by Field.
func (it *Item) texts() [numTextFields]*string {
	return [numTextFields]*string{
		FieldProvider:       (*string)(&it.Provider),
		FieldBillingPeriod:  &it.BillingPeriod,
		FieldPayerAccount:   &it.PayerAccount,
		FieldUsageAccount:   &it.UsageAccount,
		FieldType:           &it.Type,
		FieldBillingEntity:  &it.BillingEntity,
		FieldLegalEntity:    &it.LegalEntity,
		FieldProductCode:    &it.ProductCode,
		FieldProductName:    &it.ProductName,
		FieldUsageType:      &it.UsageType,
		FieldOperation:      &it.Operation,
		FieldRegion:         &it.Region,
		FieldResourceID:     &it.ResourceID,
		FieldReservationARN: &it.ReservationARN,
		FieldSavingsPlanARN: &it.SavingsPlanARN,
		FieldCurrency:       &it.Currency,
		FieldInvoiceID:      &it.InvoiceID,
		FieldDescription:    &it.Description,
	}
}

// amounts are the decimal fields of it, in Field order from
// FieldUsageAmount.
func (it *Item) amounts() [8]*decimal.Decimal {
	return [8]*decimal.Decimal{
		&it.UsageAmount, &it.UnblendedRate, &it.UnblendedCost, &it.BlendedRate,
		&it.BlendedCost, &it.PublicOnDemandCost, &it.ReservationEffectiveCost, &it.SavingsPlanEffectiveCost,
	}
}

// Validate checks every field of it against the rules the engine relies on:
// every string (tags included) is text (CheckText), accounts and the owner
// accounts of reservation and Savings Plan ARNs have the provider's shape,
// the currency is ISO 4217, the billing period is a real month and every
// amount lies in the range money.CheckAmount allows. It returns the first
// failure, or nil.
//
// An importer applies the same rules in two cheaper steps: text and
// amounts where its reader makes them (CheckText once per distinct string,
// money.Parse for every number), the shapes through a Checker. Validate is
// the whole rule, which tests assert of every item an importer accepts.
func Validate(it *Item) *Invalid {
	var c Checker
	return c.Validate(it)
}

// Validate is the whole rule of the package's Validate with c's options
// (Opaque): what tests assert of every item an importer accepts from a
// format of opaque ids.
func (c *Checker) Validate(it *Item) *Invalid {
	texts := it.texts()
	for f := range numTextFields {
		if err := CheckText(*texts[f]); err != nil {
			return &Invalid{Field: f, Value: *texts[f], Reason: err.Error()}
		}
	}
	for i, t := range it.Tags {
		if err := CheckText(t.Key); err != nil {
			return &Invalid{Field: FieldTagKey, Tag: i, Value: t.Key, Reason: err.Error()}
		}
		if err := CheckText(t.Value); err != nil {
			return &Invalid{Field: FieldTagValue, Tag: i, Value: t.Value, Reason: err.Error()}
		}
	}
	amounts := it.amounts()
	for i := range amounts {
		if err := money.CheckAmount(*amounts[i]); err != nil {
			return &Invalid{Field: FieldUsageAmount + Field(i), Value: amounts[i].String(), Reason: "is not an amount Rebill can hold: " + err.Error()}
		}
	}
	return c.Check(it)
}

// shapeFields are the string fields with a rule beyond being text.
var shapeFields = [...]Field{
	FieldProvider, FieldBillingPeriod, FieldPayerAccount, FieldUsageAccount,
	FieldReservationARN, FieldSavingsPlanARN, FieldCurrency,
}

// Checker applies the shape rules of Validate (provider, billing period,
// accounts, ARN owners, currency) to the items of one file, in order. A
// value equal to the one the field had on the item before, of the same
// provider and payer, is not checked again: billing files repeat most
// values from row to row, so checking costs a comparison per field. The
// zero Checker is ready to use.
type Checker struct {
	// Opaque checks account ids as one word instead of the provider's own
	// shape, for a format whose ids are whatever its writer chose: FOCUS
	// defines BillingAccountId and SubAccountId as provider-assigned
	// strings, and the FOCUS and cost exports that converters and FinOps
	// tools write (the FinOps Foundation's samples among them) rename
	// them. The files a provider itself writes in its own format (the AWS
	// CUR and DBR) keep the provider's shapes.
	Opaque bool

	last    [len(shapeFields)]string
	checked [len(shapeFields)]bool
}

// Check returns the first field of it that breaks a shape rule, or nil.
func (c *Checker) Check(it *Item) *Invalid {
	values := [len(shapeFields)]string{
		string(it.Provider), it.BillingPeriod, it.PayerAccount, it.UsageAccount,
		it.ReservationARN, it.SavingsPlanARN, it.Currency,
	}
	if c.checked[0] && (values[0] != c.last[0] || values[2] != c.last[2]) {
		// The rules depend on the provider, and a usage account may be
		// the payer's.
		c.checked = [len(shapeFields)]bool{}
	}
	for i, s := range values {
		if c.checked[i] && s == c.last[i] {
			continue
		}
		if reason := checkField(shapeFields[i], it, s, c.Opaque); reason != "" {
			return &Invalid{Field: shapeFields[i], Value: s, Reason: reason}
		}
		c.last[i], c.checked[i] = s, true
	}
	return nil
}

// String names the field as Item spells it, for tests and logs.
func (f Field) String() string {
	if f >= 0 && int(f) < len(fieldNames) {
		return fieldNames[f]
	}
	return fmt.Sprintf("Field(%d)", int(f))
}

var fieldNames = [...]string{
	"Provider", "BillingPeriod", "PayerAccount", "UsageAccount", "Type", "BillingEntity", "LegalEntity",
	"ProductCode", "ProductName", "UsageType", "Operation", "Region", "ResourceID", "ReservationARN",
	"SavingsPlanARN", "Currency", "InvoiceID", "Description",
	"UsageAmount", "UnblendedRate", "UnblendedCost", "BlendedRate", "BlendedCost", "PublicOnDemandCost",
	"ReservationEffectiveCost", "SavingsPlanEffectiveCost", "TagKey", "TagValue",
}
