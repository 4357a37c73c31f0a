package read

import (
	"encoding/binary"
	"fmt"
	"time"

	"rebill/engine/excerpt"
	"rebill/engine/lineitem"
	"rebill/engine/money"
)

// Interner shares one string per distinct value: billing files repeat most
// values on almost every line, so this saves most allocations and memory.
// It forgets everything once full, keeping memory bounded on
// high-cardinality columns.
type Interner struct {
	// recent holds, per column, the strings met lately at slots chosen by
	// a cheap hash of their bytes: most columns have a few dozen values,
	// found there by one comparison instead of by hashing into m, which
	// every column shares (the 5M-row sample import: 3 % less CPU).
	recent []*[recentSlots]recentEntry
	// prev is, per column, the value Get returned last: the one that came
	// after it the time before (interned.next) is tried before m.
	prev  []*interned
	m     map[string]*interned
	bytes int   // bytes of the strings in m
	made  int64 // bytes of every string made so far, for Made
}

// interned is a value of m, with the value that came after it in a column
// the last time that one had to be asked of m (a value found in its slot
// leaves next as it was).
//
// A column of thousands of values met in turn (the 5M-row sample's 6,162
// resource ids and 5,266 Name tags: one line each per resource and hour)
// pushes them out of its recent slots on almost every row, but meets them
// in the same order every hour, so next names the coming value. Over the
// first 300,000 rows of that sample, 41,451 values went to m instead of
// 540,434, and the mapping alone took 8 % less time (10 % on the
// 200,000-row sample; medians of 8 runs). Larger slot tables had found
// those values too, but made the mapping 12-15 % slower: a slot of a
// large table misses the processor's caches as often as m does, where
// next is met in the order it was made.
type interned struct {
	s    string
	next *interned
}

// recentEntry is a recent slot: the string inline, for the comparison
// that finds most values, and its entry.
type recentEntry struct {
	s string
	e *interned
}

// The interner forgets everything once it holds internerLimit strings or
// internerBytes bytes, whichever comes first.
const (
	internerLimit = 1 << 16
	internerBytes = 16 << 20
)

// NewInterner returns an empty interner.
func NewInterner() Interner { return Interner{m: make(map[string]*interned, 1024)} }

// recentSlots is a power of two (1<<recentBits) per column. The slots
// hold only strings of m (forget empties them with it), so m's bound is
// theirs. More slots do not pay (see interned): tables grown per column
// up to 16,384 slots, or one of 65,536 slots in pairs for all columns,
// made the mapping of 300,000 rows 12-15 % slower (medians of 6 runs).
const (
	recentBits  = 8
	recentSlots = 1 << recentBits
)

// recentSlot is the slot of b among a column's recent strings: a
// multiplicative hash of b's length and of its first, middle and last
// eight bytes, where billing values (codes, ids, ARNs, names) differ.
func recentSlot(b []byte) uint {
	const mul = 0x9E3779B97F4A7C15
	n := len(b)
	h := uint64(n) * mul
	if n >= 8 {
		h = (h ^ binary.LittleEndian.Uint64(b)) * mul
		h = (h ^ binary.LittleEndian.Uint64(b[(n-8)/2:])) * mul
		h = (h ^ binary.LittleEndian.Uint64(b[n-8:])) * mul
	} else {
		for _, c := range b {
			h = (h ^ uint64(c)) * mul
		}
	}
	return uint(h >> (64 - recentBits))
}

