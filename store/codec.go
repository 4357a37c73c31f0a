package store

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/lineitem"
)

// Line items are stored in blocks of rowsPerBlock rows. Inside a delivery
// (a slice) the payer, period and currency are constant and kept once;
// every string is replaced by its id in the slice's dictionary; amounts are
// exact (coefficient, exponent) varints. This keeps the database a fraction
// of the CSV's size and makes scans cheap.
const rowsPerBlock = 1024

// Presence flags of a row, in bit order.
const (
	flagTime = 1 << numAmounts
	flagTags = 1 << (numAmounts + 1)
)

const numAmounts = 8

// amounts lists a row's decimal fields in storage order.
func amounts(it *lineitem.Item) [numAmounts]*decimal.Decimal {
	return [numAmounts]*decimal.Decimal{
		&it.UsageAmount, &it.UnblendedRate, &it.UnblendedCost, &it.BlendedRate,
		&it.BlendedCost, &it.PublicOnDemandCost, &it.ReservationEffectiveCost, &it.SavingsPlanEffectiveCost,
	}
}

const numStrings = 14

// stringFields lists a row's string fields in storage order.
func stringFields(it *lineitem.Item) [numStrings]*string {
	return [numStrings]*string{
		&it.UsageAccount, &it.Type, &it.BillingEntity, &it.LegalEntity, &it.ProductCode, &it.ProductName,
		&it.UsageType, &it.Operation, &it.Region, &it.ResourceID, &it.ReservationARN, &it.SavingsPlanARN,
		&it.InvoiceID, &it.Description,
	}
}

// sliceHeader is what all rows of a slice share.
type sliceHeader struct {
	Provider lineitem.Provider `json:"provider"`
	Payer    string            `json:"payer"`
	Period   string            `json:"period"`
	Currency string            `json:"currency"`
}

// timeBase is the period's first instant; usage start times are stored as
// milliseconds from it, which keeps them to a few bytes.
func (h sliceHeader) timeBase() int64 {
	t, err := time.Parse("2006-01", h.Period)
	if err != nil {
		return 0
	}
	return t.UnixMilli()
}

// encoder turns line items into blocks and dictionary chunks.
type encoder struct {
	base      int64
	ids       map[string]uint64
	newDict   []byte // dictionary entries not yet written
	nextID    uint64
	block     []byte
	blockRows int
}

func newEncoder(h sliceHeader) *encoder {
	e := &encoder{base: h.timeBase(), ids: map[string]uint64{"": 0}, nextID: 1}
	return e
}

func (e *encoder) str(s string) uint64 {
	if id, ok := e.ids[s]; ok {
		return id
	}
	id := e.nextID
	e.nextID++
	e.ids[s] = id
	e.newDict = binary.AppendUvarint(e.newDict, uint64(len(s)))
	e.newDict = append(e.newDict, s...)
	return id
}

// add appends one row to the current block and reports whether the block
// is full.
func (e *encoder) add(it *lineitem.Item) bool {
	var flags uint64
	amts := amounts(it)
	for i, d := range amts {
		if !d.IsZero() {
			flags |= 1 << i
		}
	}
	if !it.UsageStart.IsZero() {
		flags |= flagTime
	}
	if len(it.Tags) > 0 {
		flags |= flagTags
	}
	b := binary.AppendUvarint(e.block, flags)
	for _, s := range stringFields(it) {
		b = binary.AppendUvarint(b, e.str(*s))
	}
	if flags&flagTime != 0 {
		b = binary.AppendVarint(b, it.UsageStart.UnixMilli()-e.base)
	}
	for i, d := range amts {
		if flags&(1<<i) != 0 {
			b = appendDecimal(b, *d)
		}
	}
	if flags&flagTags != 0 {
		b = binary.AppendUvarint(b, uint64(len(it.Tags)))
		for _, t := range it.Tags {
			b = binary.AppendUvarint(b, e.str(t.Key))
			b = binary.AppendUvarint(b, e.str(t.Value))
		}
	}
	e.block = b
	e.blockRows++
	return e.blockRows == rowsPerBlock
}

