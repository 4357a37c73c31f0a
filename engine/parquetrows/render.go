package parquetrows

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"
)

// appendText appends the text of a non-null leaf value as a CSV field would
// hold it. The conventions are the importer's: shortest round-trip decimals
// for floating point, exact decimals for DECIMAL, RFC 3339 UTC for
// timestamps.
func appendText(b []byte, n *node, v parquet.Value) ([]byte, error) {
	switch n.leaf {
	case kindBytes:
		return append(b, v.ByteArray()...), nil
	case kindBool:
		return strconv.AppendBool(b, v.Boolean()), nil
	case kindInt32:
		return strconv.AppendInt(b, int64(v.Int32()), 10), nil
	case kindInt64:
		return strconv.AppendInt(b, v.Int64(), 10), nil
	case kindUint32:
		return strconv.AppendUint(b, uint64(uint32(v.Int32())), 10), nil
	case kindUint64:
		return strconv.AppendUint(b, uint64(v.Int64()), 10), nil
	case kindFloat:
		return strconv.AppendFloat(b, float64(v.Float()), 'g', -1, 32), nil
	case kindDouble:
		return strconv.AppendFloat(b, v.Double(), 'g', -1, 64), nil
	case kindFloat16:
		raw := v.ByteArray()
		if len(raw) != 2 {
			return b, fmt.Errorf("FLOAT16 value has %d bytes, want 2", len(raw))
		}
		return strconv.AppendFloat(b, float64(float16(binary.LittleEndian.Uint16(raw))), 'g', -1, 32), nil
	case kindDecimal:
		return appendDecimal(b, n, v)
	case kindTimestamp:
		return timestampOf(v.Int64(), n.unit).AppendFormat(b, time.RFC3339Nano), nil
	case kindInt96:
		return int96Time(v.Int96()).AppendFormat(b, time.RFC3339Nano), nil
	case kindDate:
		// Days since the epoch; AddDate keeps far dates exact.
		return time.Unix(0, 0).UTC().AddDate(0, 0, int(v.Int32())).AppendFormat(b, time.DateOnly), nil
	case kindTime:
		var d int64
		if n.physical == format.Int32 {
			d = int64(v.Int32())
		} else {
			d = v.Int64()
		}
		return time.Unix(0, 0).UTC().Add(time.Duration(d)*n.unit).AppendFormat(b, "15:04:05.999999999"), nil
	case kindUUID:
		u := v.ByteArray()
		if len(u) != 16 {
			return b, fmt.Errorf("UUID value has %d bytes, want 16", len(u))
		}
		b = hex.AppendEncode(b, u[0:4])
		b = append(b, '-')
		b = hex.AppendEncode(b, u[4:6])
		b = append(b, '-')
		b = hex.AppendEncode(b, u[6:8])
		b = append(b, '-')
		b = hex.AppendEncode(b, u[8:10])
		b = append(b, '-')
		return hex.AppendEncode(b, u[10:16]), nil
	case kindNull:
		return b, nil
	}
	return b, fmt.Errorf("internal error: unknown leaf kind %d", n.leaf)
}

// timestampOf converts a count of units since the Unix epoch. Each unit
// has its own constructor so that values near the int64 limits of the
// coarser units do not overflow a nanosecond count.
func timestampOf(v int64, unit time.Duration) time.Time {
	switch unit {
	case time.Millisecond:
		return time.UnixMilli(v).UTC()
	case time.Microsecond:
		return time.UnixMicro(v).UTC()
	default:
		return time.Unix(0, v).UTC()
	}
}

// julianUnixEpoch is the Julian day number of 1970-01-01, the origin of
// the day count in INT96 timestamps.
const julianUnixEpoch = 2440588

// int96Time decodes the legacy Impala/Hive timestamp: 8 little-endian
// bytes of nanoseconds within the day, then a 4-byte Julian day number.
func int96Time(v deprecated.Int96) time.Time {
	nanos := int64(uint64(v[1])<<32 | uint64(v[0]))
	day := int64(int32(v[2]))
	return time.Unix((day-julianUnixEpoch)*86400, nanos).UTC()
}

