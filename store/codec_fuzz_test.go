package store

import (
	"encoding/binary"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/lineitem"
)

// fuzzHead is the slice every fuzzed item belongs to.
var fuzzHead = sliceHeader{Provider: lineitem.AWS, Payer: "836060457634", Period: "2026-09", Currency: "USD"}

// source turns fuzz bytes into choices; past the end every choice is 0.
type source struct{ b []byte }

func (s *source) byte() byte {
	if len(s.b) == 0 {
		return 0
	}
	c := s.b[0]
	s.b = s.b[1:]
	return c
}

func (s *source) uint64() uint64 {
	var v [8]byte
	for i := range v {
		v[i] = s.byte()
	}
	return binary.LittleEndian.Uint64(v[:])
}

// string is one of a few repeated strings (the dictionary's common case)
// or new bytes, valid UTF-8 or not.
func (s *source) string(pool []string) string {
	n := int(s.byte())
	if n < 64 && len(pool) > 0 {
		return pool[n%len(pool)]
	}
	n %= 48
	if n > len(s.b) {
		n = len(s.b)
	}
	out := string(s.b[:n])
	s.b = s.b[n:]
	return out
}

// decimal is zero, a small or large coefficient, or one with more digits
// than an int64 holds, at any exponent from -60 to 60, either sign.
func (s *source) decimal() decimal.Decimal {
	kind := s.byte() % 4
	exp := int32(s.byte()%121) - 60
	switch kind {
	case 0:
		return decimal.Decimal{}
	case 1:
		return decimal.New(int64(s.uint64()%2_000_001)-1_000_000, exp)
	case 2:
		return decimal.New(int64(s.uint64()), exp)
	}
	digits := int(s.byte()%40) + 19
	var b strings.Builder
	if s.byte()%2 == 1 {
		b.WriteByte('-')
	}
	b.WriteByte('1' + s.byte()%9)
	for range digits - 1 {
		b.WriteByte('0' + s.byte()%10)
	}
	c, _ := new(big.Int).SetString(b.String(), 10)
	return decimal.NewFromBigInt(c, exp)
}

// items makes line items of the fuzz slice from the bytes; cut[i] says
// whether a block and a dictionary chunk end after item i.
func fuzzItems(data []byte) (items []lineitem.Item, cut []bool) {
	s := &source{b: data}
	pool := []string{"", "Usage", "AmazonEC2", "012345678901", "é", "\x00", "\xff\xfe"}
	base := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	for n := int(s.byte()%24) + 1; n > 0; n-- {
		it := lineitem.Item{Provider: fuzzHead.Provider, PayerAccount: fuzzHead.Payer, BillingPeriod: fuzzHead.Period, Currency: fuzzHead.Currency}
		for _, f := range stringFields(&it) {
			*f = s.string(pool)
			pool = append(pool, *f)
		}
		for _, a := range amounts(&it) {
			*a = s.decimal()
		}
		if s.byte()%2 == 1 {
			// Milliseconds within about 35 years either side: the codec
			// keeps usage times to the millisecond.
			ms := int64(s.uint64()%(1<<41)) - 1<<40
			it.UsageStart = base.Add(time.Duration(ms) * time.Millisecond)
		}
		for k := s.byte() % 4; k > 0; k-- {
			it.Tags = append(it.Tags, lineitem.Tag{Key: s.string(pool), Value: s.string(pool)})
		}
		if s.byte()%2 == 1 { // a row format version 2 row
			for _, f := range neutralStrings(&it) {
				*f = s.string(pool)
			}
			for _, a := range neutralAmounts(&it) {
				*a = s.decimal()
			}
		}
		items = append(items, it)
		cut = append(cut, s.byte()%5 == 0)
	}
	return items, cut
}

// FuzzCodecRoundTrip: arbitrary line items encode and decode back exactly
// (decimals Equal, times Equal, tags in order), over several blocks and
// dictionary chunks; and any one byte of a stored block changed makes the
// block an error before a single row of it is decoded.
func FuzzCodecRoundTrip(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 1, 1, 0, 2, 200, 3, 60, 5, 1, 7, 9, 0, 0})
	f.Add([]byte(strings.Repeat("\xff\x80\x01\x3f", 64)))
	f.Add([]byte(strings.Repeat("rebill line items ", 40)))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, cut := fuzzItems(data)
		enc := newEncoder(fuzzHead)
		var blocks, chunks [][]byte
		for i := range items {
			if enc.add(&items[i]) || cut[i] {
				blocks = append(blocks, enc.takeBlock())
				if d := enc.takeDict(); d != nil {
					chunks = append(chunks, d)
				}
			}
		}
		if enc.blockRows > 0 {
			blocks = append(blocks, enc.takeBlock())
		}
		if d := enc.takeDict(); d != nil {
			chunks = append(chunks, d)
		}
		dict, err := loadDict(chunks)
		if err != nil {
			t.Fatal(err)
		}
		d := decoder{head: fuzzHead, base: fuzzHead.timeBase(), dict: dict}
		var got lineitem.Item
		i := 0
		for _, b := range blocks {
			if err := d.block(b, &got, func(it *lineitem.Item) error {
				if i >= len(items) {
					t.Fatalf("decoded more rows than the %d encoded", len(items))
				}
				if !sameItem(it, &items[i]) {
					t.Fatalf("row %d: got %+v\nwant %+v", i, *it, items[i])
				}
				i++
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		if i != len(items) {
			t.Fatalf("decoded %d of %d rows", i, len(items))
		}

		// One changed byte, anywhere in a block, is caught by the
		// checksum (CRC-32C detects every error of up to 32 bits).
		b := append([]byte(nil), blocks[len(data)%len(blocks)]...)
		pos := (len(data) * 7919) % len(b)
		b[pos] ^= byte(len(data)%255) + 1
		err = d.block(b, &got, func(*lineitem.Item) error {
			t.Fatal("a row of a damaged block was decoded")
			return nil
		})
		if !errors.Is(err, errChecksum) {
			t.Fatalf("byte %d of %d changed: %v", pos, len(b), err)
		}
	})
}