// Get returns the string of b, a value of column col (any small number
// naming the column, such as its index in the header). Each new value is
// checked to be text once, when it is first seen (lineitem.CheckText): it
// holds only text, and what is not text is returned with the error and
// never kept.
func (in *Interner) Get(col int, b []byte) (string, error) {
	if col >= len(in.recent) {
		in.recent = append(in.recent, make([]*[recentSlots]recentEntry, col+1-len(in.recent))...)
		in.prev = append(in.prev, make([]*interned, col+1-len(in.prev))...)
	}
	recent := in.recent[col]
	if recent == nil {
		recent = new([recentSlots]recentEntry)
		in.recent[col] = recent
	}
	slot := &recent[recentSlot(b)]
	if slot.s == string(b) && len(b) > 0 {
		in.prev[col] = slot.e
		return slot.s, nil
	}
	prev := in.prev[col]
	if prev != nil && prev.next != nil && prev.next.s == string(b) {
		e := prev.next
		in.prev[col], *slot = e, recentEntry{e.s, e}
		return e.s, nil
	}
	e, ok := in.m[string(b)]
	if !ok {
		s := string(b)
		in.made += int64(len(s))
		if err := lineitem.CheckText(s); err != nil {
			return s, err
		}
		if len(in.m) >= internerLimit || in.bytes+len(b) > internerBytes {
			in.forget()
			prev = nil
		}
		e = &interned{s: s}
		in.m[s] = e
		in.bytes += len(s)
	}
	if prev != nil {
		prev.next = e
	}
	in.prev[col], *slot = e, recentEntry{e.s, e}
	return e.s, nil
}

// forget empties m, and the slots and links that would keep its entries.
func (in *Interner) forget() {
	clear(in.m)
	in.bytes = 0
	clear(in.prev)
	for _, r := range in.recent {
		if r != nil {
			clear(r[:])
		}
	}
}

// Made is the number of bytes of every string Get has made so far: what a
// mapper reports as Allocated.
func (in *Interner) Made() int64 { return in.made }

func digits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// ParseTime reads the timestamps billing files write: "2018-10-01T00:00:00Z",
// "2023-11-01T00:00:00.000Z", "2019-11-26 00:00:00", "2023-11-13T10:00Z",
// with an optional numeric zone. A null (money.IsNull) is the zero time.
func ParseTime(v []byte) (time.Time, error) {
	if money.IsNull(v) {
		return time.Time{}, nil
	}
	bad := func() (time.Time, error) { return time.Time{}, fmt.Errorf("%s is not a timestamp", excerpt.Bytes(v)) }
	if len(v) < 10 || v[4] != '-' || v[7] != '-' {
		return bad()
	}
	num := func(b []byte) int {
		n := 0
		for _, c := range b {
			n = n*10 + int(c-'0')
		}
		return n
	}
	if !digits(v[:4]) || !digits(v[5:7]) || !digits(v[8:10]) {
		return bad()
	}
	year, month, day := num(v[:4]), num(v[5:7]), num(v[8:10])
	hour, minute, sec, nsec := 0, 0, 0, 0
	rest := v[10:]
	if len(rest) > 0 {
		if rest[0] != 'T' && rest[0] != ' ' || len(rest) < 6 || rest[3] != ':' || !digits(rest[1:3]) || !digits(rest[4:6]) {
			return bad()
		}
		hour, minute = num(rest[1:3]), num(rest[4:6])
		rest = rest[6:]
		if len(rest) >= 3 && rest[0] == ':' {
			if !digits(rest[1:3]) {
				return bad()
			}
			sec = num(rest[1:3])
			rest = rest[3:]
			if len(rest) > 0 && rest[0] == '.' {
				i := 1
				scale := 100000000
				for ; i < len(rest) && rest[i] >= '0' && rest[i] <= '9'; i++ {
					nsec += int(rest[i]-'0') * scale
					scale /= 10
				}
				rest = rest[i:]
			}
		}
	}
	loc := time.UTC
	switch {
	case len(rest) == 0, len(rest) == 1 && rest[0] == 'Z', string(rest) == "+00:00", string(rest) == "UTC":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' && digits(rest[1:3]) && digits(rest[4:6]):
		off := (num(rest[1:3])*60 + num(rest[4:6])) * 60
		if rest[0] == '-' {
			off = -off
		}
		loc = time.FixedZone("", off)
	default:
		return bad()
	}
	if hour > 23 || minute > 59 || sec > 60 {
		return bad()
	}
	if month < 1 || month > 12 {
		return time.Time{}, fmt.Errorf("%s is not a real date: there is no month %02d", excerpt.Bytes(v), month)
	}
	if day < 1 || day > daysIn(year, time.Month(month)) {
		// time.Date would quietly turn 30 February into 1 March.
		return time.Time{}, fmt.Errorf("%s is not a real date: %04d-%02d has %d days", excerpt.Bytes(v), year, month, daysIn(year, time.Month(month)))
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc).UTC(), nil
}

