package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"math/big"
	"time"
	"unsafe"

	"github.com/shopspring/decimal"

	"rebill/engine/lineitem"
	"rebill/engine/money"
)

// Line items are stored in blocks of rowsPerBlock rows. Inside a delivery
// (a slice) the payer, period and currency are constant and kept once;
// every string is replaced by its id in the slice's dictionary; amounts are
// exact (coefficient, exponent) varints. This keeps the database a fraction
// of the CSV's size and makes scans cheap.
const rowsPerBlock = 1024

// Presence flags of a row, in bit order.
//
// The row format has two versions, told apart by flagNeutral, so that
// blocks written before the provider-neutral fields existed decode as
// they are, with those fields zero, and need no migration:
//   - version 1 (schema 9 and before): the flags, the strings, the time,
//     the amounts and the tags of stringFields and amounts;
//   - version 2: the same, and when flagNeutral is set, the
//     provider-neutral fields after the tags: their own presence flags
//     (one bit per neutralAmounts field), one dictionary id per
//     neutralStrings field, then the present amounts.
//
// A row whose provider-neutral fields are all zero is written as
// version 1: AWS CUR rows keep their size.
const (
	flagTime    = 1 << numAmounts
	flagTags    = 1 << (numAmounts + 1)
	flagNeutral = 1 << (numAmounts + 2)
	// flagsEnd is the first flag bit no encoder sets.
	flagsEnd = 1 << (numAmounts + 3)
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

const numNeutralAmounts = 3

// neutralAmounts lists a row's provider-neutral decimal fields in storage
// order (row format version 2).
func neutralAmounts(it *lineitem.Item) [numNeutralAmounts]*decimal.Decimal {
	return [numNeutralAmounts]*decimal.Decimal{&it.EffectiveCost, &it.ContractedCost, &it.PartnerCredit}
}

const numNeutralStrings = 6

// neutralStrings lists a row's provider-neutral string fields in storage
// order (row format version 2).
func neutralStrings(it *lineitem.Item) [numNeutralStrings]*string {
	return [numNeutralStrings]*string{&it.ChargeCategory, &it.ChargeClass, &it.CommitmentDiscountID,
		&it.CommitmentOwner, &it.InvoiceIssuer, &it.Publisher}
}

// hasNeutral reports whether any provider-neutral field is set, so that
// the row needs format version 2.
func hasNeutral(it *lineitem.Item) bool {
	for _, s := range neutralStrings(it) {
		if *s != "" {
			return true
		}
	}
	for _, d := range neutralAmounts(it) {
		if !d.IsZero() {
			return true
		}
	}
	return false
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
	seen      *seenIDs
	// lastIDs is each string field's value in the row before, with its
	// id: most fields repeat it, in the same string (read.Interner), so
	// comparing addresses finds most ids without a lookup in seen.
	lastIDs [numStrings]seenID
	// lastTags is the same for the tags, by position: key, value, key...
	lastTags []seenID
	// next is, by id, the string (with its id) that came after that id's
	// string in its field the last time the field changed, for the first
	// followIDs ids: see follow.
	next []seenID
}

// followIDs bounds encoder.next (24 bytes an id): a month of the sample
// holds about 11,600 distinct strings; one of millions of resource ids
// would otherwise double the dictionary's memory.
const followIDs = 1 << 16

// seenIDs remembers the dictionary ids of the strings met lately, by
// where their bytes are. The mapper hands the same string for every
// repeat of a value (read.Interner), so its address finds its id without
// hashing its bytes into ids, which took a tenth of an import's time.
// Correctness never rests on an address: a hit is confirmed by comparing
// the strings (Go compares a string with itself by address, at once),
// and an entry holds its string, so those bytes cannot be freed and
// reused by another string while it is there. A miss costs the lookup in
// ids it would have cost anyway.
type seenIDs [seenSlots]seenID

type seenID struct {
	s  string
	id uint64
}

// seenSlots is 1<<seenBits entries, 384 KiB, taken two by two: a string
// may sit in either slot of its pair, so two hot strings whose addresses
// meet no longer push each other out. A 5M-row month of the sample holds
// about 11,600 distinct strings: with 4096 single slots, they pushed
// each other out on 8.2M lookups, with 16,384 on 4.2M, and the import
// took 5 % less CPU; 65,536 slots (1.2M misses) saved nothing more. In
// pairs, with each field's last id (encoder.lastIDs) tried first, the
// encoding of the 1M-row sample takes 12 % less time (252 -> 222 ns a
// row, medians of a benchmark of the encoder alone).
const (
	seenBits  = 14
	seenSlots = 1 << seenBits
)

// pair is the two slots where s may be remembered, chosen by the address
// of its bytes: the newer in the first.
func (c *seenIDs) pair(s string) *[2]seenID {
	addr := uint64(uintptr(unsafe.Pointer(unsafe.StringData(s))))
	i := (addr * 0x9E3779B97F4A7C15) >> (64 - seenBits + 1) << 1
	return (*[2]seenID)(c[i : i+2])
}

func newEncoder(h sliceHeader) *encoder {
	e := &encoder{base: h.timeBase(), ids: map[string]uint64{"": 0}, nextID: 1, seen: new(seenIDs)}
	return e
}

func (e *encoder) str(s string) uint64 {
	if s == "" {
		return 0
	}
	pair := e.seen.pair(s)
	if pair[0].s == s {
		return pair[0].id
	}
	if pair[1].s == s {
		return pair[1].id
	}
	id, ok := e.ids[s]
	if !ok {
		id = e.nextID
		e.nextID++
		e.ids[s] = id
		e.newDict = binary.AppendUvarint(e.newDict, uint64(len(s)))
		e.newDict = append(e.newDict, s...)
	}
	pair[1], pair[0] = pair[0], seenID{s, id}
	return id
}

// follow is the id of s, the value of a field whose value in the row
// before was last, which it then becomes. Most fields hold the row
// before's string, the same address (read.Interner). A field of
// thousands of values met in turn (resource ids and Name tags, one line
// each per resource and hour) misses seen's slots, scattered over 384
// KiB, but meets its values in the same order every hour: next, filled in
// the order the ids were made, names the coming one. Importing the 5M-row
// sample, the encoder took 1.5-1.7 s of CPU instead of 2.5 (profiles of
// two pairs of runs); encoding rows already in memory, alone, showed no
// difference: seen's slots miss the caches when the mapping, on the
// other core, shares them.
func (e *encoder) follow(last *seenID, s string) uint64 {
	if sameString(last.s, s) {
		return last.id
	}
	prev := last.id
	if prev < uint64(len(e.next)) {
		if n := e.next[prev]; sameString(n.s, s) {
			*last = n
			return n.id
		}
	}
	*last = seenID{s, e.str(s)}
	if prev < followIDs {
		if prev >= uint64(len(e.next)) {
			e.next = append(e.next, make([]seenID, prev+1-uint64(len(e.next)))...)
			e.next = e.next[:cap(e.next)]
		}
		e.next[prev] = *last
	}
	return last.id
}

// sameString tells whether a and b are the same string by address: the
// same bytes, not merely equal ones.
func sameString(a, b string) bool {
	return unsafe.StringData(a) == unsafe.StringData(b) && len(a) == len(b)
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
	if hasNeutral(it) {
		flags |= flagNeutral
	}
	b := binary.AppendUvarint(e.block, flags)
	for i, s := range stringFields(it) {
		b = binary.AppendUvarint(b, e.follow(&e.lastIDs[i], *s))
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
		if n := 2 * len(it.Tags); n > len(e.lastTags) {
			e.lastTags = append(e.lastTags, make([]seenID, n-len(e.lastTags))...)
		}
		for i, t := range it.Tags {
			b = binary.AppendUvarint(b, e.follow(&e.lastTags[2*i], t.Key))
			b = binary.AppendUvarint(b, e.follow(&e.lastTags[2*i+1], t.Value))
		}
	}
	if flags&flagNeutral != 0 {
		b = e.appendNeutral(b, it)
	}
	e.block = b
	e.blockRows++
	return e.blockRows == rowsPerBlock
}

// appendNeutral writes the provider-neutral fields of a version 2 row.
func (e *encoder) appendNeutral(b []byte, it *lineitem.Item) []byte {
	var present uint64
	amts := neutralAmounts(it)
	for i, d := range amts {
		if !d.IsZero() {
			present |= 1 << i
		}
	}
	b = binary.AppendUvarint(b, present)
	for _, s := range neutralStrings(it) {
		b = binary.AppendUvarint(b, e.str(*s))
	}
	for i, d := range amts {
		if present&(1<<i) != 0 {
			b = appendDecimal(b, *d)
		}
	}
	return b
}

// takeBlock returns the encoded block (row count first, checksum last)
// and starts a new one.
func (e *encoder) takeBlock() []byte {
	out := binary.AppendUvarint(make([]byte, 0, len(e.block)+binary.MaxVarintLen64+checksumSize), uint64(e.blockRows))
	out = append(out, e.block...)
	e.block, e.blockRows = e.block[:0], 0
	return seal(out)
}

// takeDict returns the dictionary entries added since the last call, with
// their checksum, or nil when there are none.
func (e *encoder) takeDict() []byte {
	out := e.newDict
	e.newDict = nil
	if len(out) == 0 {
		return nil
	}
	return seal(out)
}

// Every stored row block and dictionary chunk ends with the CRC-32C
// (Castagnoli) of the bytes before it, checked before anything in it is
// decoded, so damaged rows are an error and never a different amount.
// It detects faults (a flipped bit, a torn, truncated or misplaced
// write) and casual edits of the file. It does not stop someone who
// rewrites a block and its checksum on purpose: the audit chain, not this
// checksum, is what protects issued documents, which keep their own
// figures.
const checksumSize = 4

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// seal appends the checksum of b to b.
func seal(b []byte) []byte {
	return binary.BigEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
}

// errChecksum is a stored value whose checksum does not match its bytes.
var errChecksum = fmt.Errorf("%w: its checksum does not match its bytes", errCorrupt)

// unseal checks a stored value's checksum and returns the bytes before it.
func unseal(v []byte) ([]byte, error) {
	if len(v) < checksumSize {
		return nil, errChecksum
	}
	n := len(v) - checksumSize
	if crc32.Checksum(v[:n], castagnoli) != binary.BigEndian.Uint32(v[n:]) {
		return nil, errChecksum
	}
	return v[:n], nil
}

// sealed reports whether v already ends with its own checksum: the
// migration that adds checksums skips such values, so running it over a
// value twice cannot seal it twice. An unsealed value passes by chance
// once in 2^32, and then fails its decoding, as damaged, not silently.
func sealed(v []byte) bool {
	_, err := unseal(v)
	return err == nil
}

// appendSum writes a sum as appendDecimal writes its total, without
// building a decimal when the sum has none (money.Sum.Small).
func appendSum(b []byte, s *money.Sum) []byte {
	c, exp, ok := s.Small()
	if !ok || !money.SmallCoefficient(c) {
		return appendDecimal(b, s.Total())
	}
	return appendSmall(b, c, exp)
}

// sumIsZero reports whether a sum is zero, without building a decimal
// when it has none.
func sumIsZero(s *money.Sum) bool {
	if c, _, ok := s.Small(); ok {
		return c == 0
	}
	return s.Total().IsZero()
}

// appendDecimal writes an exact decimal: a header varint (exponent, and
// whether the coefficient is too big for an int64) then the coefficient.
// Trailing zeros of the coefficient are dropped; the value is unchanged.
func appendDecimal(b []byte, d decimal.Decimal) []byte {
	if c, exp, ok := money.Coefficient(d); ok {
		return appendSmall(b, c, exp)
	}
	text := d.Coefficient().String()
	b = binary.AppendVarint(b, int64(d.Exponent())<<1|1)
	b = binary.AppendUvarint(b, uint64(len(text)))
	return append(b, text...)
}

// appendSmall writes c x 10^exp, a coefficient of at most 18 digits, as
// appendDecimal does: its trailing zeros dropped into the exponent.
func appendSmall(b []byte, c int64, exp int32) []byte {
	for c != 0 && c%10 == 0 {
		c /= 10
		exp++
	}
	b = binary.AppendVarint(b, int64(exp)<<1)
	return binary.AppendVarint(b, c)
}

// errCorrupt is stored rows that cannot be decoded; readers name the
// delivery they belong to (see damaged).
var errCorrupt = errors.New("is damaged")

// decoder reads rows back from blocks.
type decoder struct {
	head sliceHeader
	base int64
	dict []string
}

// loadDict reads a slice's dictionary from its chunks in key order,
// checking each chunk's checksum.
func loadDict(chunks [][]byte) ([]string, error) {
	dict := []string{""}
	for i, c := range chunks {
		c, err := unseal(c)
		if err != nil {
			return nil, fmt.Errorf("string dictionary chunk %d %w", i, err)
		}
		for len(c) > 0 {
			n, k := binary.Uvarint(c)
			if k <= 0 || uint64(len(c)-k) < n {
				return nil, fmt.Errorf("string dictionary chunk %d %w", i, errCorrupt)
			}
			dict = append(dict, string(c[k:k+int(n)]))
			c = c[k+int(n):]
		}
	}
	return dict, nil
}

// minRowBytes is the least a row takes: its flags and one id per string.
const minRowBytes = 1 + numStrings

// block checks one stored block's checksum, then decodes every row,
// calling fn with a reused item.
func (d *decoder) block(b []byte, it *lineitem.Item, fn func(*lineitem.Item) error) error {
	b, err := unseal(b)
	if err != nil {
		return err
	}
	r := reader{b: b}
	rows := r.uvarint()
	if rows > uint64(len(r.b))/minRowBytes {
		r.fail()
	}
	if r.err != nil {
		return r.err
	}
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
	if len(r.b) != 0 {
		r.fail() // bytes after the last row: not a block this code wrote
	}
	return r.err
}

func (d *decoder) row(r *reader, it *lineitem.Item) error {
	flags := r.uvarint()
	if flags >= flagsEnd {
		r.fail() // a flag no encoder sets
	}
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
		if n > uint64(len(r.b))/2 {
			r.fail() // each tag takes two ids
			n = 0
		}
		for range n {
			k := d.lookup(r, r.uvarint())
			v := d.lookup(r, r.uvarint())
			it.Tags = append(it.Tags, lineitem.Tag{Key: k, Value: v})
		}
	}
	d.neutral(r, it, flags&flagNeutral != 0)
	return r.err
}