// takeBlock returns the encoded block (row count first) and starts a new one.
func (e *encoder) takeBlock() []byte {
	out := binary.AppendUvarint(make([]byte, 0, len(e.block)+3), uint64(e.blockRows))
	out = append(out, e.block...)
	e.block, e.blockRows = e.block[:0], 0
	return out
}

func (e *encoder) takeDict() []byte {
	out := e.newDict
	e.newDict = nil
	return out
}

// appendDecimal writes an exact decimal: a header varint (exponent, and
// whether the coefficient is too big for an int64) then the coefficient.
// Trailing zeros of the coefficient are dropped; the value is unchanged.
func appendDecimal(b []byte, d decimal.Decimal) []byte {
	exp := d.Exponent()
	if d.NumDigits() <= 18 {
		c := d.CoefficientInt64()
		for c != 0 && c%10 == 0 {
			c /= 10
			exp++
		}
		b = binary.AppendVarint(b, int64(exp)<<1)
		return binary.AppendVarint(b, c)
	}
	text := d.Coefficient().String()
	b = binary.AppendVarint(b, int64(exp)<<1|1)
	b = binary.AppendUvarint(b, uint64(len(text)))
	return append(b, text...)
}

var errCorrupt = errors.New("stored line items are damaged")

// decoder reads rows back from blocks.
type decoder struct {
	head sliceHeader
	base int64
	dict []string
}

func loadDict(chunks [][]byte) ([]string, error) {
	dict := []string{""}
	for _, c := range chunks {
		for len(c) > 0 {
			n, k := binary.Uvarint(c)
			if k <= 0 || uint64(len(c)-k) < n {
				return nil, errCorrupt
			}
			dict = append(dict, string(c[k:k+int(n)]))
			c = c[k+int(n):]
		}
	}
	return dict, nil
}

// block decodes every row of one block, calling fn with a reused item.
func (d *decoder) block(b []byte, it *lineitem.Item, fn func(*lineitem.Item) error) error {
	r := reader{b: b}
	rows := r.uvarint()
	for range rows {
		if err := d.row(&r, it); err != nil {
			return err
		}
		if r.err != nil {
			return r.err
		}
		if err := fn(it); err != nil {
			return err
		}
	}
	return r.err
}

func (d *decoder) row(r *reader, it *lineitem.Item) error {
	flags := r.uvarint()
	it.Provider = d.head.Provider
	it.PayerAccount = d.head.Payer
	it.BillingPeriod = d.head.Period
	it.Currency = d.head.Currency
	for _, s := range stringFields(it) {
		*s = d.lookup(r, r.uvarint())
	}
	it.UsageStart = time.Time{}
	if flags&flagTime != 0 {
		it.UsageStart = time.UnixMilli(d.base + r.varint()).UTC()
	}
	for i, p := range amounts(it) {
		*p = decimal.Decimal{}
		if flags&(1<<i) != 0 {
			*p = r.decimal()
		}
	}
	it.Tags = it.Tags[:0]
	if flags&flagTags != 0 {
		n := r.uvarint()
		for range n {
			k := d.lookup(r, r.uvarint())
			v := d.lookup(r, r.uvarint())
			it.Tags = append(it.Tags, lineitem.Tag{Key: k, Value: v})
		}
	}
	return r.err
}

func (d *decoder) lookup(r *reader, id uint64) string {
	if id >= uint64(len(d.dict)) {
		r.fail()
		return ""
	}
	return d.dict[id]
}

// reader walks an encoded block, remembering the first error.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail() {
	if r.err == nil {
		r.err = errCorrupt
	}
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) decimal() decimal.Decimal {
	h := r.varint()
	exp := int32(h >> 1)
	if h&1 == 0 {
		return decimal.New(r.varint(), exp)
	}
	n := r.uvarint()
	if uint64(len(r.b)) < n {
		r.fail()
		return decimal.Decimal{}
	}
	text := string(r.b[:n])
	r.b = r.b[n:]
	c, err := decimal.NewFromString(text)
	if err != nil {
		r.fail()
		return decimal.Decimal{}
	}
	return c.Shift(exp)
}