// daysIn is the number of days of a month.
func daysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Period reads the billing month of a file's rows from their billing
// period start and end. Every row of a month repeats the same pair, so
// only a change is read and checked again.
type Period struct {
	month, start, end string
}

// Month returns the YYYY-MM of a billing period as the file writes its
// start, checking that the start is a real date and that the end, when the
// file has one, is one month after it: AWS writes 2018-10-01T00:00:00Z to
// 2018-11-01T00:00:00Z, FOCUS 2024-09-01 00:00:00 to 2024-10-01 00:00:00.
// atEnd tells whether an error is about the end rather than the start.
// The month is shared through in, as a value of column col.
func (p *Period) Month(start, end []byte, in *Interner, col int) (month string, atEnd bool, err error) {
	if p.month != "" && string(start) == p.start && string(end) == p.end {
		return p.month, false, nil
	}
	if money.IsNull(start) {
		return "", false, fmt.Errorf("the billing period start date is empty")
	}
	from, err := ParseTime(start)
	if err != nil {
		return "", false, err
	}
	if !money.IsNull(end) {
		to, err := ParseTime(end)
		if err != nil {
			return "", true, err
		}
		if !to.Equal(from.AddDate(0, 1, 0)) {
			return "", true, fmt.Errorf("%s is not one month after the billing period start %s",
				excerpt.Bytes(end), excerpt.Bytes(start))
		}
	}
	// The month as written: ParseTime has checked that start begins with
	// a real YYYY-MM-DD.
	p.month, _ = in.Get(col, start[:7])
	p.start, p.end = string(start), string(end)
	return p.month, false, nil
}

// ParseDate reads the dates Microsoft's exports write: M/D/YYYY as the
// portal's US locale writes it ("9/2/2023", "09/21/2023"), with an
// optional time after a space, or any form ParseTime reads. A null is the
// zero time.
func ParseDate(v []byte) (time.Time, error) {
	if money.IsNull(v) {
		return time.Time{}, nil
	}
	s := v
	if i := indexByte(s, ' '); i >= 0 {
		s = s[:i]
	}
	if indexByte(s, '/') < 0 {
		return ParseTime(v)
	}
	bad := func() (time.Time, error) {
		return time.Time{}, fmt.Errorf("%s is not a date (M/D/YYYY or YYYY-MM-DD)", excerpt.Bytes(v))
	}
	var parts [3]int
	n := 0
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != '/' {
			continue
		}
		if n == 3 || i == start || i-start > 4 || !digits(s[start:i]) {
			return bad()
		}
		for _, c := range s[start:i] {
			parts[n] = parts[n]*10 + int(c-'0')
		}
		n++
		start = i + 1
	}
	if n != 3 || len(s)-lastIndexByte(s, '/')-1 != 4 {
		return bad()
	}
	month, day, year := parts[0], parts[1], parts[2]
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, time.Month(month)) {
		return time.Time{}, fmt.Errorf("%s is not a real date (M/D/YYYY)", excerpt.Bytes(v))
	}
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), nil
}

func indexByte(b []byte, c byte) int {
	for i := range b {
		if b[i] == c {
			return i
		}
	}
	return -1
}

func lastIndexByte(b []byte, c byte) int {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == c {
			return i
		}
	}
	return -1
}
