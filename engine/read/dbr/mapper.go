package dbr

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/excerpt"
	"rebill/engine/lineitem"
	"rebill/engine/money"
	"rebill/engine/read"
)

// Mapper turns the rows of one DBR into line items and checks its totals
// once the last row is read.
type Mapper struct {
	row  *read.Row
	tags read.TagColumns
	at   func() string

	// The table's month, from its first dated line item, and that line.
	year       int
	month      time.Month
	period     string
	periodFrom string

	// sums are the line items' costs by payer, invoice and account; the
	// scope of the row before is kept, as rows come grouped.
	sums      map[scope]*costs
	lastScope scope
	lastSums  *costs
	// roundings are the Rounding rows' amounts by their scope.
	roundings map[scope]*costs
	// totals are the totals the file states, in order.
	totals []total
}

// maxScopes bounds what the checks of totals keep: the distinct payer,
// invoice and account of the line items, and the total and Rounding rows.
// An AWS organisation has some thousands of accounts at most, each on a
// few invoices; a file beyond this is not one AWS wrote, and memory stays
// bounded whatever a file holds.
const maxScopes = 1 << 20

// errTooMany refuses a file with more scopes than maxScopes.
var errTooMany = fmt.Errorf("more than %d invoices, accounts and totals: this is not a Detailed Billing Report AWS writes", maxScopes)

// scope is what a line item belongs to, or what a total covers: a payer,
// and an invoice and a usage account when the total names them ("" covers
// them all).
type scope struct {
	payer, invoice, account string
}

// covering are the scopes of the totals that count the line items (or the
// rounding) of scope k: its payer's statement, its invoice, its account,
// its account on its invoice.
func (k scope) covering() []scope {
	out := []scope{{payer: k.payer}}
	add := func(s scope) {
		if s != out[len(out)-1] && (len(out) < 2 || s != out[len(out)-2]) {
			out = append(out, s)
		}
	}
	add(scope{payer: k.payer, invoice: k.invoice})
	add(scope{payer: k.payer, account: k.account})
	add(k)
	return out
}

// costs are the sums of the line items of one scope.
type costs struct {
	unblended, blended money.Sum
}

// total is one total row (or Rounding row) of the file.
type total struct {
	kind  string // its RecordType: InvoiceTotal, AccountTotal or StatementTotal
	scope scope
	where string // its position, from at
	// The amounts it states, where it states them.
	unblended, blended       decimal.Decimal
	hasUnblended, hasBlended bool
}

// NewMapper prepares the mapping of a DBR with this header. at tells the
// position of the row being mapped, for the messages about totals. It
// fails with a *read.DuplicateError for a column that appears twice and a
// *read.FormatError naming the required columns the header lacks.
func NewMapper(header []string, at func() string) (*Mapper, error) {
	m := &Mapper{at: at, sums: map[scope]*costs{}, roundings: map[scope]*costs{}}
	var err error
	if m.tags, err = read.FindTags(header, tagKey, columns); err != nil {
		return nil, err
	}
	row, err := columns.Rows(header, required)
	if err != nil {
		return nil, err
	}
	m.row = row
	return m, nil
}

// costColumn, rateColumn, blendedColumn and blendedRateColumn are the
// columns a figure is read from: the consolidated report's blended and
// unblended pairs, or a single account's Rate and Cost, which serve both.
func (m *Mapper) costColumn() int        { return m.either(colUnblendedCost, colCost) }
func (m *Mapper) rateColumn() int        { return m.either(colUnblendedRate, colRate) }
func (m *Mapper) blendedColumn() int     { return m.either(colBlendedCost, colCost) }
func (m *Mapper) blendedRateColumn() int { return m.either(colBlendedRate, colRate) }

// either is column a, or b when the header has only b.
func (m *Mapper) either(a, b int) int {
	if !m.row.Has(a) && m.row.Has(b) {
		return b
	}
	return a
}

