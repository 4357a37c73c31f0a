package parquetrows

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"
)

// compareReaders reads data with the streaming page reader and with the
// library's row reader and demands the same header, the same text in every
// field and the same positions. It returns the number of rows.
func compareReaders(t *testing.T, src io.ReaderAt, size int64, wantStream bool) int {
	t.Helper()
	return compareFiles(t, src, size, src, size, wantStream)
}

// compareFiles is compareReaders with the library reading another file of
// the same rows, for files the library cannot read itself.
func compareFiles(t *testing.T, src io.ReaderAt, size int64, libSrc io.ReaderAt, libSize int64, wantStream bool) int {
	t.Helper()
	s, err := open(src, size, true)
	if err != nil {
		t.Fatal(err)
	}
	l, err := open(libSrc, libSize, false)
	if err != nil {
		t.Fatal(err)
	}
	if s.stream != wantStream {
		_, why := streamable(s.md, s.flat)
		t.Fatalf("streaming reader used: %v, want %v (%s)", s.stream, wantStream, why)
	}
	if l.stream {
		t.Fatal("library reader not used when asked for")
	}
	if fmt.Sprint(s.Header()) != fmt.Sprint(l.Header()) {
		t.Fatalf("headers differ:\n%q\n%q", s.Header(), l.Header())
	}
	n := 0
	for {
		a, errA := s.Next()
		b, errB := l.Next()
		if errors.Is(errA, io.EOF) && errors.Is(errB, io.EOF) {
			return n
		}
		if errA != nil || errB != nil {
			t.Fatalf("after %d rows: stream %v, library %v", n, errA, errB)
		}
		n++
		if s.Where() != l.Where() {
			t.Fatalf("positions differ: %q, %q", s.Where(), l.Where())
		}
		for i := range a {
			if !bytes.Equal(a[i], b[i]) {
				t.Fatalf("%s, %s: stream %q, library %q", s.Where(), s.header[i], a[i], b[i])
			}
		}
	}
}

// variedRows makes rows that exercise every flat type, with nulls, runs of
// equal values (RLE) and distinct ones (bit-packing), so that dictionary
// indexes and levels take both forms of the hybrid encoding.
func variedRows(n int) []flatRow {
	rows := make([]flatRow, n)
	base := time.Date(2018, 10, 1, 0, 0, 0, 0, time.UTC)
	for i := range rows {
		r := &rows[i]
		r.ID = fmt.Sprintf("id-%d", i)
		r.Account = fmt.Sprintf("%012d", (i/100)%3*11254002932)
		if i%7 != 0 {
			r.Note = ptr(fmt.Sprintf("note %d", i%5))
		}
		r.Cost = float64(i%1000) * 1.4724e-06
		if i%3 == 0 {
			r.OptCost = ptr(-float64(i) / 10)
		}
		r.Ratio = float32(i) / 3
		r.Qty = int64(i) * 1000003
		r.Small = int32(i % 17)
		if i%2 == 0 {
			r.OptQty = ptr(int64(i))
		}
		r.Flag = i%3 == 1
		if i%4 != 0 {
			r.OptFlag = ptr(i%8 < 4)
		}
		r.Ms = base.Add(time.Duration(i/50) * time.Hour).UnixMilli()
		r.Us = base.UnixMicro() + int64(i)
		r.Ns = base.UnixNano() + int64(i)*7
		r.Local = base.UnixMicro()
		if i%10 < 3 {
			r.OptMs = ptr(base.UnixMilli() + int64(i))
		}
		r.Day = 17805 + int32(i%31)
		r.Dec = int64(i*37) - 5000
		r.Dec32 = int32(i) - 100
		r.DecFix = fixed16(bigOf(fmt.Sprint(int64(i)*123456789 - 1e9)))
		r.Old = int96Of(base.Add(time.Duration(i) * time.Second))
		if i%9 == 0 {
			r.Raw = []byte{byte(i), 0, byte(i >> 8)}
		}
		r.U32 = uint32(math.MaxUint32 - i)
	}
	return rows
}