// FuzzCodecDecode: decoding arbitrary bytes never panics, never runs
// away, and fails on a checksum that does not match without decoding a
// row. With sealed set, the bytes are given a valid checksum first, so
// the decoder itself meets garbage: it must return an error or rows,
// never panic.
func FuzzCodecDecode(f *testing.F) {
	enc := newEncoder(fuzzHead)
	items, _ := fuzzItems([]byte("a seed of two or three rows, with tags and times"))
	for i := range items {
		enc.add(&items[i])
	}
	block, dict := enc.takeBlock(), enc.takeDict()
	f.Add(dict, block, false)
	f.Add(dict[:len(dict)-checksumSize], block[:len(block)-checksumSize], true)
	f.Add([]byte{}, []byte{}, false)
	f.Add([]byte{1, 'a'}, []byte{1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, true)
	f.Add([]byte{}, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, true)
	f.Fuzz(func(t *testing.T, dictBytes, blockBytes []byte, sealIt bool) {
		if sealIt {
			dictBytes = seal(append([]byte(nil), dictBytes...))
			blockBytes = seal(append([]byte(nil), blockBytes...))
		}
		d := decoder{head: fuzzHead, base: fuzzHead.timeBase(), dict: []string{""}}
		if words, err := loadDict([][]byte{dictBytes}); err == nil {
			d.dict = words
		} else if !errors.Is(err, errCorrupt) {
			t.Fatalf("dictionary: %v is not a damage error", err)
		}
		rows := 0
		var it lineitem.Item
		err := d.block(blockBytes, &it, func(it *lineitem.Item) error {
			rows++
			return nil
		})
		if err != nil && !errors.Is(err, errCorrupt) {
			t.Fatalf("block: %v is not a damage error", err)
		}
		if !sealed(blockBytes) && (rows > 0 || !errors.Is(err, errChecksum)) {
			t.Fatalf("a block failing its checksum gave %d rows and %v", rows, err)
		}
	})
}

// TestDecodeRefusesGarbage: blocks with a valid checksum whose content no
// encoder writes are refused as damaged, quickly and without allocating
// what their counts claim: such a block only comes from someone who
// recomputed the checksum, or from a bug.
func TestDecodeRefusesGarbage(t *testing.T) {
	zeros := make([]byte, numStrings) // one row's string ids, all ""
	row := func(flags uint64, rest ...byte) []byte {
		b := binary.AppendUvarint(nil, 1) // one row
		b = binary.AppendUvarint(b, flags)
		return append(append(b, zeros...), rest...)
	}
	for _, tc := range []struct {
		name  string
		block []byte
	}{
		{"a tag count beyond the block", row(flagTags, binary.AppendUvarint(nil, 1<<40)...)},
		{"a coefficient written with an exponent", row(1, append([]byte{0x01, 3}, "1e5"...)...)},
		{"a coefficient with a plus sign", row(1, append([]byte{0x01, 2}, "+5"...)...)},
		{"an exponent beyond 32 bits", row(1, binary.AppendVarint(nil, 1<<40)...)},
		{"an unknown flag", row(1 << 12)},
		{"bytes after the last row", row(0, 0x00)},
		{"more rows than bytes", append(binary.AppendUvarint(nil, 1<<50), zeros...)},
		{"a string id beyond the dictionary", append(binary.AppendUvarint(nil, 1), append([]byte{0, 9}, zeros[1:]...)...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := decoder{head: fuzzHead, base: fuzzHead.timeBase(), dict: []string{""}}
			var it lineitem.Item
			err := d.block(seal(tc.block), &it, func(*lineitem.Item) error { return nil })
			if !errors.Is(err, errCorrupt) {
				t.Errorf("decoded without an error (%v)", err)
			}
		})
	}
	// The same row, well formed, decodes: the cases above fail for what
	// they change.
	d := decoder{head: fuzzHead, base: fuzzHead.timeBase(), dict: []string{""}}
	var it lineitem.Item
	if err := d.block(seal(row(1, 0x00, 0x0a)), &it, func(*lineitem.Item) error { return nil }); err != nil || !it.UsageAmount.Equal(decimal.New(5, 0)) {
		t.Errorf("a well formed row: %v, usage %s", err, it.UsageAmount)
	}
}