// Map fills it from a LineItem row. A total or Rounding row is kept for
// Done and gives read.ErrNotLineItem, as does the disclaimer row of an
// estimated report; any other record type is refused.
func (m *Mapper) Map(fields [][]byte, it *lineitem.Item) error {
	r := m.row
	if err := r.Start(fields); err != nil {
		return err
	}
	switch rt := r.Field(colRecordType); string(rt) {
	case recordLineItem:
	case recordInvoiceTotal, recordAccountTotal, recordStatementTotal, recordRounding:
		return m.total(string(rt))
	case recordDisclaimer:
		return read.ErrNotLineItem
	default:
		return r.Err(colRecordType, fmt.Errorf("%s is not a record type of the Detailed Billing Report: LineItem, InvoiceTotal, AccountTotal, StatementTotal, Rounding or EstimatedDisclaimer", excerpt.Bytes(rt)))
	}
	var err error
	it.Provider = lineitem.AWS
	invoice := r.Str(colInvoiceID)
	it.InvoiceID = invoice
	if invoice == estimated {
		// The month is not final until AWS issues its invoice.
		it.InvoiceID = ""
	}
	it.PayerAccount = r.Str(colPayer)
	it.UsageAccount = r.Str(colLinked)
	// The DBR names no line item type: its rows are billed as usage, at
	// the cost AWS billed (a reservation's rate is in the cost, its
	// reservation is not named, so nothing can be re-rated).
	it.Type = lineitem.Usage
	it.BillingEntity, it.LegalEntity = "", ""
	// The DBR names a service by its name alone: the code is the one
	// the CUR writes beside that name, or the name itself.
	it.ProductName = r.Str(colProductName)
	it.ProductCode = read.AWSProductCode(it.ProductName)
	it.UsageType = r.Str(colUsageType)
	it.Operation = r.Str(colOperation)
	it.Region = ""
	if az := r.Field(colAZ); len(az) > 2 && az[len(az)-1] >= 'a' && az[len(az)-1] <= 'z' && az[len(az)-2] >= '0' && az[len(az)-2] <= '9' {
		// An availability zone is its region plus a letter: us-east-1a.
		it.Region = r.Text(r.Col[colAZ], az[:len(az)-1])
	}
	it.ResourceID = r.Str(colResourceID)
	it.ReservationARN, it.SavingsPlanARN = "", ""
	it.Currency = "USD" // AWS wrote its DBRs in US dollars
	if r.Has(colCurrency) {
		it.Currency = r.Str(colCurrency)
	}
	it.Description = r.Str(colDescription)
	if err := r.Bad(); err != nil {
		return err
	}
	if it.UsageStart, err = read.ParseTime(r.Field(colUsageStart)); err != nil {
		return r.Err(colUsageStart, err)
	}
	if it.BillingPeriod, err = m.monthOf(it.UsageStart); err != nil {
		return r.Err(colUsageStart, err)
	}
	for _, n := range []struct {
		col int
		dst *decimal.Decimal
	}{
		{colUsageQuantity, &it.UsageAmount},
		{m.rateColumn(), &it.UnblendedRate},
		{m.costColumn(), &it.UnblendedCost},
		{m.blendedRateColumn(), &it.BlendedRate},
		{m.blendedColumn(), &it.BlendedCost},
	} {
		if *n.dst, err = r.Amount(n.col); err != nil {
			return err
		}
	}
	it.PublicOnDemandCost, it.ReservationEffectiveCost, it.SavingsPlanEffectiveCost = decimal.Zero, decimal.Zero, decimal.Zero
	// The provider-neutral fields the DBR has: every line item is billed
	// usage, at the cost AWS billed, nothing amortized.
	it.ChargeCategory, it.ChargeClass = lineitem.CategoryUsage, ""
	it.EffectiveCost, it.ContractedCost, it.PartnerCredit = it.UnblendedCost, it.UnblendedCost, decimal.Zero
	it.CommitmentDiscountID, it.CommitmentOwner, it.InvoiceIssuer, it.Publisher = "", "", "", ""
	it.Tags = m.tags.Append(it.Tags[:0], r, fields)
	if err := r.Bad(); err != nil {
		return err
	}
	return m.add(scope{it.PayerAccount, invoice, m.account(it.PayerAccount, it.UsageAccount)}, it)
}

// account is the usage account a row counts for: the linked account, or
// the payer's own on a row that names none.
func (m *Mapper) account(payer, linked string) string {
	if linked == "" {
		return payer
	}
	return linked
}