// neutral reads the provider-neutral fields of a version 2 row, or zeroes
// them for a version 1 row (written before they existed).
func (d *decoder) neutral(r *reader, it *lineitem.Item, present bool) {
	strs, amts := neutralStrings(it), neutralAmounts(it)
	for _, s := range strs {
		*s = ""
	}
	for _, p := range amts {
		*p = decimal.Decimal{}
	}
	if !present {
		return
	}
	have := r.uvarint()
	if have >= 1<<numNeutralAmounts {
		r.fail() // a flag no encoder sets
	}
	for _, s := range strs {
		*s = d.lookup(r, r.uvarint())
	}
	for i, p := range amts {
		if have&(1<<i) != 0 {
			*p = r.decimal()
		}
	}
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

func (r *reader) decimal() decimal.Decimal { return r.decimalAfter(r.varint()) }

// decimalAfter reads the rest of a decimal whose header h was read.
func (r *reader) decimalAfter(h int64) decimal.Decimal {
	if e := h >> 1; e < math.MinInt32 || e > math.MaxInt32 {
		r.fail()
		return decimal.Decimal{}
	}
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
	// The coefficient is written in decimal digits with an optional sign,
	// nothing else (no exponent, no point), as appendDecimal wrote it.
	c, ok := new(big.Int).SetString(text, 10)
	if !ok || text[0] == '+' {
		r.fail()
		return decimal.Decimal{}
	}
	return decimal.NewFromBigInt(c, exp)
}
