package sample

import (
	"math/bits"
	"strconv"
	"strings"
)

// scale is the fixed point of every amount, rate and cost the generator
// handles: an int64 v stands for v / 1e10, the 10 decimals AWS writes at most.
// Integer arithmetic keeps the hot loop free of decimal allocations and makes
// cost = amount x rate exact and reproducible on every platform.
const scale = 10_000_000_000

// appendNum writes a scaled value the way the CUR CSV does (Java's
// Double.toString): "0.0", "1.0", "0.0036", and E notation below 0.001 or from
// 1e7 up ("4.0E-7", "1.4724E-6", "1.0E7").
func appendNum(b []byte, v int64) []byte {
	if v == 0 {
		return append(b, "0.0"...)
	}
	var u uint64
	if v < 0 {
		b = append(b, '-')
		u = uint64(-v)
	} else {
		u = uint64(v)
	}
	if u < scale/1000 || u >= scale*10_000_000 {
		var d [20]byte
		s := strconv.AppendUint(d[:0], u, 10)
		exp := len(s) - 1 - 10
		for len(s) > 1 && s[len(s)-1] == '0' {
			s = s[:len(s)-1]
		}
		b = append(b, s[0], '.')
		if len(s) == 1 {
			b = append(b, '0')
		} else {
			b = append(b, s[1:]...)
		}
		b = append(b, 'E')
		return strconv.AppendInt(b, int64(exp), 10)
	}
	b = strconv.AppendUint(b, u/scale, 10)
	b = append(b, '.')
	fp := u % scale
	if fp == 0 {
		return append(b, '0')
	}
	var f [10]byte
	for i := 9; i >= 0; i-- {
		f[i] = byte('0' + fp%10)
		fp /= 10
	}
	n := 10
	for f[n-1] == '0' {
		n--
	}
	return append(b, f[:n]...)
}

// mulRate returns amount x rate rounded half up to 10 decimals. Both are
// non-negative; the catalogue keeps the product far below the int64 range, so
// the overflow check is an internal invariant, not an input error.
func mulRate(amount, rate int64) int64 {
	hi, lo := bits.Mul64(uint64(amount), uint64(rate))
	lo, carry := bits.Add64(lo, scale/2, 0)
	hi += carry
	if hi >= scale {
		panic("sample: amount x rate overflows the catalogue's bounds")
	}
	q, _ := bits.Div64(hi, lo, scale)
	if q > 1<<62 {
		panic("sample: amount x rate overflows the catalogue's bounds")
	}
	return int64(q)
}

// scaledOf parses a catalogue constant such as "0.0000166667" into scaled
// units. Only used while building tables, never in the hot loop.
func scaledOf(s string) int64 {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	ip, fp, _ := strings.Cut(s, ".")
	if len(fp) > 10 {
		panic("sample: catalogue constant " + s + " has more than 10 decimals")
	}
	fp += strings.Repeat("0", 10-len(fp))
	i, err1 := strconv.ParseInt(ip, 10, 64)
	f, err2 := strconv.ParseInt(fp, 10, 64)
	if err1 != nil || err2 != nil {
		panic("sample: bad catalogue constant " + s)
	}
	v := i*scale + f
	if neg {
		v = -v
	}
	return v
}

// csvField quotes s when the CSV format needs it (AWS quotes descriptions
// such as "$0.004 per 10,000 GET and all other requests"). Every text the
// generator writes passes through here once, when the tables are built.
func csvField(s string) string {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// rng is splitmix64: tiny, fast and fully specified here, so a seed gives
// the same bytes whatever Go version builds the program.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	return mix(r.s)
}

// mix is the splitmix64 finaliser, used to derive stable per-resource
// attributes from (seed, resource number) without keeping any table.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

const (
	base32 = "abcdefghijklmnopqrstuvwxyz234567"
	hexdig = "0123456789abcdef"
	upper  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
)

// appendLineID writes a 52-character identity/LineItemId in AWS's lowercase
// base32 style.
func appendLineID(b []byte, r *rng) []byte {
	var x uint64
	for i := 0; i < 52; i++ {
		if i%12 == 0 {
			x = r.next()
		}
		b = append(b, base32[x&31])
		x >>= 5
	}
	return b
}

// appendHex16 writes the 16 hexadecimal digits of x (the tail of an i-0...,
// vol-0... or nat-0... id).
func appendHex16(b []byte, x uint64) []byte {
	for i := 60; i >= 0; i -= 4 {
		b = append(b, hexdig[(x>>uint(i))&15])
	}
	return b
}

// appendUUID writes x and y as a lowercase 8-4-4-4-12 UUID-shaped id.
func appendUUID(b []byte, x, y uint64) []byte {
	var h [32]byte
	appendHex16(h[:0], x)
	appendHex16(h[16:16], y)
	b = append(b, h[0:8]...)
	b = append(b, '-')
	b = append(b, h[8:12]...)
	b = append(b, '-')
	b = append(b, h[12:16]...)
	b = append(b, '-')
	b = append(b, h[16:20]...)
	b = append(b, '-')
	return append(b, h[20:32]...)
}

// appendSerial writes n with at least four digits ("0042"), the numbering of
// synthetic resource names.
func appendSerial(b []byte, n int) []byte {
	switch {
	case n < 10:
		b = append(b, "000"...)
	case n < 100:
		b = append(b, "00"...)
	case n < 1000:
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(n), 10)
}