// appendDecimal writes the exact decimal of an unscaled integer and a
// scale, keeping the scale's trailing zeros ("1.50" for 150 at scale 2),
// as the value is stored.
func appendDecimal(b []byte, n *node, v parquet.Value) ([]byte, error) {
	var neg bool
	var digits []byte
	var tmp [24]byte
	switch n.physical {
	case format.Int32:
		neg, digits = absDigits(tmp[:0], int64(v.Int32()))
	case format.Int64:
		neg, digits = absDigits(tmp[:0], v.Int64())
	default:
		raw := v.ByteArray()
		if len(raw) == 0 {
			return b, errors.New("DECIMAL value has no bytes")
		}
		if len(raw) <= 8 {
			// Sign-extend the big-endian two's complement into an int64.
			x := int64(int8(raw[0]))
			for _, c := range raw[1:] {
				x = x<<8 | int64(c)
			}
			neg, digits = absDigits(tmp[:0], x)
		} else {
			z := new(big.Int).SetBytes(raw)
			if raw[0]&0x80 != 0 {
				z.Sub(z, new(big.Int).Lsh(big.NewInt(1), uint(8*len(raw))))
			}
			neg = z.Sign() < 0
			digits = z.Abs(z).Append(nil, 10)
		}
	}
	if neg {
		b = append(b, '-')
	}
	s := n.scale
	if s == 0 {
		return append(b, digits...), nil
	}
	if len(digits) <= s {
		b = append(b, '0', '.')
		for i := len(digits); i < s; i++ {
			b = append(b, '0')
		}
		return append(b, digits...), nil
	}
	cut := len(digits) - s
	b = append(b, digits[:cut]...)
	b = append(b, '.')
	return append(b, digits[cut:]...), nil
}

// absDigits returns the sign and the decimal digits of |x|, going through
// uint64 so that math.MinInt64 is handled.
func absDigits(dst []byte, x int64) (bool, []byte) {
	u := uint64(x)
	if x < 0 {
		u = -u
	}
	return x < 0, strconv.AppendUint(dst, u, 10)
}

// float16 converts an IEEE 754 half-precision value to float32, which holds
// every half exactly.
func float16(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Inf, NaN
		return math.Float32frombits(sign | 0xff<<23 | frac<<13)
	case exp == 0 && frac == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal: normalise
		e := uint32(127 - 15 + 1)
		for frac&0x400 == 0 {
			frac <<= 1
			e--
		}
		return math.Float32frombits(sign | e<<23 | (frac&0x3ff)<<13)
	default:
		return math.Float32frombits(sign | (exp+127-15)<<23 | frac<<13)
	}
}

// appendJSON appends a non-null leaf value as a JSON value: numbers and
// booleans bare (in the same text as appendText), everything else as a
// JSON string of its text. NaN and infinities have no JSON number form, so
// they become strings.
func appendJSON(b []byte, n *node, v parquet.Value) ([]byte, error) {
	switch n.leaf {
	case kindBool, kindInt32, kindInt64, kindUint32, kindUint64, kindDecimal:
		return appendText(b, n, v)
	case kindFloat, kindDouble, kindFloat16:
		start := len(b)
		b, err := appendText(b, n, v)
		if err != nil {
			return b, err
		}
		if c := b[len(b)-1]; c == 'N' || c == 'f' { // NaN, +Inf, -Inf
			text := string(b[start:])
			b = appendJSONString(b[:start], []byte(text))
		}
		return b, nil
	case kindBytes:
		return appendJSONString(b, v.ByteArray()), nil
	case kindNull:
		return append(b, "null"...), nil
	}
	var tmp [64]byte
	text, err := appendText(tmp[:0], n, v)
	if err != nil {
		return b, err
	}
	return appendJSONString(b, text), nil
}

// appendJSONString quotes s as a JSON string. Invalid UTF-8 becomes U+FFFD,
// as encoding/json does, so the result is always valid JSON.
func appendJSONString(b, s []byte) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