// monthOf is the billing month of a line item whose usage starts at t: a
// DBR holds one month, so the month of the first dated line item, which
// every other line item must share. An undated line item is in the month
// of the line items before it.
func (m *Mapper) monthOf(t time.Time) (string, error) {
	if t.IsZero() {
		if m.period == "" {
			return "", fmt.Errorf("is empty: the month of a Detailed Billing Report is read from its line items' usage start dates")
		}
		return m.period, nil
	}
	if y, mo := t.Year(), t.Month(); m.period == "" {
		m.year, m.month = y, mo
		m.period = fmt.Sprintf("%04d-%02d", y, mo)
		m.periodFrom = m.at()
	} else if y != m.year || mo != m.month {
		return "", fmt.Errorf("%04d-%02d is not the month of this report: a Detailed Billing Report holds one month, %s since %s",
			y, mo, m.period, m.periodFrom)
	}
	return m.period, nil
}

// add counts a line item's costs in its scope.
func (m *Mapper) add(k scope, it *lineitem.Item) error {
	if m.lastSums == nil || k != m.lastScope {
		c := m.sums[k]
		if c == nil {
			if m.scopes() >= maxScopes {
				return errTooMany
			}
			c = &costs{}
			m.sums[k] = c
		}
		m.lastScope, m.lastSums = k, c
	}
	m.lastSums.unblended.Add(it.UnblendedCost)
	m.lastSums.blended.Add(it.BlendedCost)
	return nil
}

// scopes counts what the checks of totals keep.
func (m *Mapper) scopes() int { return len(m.sums) + len(m.roundings) + len(m.totals) }

// total keeps a total or Rounding row for Done.
func (m *Mapper) total(kind string) error {
	row := m.row
	t := total{kind: kind, where: m.at()}
	payer, invoice, linked := row.Str(colPayer), row.Str(colInvoiceID), row.Str(colLinked)
	if err := row.Bad(); err != nil {
		return err
	}
	if m.scopes() >= maxScopes {
		return errTooMany
	}
	switch kind {
	case recordInvoiceTotal, recordStatementTotal:
		// A statement total names no invoice (it covers them all) or
		// the one it totals.
		t.scope = scope{payer: payer, invoice: invoice}
	case recordAccountTotal:
		t.scope = scope{payer, invoice, m.account(payer, linked)}
	case recordRounding:
		// A rounding amount counts towards every total that covers it.
		t.scope = scope{payer, invoice, linked}
	}
	var err error
	if c := m.costColumn(); !money.IsNull(row.Field(c)) {
		if t.unblended, err = money.Parse(row.Field(c)); err != nil {
			return row.Err(c, err)
		}
		t.hasUnblended = true
	}
	if c := m.blendedColumn(); c != m.costColumn() && !money.IsNull(row.Field(c)) {
		if t.blended, err = money.Parse(row.Field(c)); err != nil {
			return row.Err(c, err)
		}
		t.hasBlended = true
	}
	if kind != recordRounding {
		m.totals = append(m.totals, t)
		return read.ErrNotLineItem
	}
	r := m.roundings[t.scope]
	if r == nil {
		r = &costs{}
		m.roundings[t.scope] = r
	}
	r.unblended.Add(t.unblended)
	r.blended.Add(t.blended)
	return read.ErrNotLineItem
}

// aggregate sums costs by the scope of every total that counts them.
func aggregate(by map[scope]*costs) map[scope]*costs {
	out := make(map[scope]*costs, 2*len(by))
	for k, c := range by {
		for _, s := range k.covering() {
			a := out[s]
			if a == nil {
				a = &costs{}
				out[s] = a
			}
			a.unblended.AddSum(c.unblended)
			a.blended.AddSum(c.blended)
		}
	}
	return out
}

