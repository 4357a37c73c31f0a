package einvoice

import (
	"bytes"
	"encoding/binary"
)

// srgbProfile is a small ICC v2 display profile of sRGB (IEC 61966-2-1)
// for the PDF/A output intent: the sRGB primaries adapted to D50 and a
// 2.2 gamma curve. It is built here rather than copied from a system
// file, so it ships with no third-party licence and is the same bytes on
// every machine.
func srgbProfile() []byte {
	s15 := func(v float64) uint32 { return uint32(int32(v*65536 + 0.5)) }
	xyz := func(x, y, z float64) []byte {
		b := []byte("XYZ \x00\x00\x00\x00")
		for _, v := range []float64{x, y, z} {
			b = binary.BigEndian.AppendUint32(b, s15(v))
		}
		return b
	}
	desc := func(text string) []byte {
		b := []byte("desc\x00\x00\x00\x00")
		b = binary.BigEndian.AppendUint32(b, uint32(len(text)+1))
		b = append(append(b, text...), 0)
		b = append(b, make([]byte, 4+4+2+1+67)...) // no Unicode or ScriptCode description
		return b
	}
	curve := append([]byte("curv\x00\x00\x00\x00"), 0, 0, 0, 1, 0x02, 0x33) // gamma 2.2 (u8Fixed8)
	type tag struct {
		sig  string
		data []byte
	}
	tags := []tag{
		{"desc", desc("sRGB IEC61966-2.1")},
		{"cprt", append([]byte("text\x00\x00\x00\x00"), "No copyright, use freely\x00"...)},
		{"wtpt", xyz(0.9642, 1.0, 0.8249)},
		{"rXYZ", xyz(0.4361, 0.2225, 0.0139)},
		{"gXYZ", xyz(0.3851, 0.7169, 0.0971)},
		{"bXYZ", xyz(0.1431, 0.0606, 0.7141)},
		{"rTRC", curve},
		{"gTRC", curve},
		{"bTRC", curve},
	}
	var body bytes.Buffer
	table := binary.BigEndian.AppendUint32(nil, uint32(len(tags)))
	offset := 128 + 4 + 12*len(tags)
	for _, t := range tags {
		for body.Len()%4 != 0 {
			body.WriteByte(0)
		}
		table = append(table, t.sig...)
		table = binary.BigEndian.AppendUint32(table, uint32(offset+body.Len()))
		table = binary.BigEndian.AppendUint32(table, uint32(len(t.data)))
		body.Write(t.data)
	}
	size := 128 + len(table) + body.Len()
	h := make([]byte, 0, 128)
	h = binary.BigEndian.AppendUint32(h, uint32(size))
	h = append(h, 0, 0, 0, 0)             // preferred CMM
	h = append(h, 0x02, 0x10, 0, 0)       // version 2.1
	h = append(h, "mntrRGB XYZ "...)      // display class, RGB data, XYZ connection space
	h = append(h, 0x07, 0xea, 0, 1, 0, 1) // 2026-01-01 00:00:00
	h = append(h, 0, 0, 0, 0, 0, 0)
	h = append(h, "acsp"...)
	h = append(h, make([]byte, 4+4+4+4+8+4)...) // platform, flags, manufacturer, model, attributes, intent
	for _, v := range []float64{0.9642, 1.0, 0.8249} {
		h = binary.BigEndian.AppendUint32(h, s15(v))
	}
	h = append(h, make([]byte, 128-len(h))...) // creator, id, reserved
	return append(append(h, table...), body.Bytes()...)
}