func TestStreamMatchesLibraryOnWriterVariants(t *testing.T) {
	rows := variedRows(3000)
	write := func(t *testing.T, opts ...parquet.WriterOption) []byte {
		var buf bytes.Buffer
		w := parquet.NewGenericWriter[flatRow](&buf, opts...)
		// Three row groups of different sizes.
		for _, part := range [][]flatRow{rows[:1000], rows[1000:1001], rows[1001:]} {
			if _, err := w.Write(part); err != nil {
				t.Fatal(err)
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	for _, v := range []struct {
		name       string
		opts       []parquet.WriterOption
		wantStream bool
		// The library (v0.32.0) cannot read back its own LZ4_RAW pages
		// ("input ... too short"); the streaming reader can. For that
		// variant the library reads a Snappy copy of the same rows.
		libraryCannotRead bool
	}{
		// The writer's default for byte arrays is DELTA_LENGTH_BYTE_ARRAY,
		// hence the explicit PLAIN.
		{"v1 plain uncompressed", []parquet.WriterOption{parquet.DataPageVersion(1), parquet.DefaultEncoding(&parquet.Plain), parquet.Compression(&parquet.Uncompressed)}, true, false},
		{"v2 plain snappy", []parquet.WriterOption{parquet.DataPageVersion(2), parquet.DefaultEncoding(&parquet.Plain), parquet.Compression(&parquet.Snappy)}, true, false},
		{"v1 dictionary snappy", []parquet.WriterOption{parquet.DataPageVersion(1), parquet.DefaultEncoding(&parquet.RLEDictionary), parquet.Compression(&parquet.Snappy)}, true, false},
		{"v2 dictionary zstd small pages", []parquet.WriterOption{parquet.DataPageVersion(2), parquet.DefaultEncoding(&parquet.RLEDictionary), parquet.Compression(&parquet.Zstd), parquet.PageBufferSize(300)}, true, false},
		{"v1 plain_dictionary gzip", []parquet.WriterOption{parquet.DataPageVersion(1), parquet.DefaultEncoding(&parquet.PlainDictionary), parquet.Compression(&parquet.Gzip)}, true, false},
		{"v2 dictionary overflow to plain, brotli", []parquet.WriterOption{parquet.DataPageVersion(2), parquet.DefaultEncoding(&parquet.RLEDictionary), parquet.DictionaryMaxBytes(512), parquet.PageBufferSize(1024), parquet.Compression(&parquet.Brotli)}, true, false},
		{"v1 RLE booleans lz4", []parquet.WriterOption{parquet.DataPageVersion(1), parquet.DefaultEncoding(&parquet.Plain), parquet.DefaultEncodingFor(parquet.Boolean, &parquet.RLE), parquet.Compression(&parquet.Lz4Raw)}, true, true},
		{"v2 RLE booleans", []parquet.WriterOption{parquet.DataPageVersion(2), parquet.DefaultEncoding(&parquet.Plain), parquet.DefaultEncodingFor(parquet.Boolean, &parquet.RLE)}, true, false},
		// Encodings the streaming reader leaves to the library.
		{"delta ints", []parquet.WriterOption{parquet.DefaultEncodingFor(parquet.Int64, &parquet.DeltaBinaryPacked)}, false, false},
		{"delta strings", []parquet.WriterOption{parquet.DefaultEncodingFor(parquet.ByteArray, &parquet.DeltaByteArray)}, false, false},
	} {
		t.Run(v.name, func(t *testing.T) {
			data := write(t, v.opts...)
			libData := data
			if v.libraryCannotRead {
				libData = write(t, parquet.DefaultEncoding(&parquet.Plain), parquet.Compression(&parquet.Snappy))
			}
			if n := compareFiles(t, bytes.NewReader(data), int64(len(data)), bytes.NewReader(libData), int64(len(libData)), v.wantStream); n != len(rows) {
				t.Fatalf("%d rows, want %d", n, len(rows))
			}
			t.Logf("%d bytes, encodings %v", len(data), chunkEncodings(t, data))
		})
	}
}

// chunkEncodings lists the encodings the file's column chunks declare, to
// show in the log that a variant tests what it means to.
func chunkEncodings(t *testing.T, data []byte) []string {
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []string
	for _, g := range f.Metadata().RowGroups {
		for _, c := range g.Columns {
			for _, e := range c.MetaData.Encoding {
				if s := e.String(); !seen[s] {
					seen[s] = true
					out = append(out, s)
				}
			}
		}
	}
	return out
}

func TestStreamMatchesLibraryOnRealFiles(t *testing.T) {
	for _, name := range []string{"Oct2018-WorkshopCUR-00001.snappy.parquet", "Nov2018-WorkshopCUR-00001.snappy.parquet"} {
		t.Run(name[:7], func(t *testing.T) {
			if raceEnabled && name[:3] != "Oct" {
				t.Skip("one month is enough under -race; the plain run covers both")
			}
			f := openReal(t, name)
			st, err := f.Stat()
			if err != nil {
				t.Fatal(err)
			}
			n := compareReaders(t, f, st.Size(), true)
			t.Logf("%d rows identical", n)
		})
	}
}

func TestHybridRLE(t *testing.T) {
	// RLE run of 5 threes (width 2), then one bit-packed group of 8
	// values 0..7 (width 3: 3 bytes).
	data := []byte{5 << 1, 3}
	var vals [8]uint32
	for i := range vals {
		vals[i] = uint32(i)
	}
	packed := uint64(0)
	for i, v := range vals {
		packed |= uint64(v) << (3 * i)
	}
	var d hybridRLE
	d.init(data, 2)
	for range 5 {
		if v, err := d.next(); v != 3 || err != nil {
			t.Fatalf("rle: %d, %v", v, err)
		}
	}
	if _, err := d.next(); err == nil {
		t.Fatal("no error past the end")
	}
	d.init([]byte{1<<1 | 1, byte(packed), byte(packed >> 8), byte(packed >> 16)}, 3)
	for i := range 8 {
		if v, err := d.next(); v != uint32(i) || err != nil {
			t.Fatalf("packed %d: %d, %v", i, v, err)
		}
	}
	// Deprecated BIT_PACKED, width 2, most significant bit first:
	// 0b00_01_10_11 then 0b11_......
	d.initBitPacked([]byte{0x1b, 0xc0}, 2)
	for i, want := range []uint32{0, 1, 2, 3, 3} {
		if v, err := d.next(); v != want || err != nil {
			t.Fatalf("bit-packed %d: %d, %v", i, v, err)
		}
	}
	// A 32-bit RLE value.
	d.init([]byte{2 << 1, 0x78, 0x56, 0x34, 0x12}, 32)
	if v, _ := d.next(); v != 0x12345678 {
		t.Fatalf("32-bit: %#x", v)
	}
	// Bad headers and truncated runs are errors.
	for _, bad := range [][]byte{{}, {0x80}, {3 << 1}, {1<<1 | 1}} {
		d.init(bad, 8)
		if _, err := d.next(); err == nil {
			t.Errorf("%x: no error", bad)
		}
	}
}

func TestPlainCoder(t *testing.T) {
	c := &colReader{n: &node{}}
	for _, x := range []struct {
		phys format.Type
		data []byte
		want parquet.Value
	}{
		{format.Boolean, []byte{0b101}, parquet.BooleanValue(true)},
		{format.Int32, []byte{0xfe, 0xff, 0xff, 0xff}, parquet.Int32Value(-2)},
		{format.Int64, []byte{1, 0, 0, 0, 0, 0, 0, 0}, parquet.Int64Value(1)},
		{format.Double, []byte{0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f}, parquet.DoubleValue(0.1)},
		{format.Float, []byte{0, 0, 0x80, 0x3f}, parquet.FloatValue(1)},
		{format.ByteArray, []byte{2, 0, 0, 0, 'h', 'i'}, parquet.ByteArrayValue([]byte("hi"))},
		{format.Int96, []byte{1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0}, parquet.Int96Value(deprecated.Int96{1, 2, 3})},
	} {
		c.n.physical = x.phys
		p := plainCoder{data: x.data}
		v, err := p.next(c)
		if err != nil || !parquet.Equal(v, x.want) {
			t.Errorf("%s: %v, %v; want %v", x.phys, v, err, x.want)
		}
	}
	// Lengths past the end are errors, not panics.
	c.n.physical = format.ByteArray
	for _, bad := range [][]byte{{}, {1, 0}, {5, 0, 0, 0, 'x'}, {0xff, 0xff, 0xff, 0xff}} {
		p := plainCoder{data: bad}
		if _, err := p.next(c); err == nil {
			t.Errorf("%x: no error", bad)
		}
	}
	c.n.physical = format.FixedLenByteArray
	c.n.typeLen = 4
	p := plainCoder{data: []byte{1, 2, 3}}
	if _, err := p.next(c); err == nil {
		t.Error("short FIXED_LEN_BYTE_ARRAY: no error")
	}
}

func TestStreamableRules(t *testing.T) {
	md := &format.FileMetaData{RowGroups: []format.RowGroup{{Columns: []format.ColumnChunk{{MetaData: format.ColumnMetaData{
		Encoding: []format.Encoding{format.Plain, format.RLE, format.BitPacked, format.RLEDictionary},
		Codec:    format.Snappy,
	}}}}}}
	if ok, why := streamable(md, true); !ok {
		t.Errorf("plain file not streamable: %s", why)
	}
	if ok, _ := streamable(md, false); ok {
		t.Error("nested schema streamable")
	}
	md.RowGroups[0].Columns[0].MetaData.Codec = format.LZO
	if ok, _ := streamable(md, true); ok {
		t.Error("LZO streamable")
	}
	md.RowGroups[0].Columns[0].MetaData.Codec = format.Snappy
	md.RowGroups[0].Columns[0].MetaData.Encoding = []format.Encoding{format.ByteStreamSplit}
	if ok, _ := streamable(md, true); ok {
		t.Error("BYTE_STREAM_SPLIT streamable")
	}
}

// TestStreamDamagedPages damages pages of uncompressed files with the
// checksum check off, so that garbage reaches the level, index and value
// decoders. Every copy must read to the end or fail with an error; a
// panic (recovered by Next into an error saying so) fails the test.
func TestStreamDamagedPages(t *testing.T) {
	defer func(old bool) { checkCRC = old }(checkCRC)
	checkCRC = false
	rows := variedRows(600)
	for _, opts := range [][]parquet.WriterOption{
		{parquet.DataPageVersion(1), parquet.DefaultEncoding(&parquet.Plain), parquet.PageBufferSize(2048)},
		{parquet.DataPageVersion(2), parquet.DefaultEncoding(&parquet.RLEDictionary), parquet.PageBufferSize(2048)},
		{parquet.DataPageVersion(1), parquet.DefaultEncoding(&parquet.RLEDictionary), parquet.DefaultEncodingFor(parquet.Boolean, &parquet.RLE)},
	} {
		var buf bytes.Buffer
		w := parquet.NewGenericWriter[flatRow](&buf, append(opts, parquet.Compression(&parquet.Uncompressed))...)
		if _, err := w.Write(rows); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		good := buf.Bytes()
		footerLen := int(binary.LittleEndian.Uint32(good[len(good)-8:]))
		dataEnd := len(good) - 8 - footerLen
		errs, tries := 0, 0
		// About 300 places per file, spread over all its pages.
		for off := 4; off < dataEnd; off += dataEnd/300 + 1 {
			bad := bytes.Clone(good)
			bad[off] ^= byte(off) | 0x81
			bad[off+1] ^= 0xff
			tries++
			r, err := Open(bytes.NewReader(bad), int64(len(bad)))
			if err != nil {
				t.Fatalf("Open of a file with damaged pages: %v", err)
			}
			for {
				_, err := r.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					errs++
					if strings.Contains(err.Error(), "panic") {
						t.Fatalf("offset %d: %v", off, err)
					}
					break
				}
			}
		}
		t.Logf("%d of %d damaged copies gave an error (the rest damaged values only)", errs, tries)
	}
}

// FuzzStream feeds arbitrary bytes in place of a small file's pages (the
// footer stays valid) to the streaming reader. Only errors are allowed: no
// panic, not even one recovered by Next.
func FuzzStream(f *testing.F) {
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[flatRow](&buf, parquet.DataPageVersion(1), parquet.Compression(&parquet.Uncompressed),
		parquet.DefaultEncoding(&parquet.RLEDictionary), parquet.PageBufferSize(256))
	if _, err := w.Write(variedRows(40)); err != nil {
		f.Fatal(err)
	}
	if err := w.Close(); err != nil {
		f.Fatal(err)
	}
	good := buf.Bytes()
	footerLen := int(binary.LittleEndian.Uint32(good[len(good)-8:]))
	dataEnd := len(good) - 8 - footerLen
	f.Add(good[4:dataEnd])
	f.Fuzz(func(t *testing.T, pages []byte) {
		defer func(old bool) { checkCRC = old }(checkCRC)
		checkCRC = false
		file := make([]byte, 0, len(good))
		file = append(file, good[:4]...)
		file = append(file, pages...)
		// Same length as the original, so the footer's offsets stay in
		// range and point into the fuzzed bytes.
		file = append(file, make([]byte, max(0, dataEnd-len(file)))...)[:dataEnd]
		file = append(file, good[dataEnd:]...)
		r, err := Open(bytes.NewReader(file), int64(len(file)))
		if err != nil {
			return
		}
		for range 100 {
			if _, err := r.Next(); err != nil {
				if strings.Contains(err.Error(), "panic") {
					t.Fatal(err)
				}
				return
			}
		}
	})
}

// TestStreamRandomDamage is TestStreamDamagedPages with random damage
// (bytes replaced, bits flipped, runs overwritten) to small files of
// several encodings and codecs, from a fixed seed.
func TestStreamRandomDamage(t *testing.T) {
	defer func(old bool) { checkCRC = old }(checkCRC)
	checkCRC = false
	rng := rand.New(rand.NewSource(1))
	total, errs := 0, 0
	for _, opts := range [][]parquet.WriterOption{
		{parquet.DataPageVersion(1), parquet.Compression(&parquet.Uncompressed), parquet.DefaultEncoding(&parquet.RLEDictionary), parquet.PageBufferSize(256)},
		{parquet.DataPageVersion(2), parquet.Compression(&parquet.Uncompressed), parquet.DefaultEncoding(&parquet.Plain), parquet.PageBufferSize(256)},
		{parquet.DataPageVersion(2), parquet.Compression(&parquet.Snappy), parquet.DefaultEncoding(&parquet.RLEDictionary), parquet.DefaultEncodingFor(parquet.Boolean, &parquet.RLE)},
		{parquet.DataPageVersion(1), parquet.Compression(&parquet.Gzip), parquet.DefaultEncoding(&parquet.Plain)},
	} {
		var buf bytes.Buffer
		w := parquet.NewGenericWriter[flatRow](&buf, opts...)
		if _, err := w.Write(variedRows(60)); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		good := buf.Bytes()
		footerLen := int(binary.LittleEndian.Uint32(good[len(good)-8:]))
		dataEnd := len(good) - 8 - footerLen
		for range 1000 {
			bad := bytes.Clone(good)
			for k := rng.Intn(4); k >= 0; k-- {
				p := 4 + rng.Intn(dataEnd-4)
				switch rng.Intn(3) {
				case 0:
					bad[p] = byte(rng.Intn(256))
				case 1:
					bad[p] ^= 1 << rng.Intn(8)
				case 2:
					for j := p; j < min(dataEnd, p+rng.Intn(16)); j++ {
						bad[j] = 0xff
					}
				}
			}
			total++
			r, err := Open(bytes.NewReader(bad), int64(len(bad)))
			if err != nil {
				continue
			}
			for {
				_, err := r.Next()
				if err != nil {
					if strings.Contains(err.Error(), "panic") {
						t.Fatal(err)
					}
					if !errors.Is(err, io.EOF) {
						errs++
					}
					break
				}
			}
		}
	}
	t.Logf("%d damaged copies, %d gave an error, none panicked", total, errs)
}

// TestStreamMemoryFlat reads a file shaped like a legacy CUR export: one
// row group, dictionary-encoded columns that are nearly always the same
// value, so each column is one page of every row (parquet-mr bounds pages
// by encoded bytes, and these encode to almost nothing). The library's
// reader expands such a page to 4 bytes per row per column; the streaming
// reader must not.
func TestStreamMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: writes and reads 300000 rows")
	}
	const rows, cols = 300_000, 30
	g := parquet.Group{}
	for c := range cols {
		g[fmt.Sprintf("c%02d", c)] = parquet.Encoded(parquet.String(), &parquet.RLEDictionary)
	}
	schema := parquet.NewSchema("cur", g)
	var buf bytes.Buffer
	// Pages as large as the row group, as parquet-mr makes them.
	w := parquet.NewWriter(&buf, schema, parquet.PageBufferSize(64<<20), parquet.Compression(&parquet.Snappy))
	batch := make([]parquet.Row, 1000)
	for i := 0; i < rows; i += len(batch) {
		for j := range batch {
			row := batch[j][:0]
			for c := range cols {
				s := ""
				if c == 0 || (i+j)%1000 == 0 {
					s = fmt.Sprint((i + j) % 7)
				}
				row = append(row, parquet.ValueOf(s).Level(0, 0, c))
			}
			batch[j] = row
		}
		if _, err := w.WriteRows(batch); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()

	peak := func(stream bool) (uint64, int) {
		r, err := open(bytes.NewReader(data), int64(len(data)), stream)
		if err != nil {
			t.Fatal(err)
		}
		if r.stream != stream {
			t.Fatalf("stream %v, want %v", r.stream, stream)
		}
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		base, top := ms.HeapInuse, ms.HeapInuse
		n := 0
		for {
			_, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if n++; n%50_000 == 1 {
				runtime.GC()
				runtime.ReadMemStats(&ms)
				top = max(top, ms.HeapInuse)
			}
		}
		return (top - base) >> 20, n
	}
	streamMB, n := peak(true)
	libMB, _ := peak(false)
	t.Logf("%d rows x %d columns in a %d-byte file: live heap while reading: streaming %d MB, library rows %d MB", n, cols, len(data), streamMB, libMB)
	if n != rows {
		t.Fatalf("%d rows, want %d", n, rows)
	}
	if streamMB > 8 {
		t.Errorf("streaming reader holds %d MB", streamMB)
	}
}

// TestStreamLongHeaders has page headers longer than the first window the
// streaming reader decodes them from: statistics hold long strings.
func TestStreamLongHeaders(t *testing.T) {
	type row struct {
		S string `parquet:"s"`
		N int64  `parquet:"n"`
	}
	rows := make([]row, 50)
	for i := range rows {
		rows[i] = row{S: strings.Repeat(string(rune('a'+i%26)), 3000+i*100), N: int64(i)}
	}
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[row](&buf, parquet.DefaultEncoding(&parquet.Plain), parquet.DataPageStatistics(true),
		parquet.PageBufferSize(8<<10))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	// Make sure the headers really are long: the first page of column s
	// starts after a header holding min and max.
	cc := f.Metadata().RowGroups[0].Columns[0].MetaData
	var h format.PageHeader
	c := &colReader{n: &node{}}
	c.reset(bytes.NewReader(data), cc.DataPageOffset, cc.TotalCompressedSize, &parquet.Uncompressed)
	if err := c.readHeader(&h); err != nil {
		t.Fatal(err)
	}
	if c.off < 2<<10 {
		t.Fatalf("test bug: the first page header is only %d bytes", c.off)
	}
	if n := compareReaders(t, bytes.NewReader(data), int64(len(data)), true); n != len(rows) {
		t.Fatalf("%d rows", n)
	}
}