// Done checks every total the file states against its line items: an
// InvoiceTotal against the line items of its invoice, an AccountTotal
// against those of its account (and invoice, when it names one), a
// StatementTotal against all of its payer's. A total agrees when it equals
// the line items' sum, or that sum plus the Rounding rows it covers
// (AWS's rounding of the invoice to the cent), exactly or at the total's
// own number of decimals. The first total that does not is a
// *read.RowError naming its row and column.
func (m *Mapper) Done() error {
	if len(m.totals) == 0 {
		return nil
	}
	sums, roundings := aggregate(m.sums), aggregate(m.roundings)
	for _, t := range m.totals {
		var items, rounding costs
		if c := sums[t.scope]; c != nil {
			items = *c
		}
		if c := roundings[t.scope]; c != nil {
			rounding = *c
		}
		checks := []struct {
			has                  bool
			col                  int
			stated, sum, rounded decimal.Decimal
		}{
			{t.hasUnblended, m.costColumn(), t.unblended, items.unblended.Total(), rounding.unblended.Total()},
			{t.hasBlended, m.blendedColumn(), t.blended, items.blended.Total(), rounding.blended.Total()},
		}
		for _, c := range checks {
			if !c.has || agrees(c.stated, c.sum, c.rounded) {
				continue
			}
			with := ""
			if !c.rounded.IsZero() {
				with = fmt.Sprintf(" (%s with the Rounding rows)", c.sum.Add(c.rounded))
			}
			return &read.RowError{Where: t.where, Column: m.row.Heading(c.col), Err: fmt.Errorf(
				"the %s is %s but the line items of %s add up to %s%s: the file is incomplete or was changed; download it again",
				t.kind, c.stated, t.scope.words(), c.sum, with)}
		}
	}
	return nil
}

// agrees tells whether a stated total is the line items' sum, with or
// without the rounding, exactly or at the total's own decimals.
func agrees(stated, sum, rounding decimal.Decimal) bool {
	places := int32(0)
	if e := stated.Exponent(); e < 0 {
		places = -e
	}
	for _, s := range []decimal.Decimal{sum, sum.Add(rounding)} {
		if stated.Equal(s) || stated.Equal(s.Round(places)) {
			return true
		}
	}
	return false
}

// words says what a scope covers, for messages.
func (s scope) words() string {
	var parts []string
	if s.account != "" {
		parts = append(parts, "account "+excerpt.Quote(s.account))
	}
	if s.invoice != "" {
		parts = append(parts, "invoice "+excerpt.Quote(s.invoice))
	}
	parts = append(parts, "payer "+excerpt.Quote(s.payer))
	return strings.Join(parts, ", ")
}

// Allocated is the number of bytes of the strings the mapper has made.
func (m *Mapper) Allocated() int64 { return m.row.Allocated() }

// fieldColumns is the column each field of a line item is read from, where
// that does not depend on the file.
var fieldColumns = map[lineitem.Field]int{
	lineitem.FieldBillingPeriod: colUsageStart,
	lineitem.FieldPayerAccount:  colPayer,
	lineitem.FieldProductCode:   colProductName,
	lineitem.FieldProductName:   colProductName,
	lineitem.FieldUsageType:     colUsageType,
	lineitem.FieldOperation:     colOperation,
	lineitem.FieldRegion:        colAZ,
	lineitem.FieldResourceID:    colResourceID,
	lineitem.FieldCurrency:      colCurrency,
	lineitem.FieldInvoiceID:     colInvoiceID,
	lineitem.FieldDescription:   colDescription,
	lineitem.FieldUsageAmount:   colUsageQuantity,
}

// Column names, as the file spells it, the column the invalid value of it
// came from; "" for a field no column fills (the provider, the type, a
// currency the file does not state).
func (m *Mapper) Column(fields [][]byte, it *lineitem.Item, inv *lineitem.Invalid) string {
	r := m.row
	if len(fields) != len(r.Header) {
		return ""
	}
	name := r.Heading
	switch inv.Field {
	case lineitem.FieldUsageAccount:
		if r.Has(colLinked) && !money.IsNull(fields[r.Col[colLinked]]) {
			return name(colLinked)
		}
		return name(colPayer) // an empty linked account is the payer's
	case lineitem.FieldUnblendedRate:
		return name(m.rateColumn())
	case lineitem.FieldUnblendedCost:
		return name(m.costColumn())
	case lineitem.FieldBlendedRate:
		return name(m.blendedRateColumn())
	case lineitem.FieldBlendedCost:
		return name(m.blendedColumn())
	case lineitem.FieldTagKey, lineitem.FieldTagValue:
		if inv.Tag < len(it.Tags) {
			return m.tags.Column(r.Header, fields, it.Tags[inv.Tag].Key)
		}
		return ""
	}
	if c, ok := fieldColumns[inv.Field]; ok {
		return name(c)
	}
	return ""
}
