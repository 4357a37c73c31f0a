package parquetrows

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"math/bits"

	"github.com/klauspost/compress/s2"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// Why a page reader of our own: the library decodes a whole data page at
// once, expanding dictionary indexes to 4 bytes per value. Writers such as
// the parquet-mr that AWS uses bound pages by encoded size, and a column
// that is mostly one value (most CUR columns are mostly empty) RLE-encodes
// to a few bytes, so one page can span the whole row group: the 1.4 MB Oct
// sample has 67 of its 124 columns in a single page of 119307 values, and
// the library's row reader holds about 67 MB live for it. A row group of a
// few million rows would need gigabytes.
//
// For flat schemas (every column a top-level, non-repeated leaf: all
// legacy CUR files) with the common encodings (PLAIN, dictionary, RLE),
// this file decodes pages incrementally instead: each column keeps its
// current page (bounded by the writer's page size in bytes) and walks its
// run-length and bit-packed runs value by value. Everything else (nested
// columns, DELTA and BYTE_STREAM_SPLIT encodings, encryption) goes through
// the library's row reader. Tests read files both ways and compare.

// checkCRC enables page checksum verification. Tests turn it off to feed
// damaged pages to the decoders themselves.
var checkCRC = true

// maxPageBytes bounds the sizes a page header may claim, so that a corrupt
// header gives an error instead of a huge allocation.
const maxPageBytes = 1 << 30

// streamable reports whether the streaming page reader can read the file:
// a flat schema, and in every column chunk only encodings and codecs it
// knows. It returns why not, for tests.
func streamable(md *format.FileMetaData, flat bool) (bool, string) {
	if !flat {
		return false, "nested columns"
	}
	if md.EncryptionAlgorithm.Value != nil {
		return false, "encrypted"
	}
	for _, g := range md.RowGroups {
		for _, c := range g.Columns {
			if c.FilePath != "" || len(c.EncryptedColumnMetadata) > 0 {
				return false, "external or encrypted column chunk"
			}
			for _, e := range c.MetaData.Encoding {
				switch e {
				case format.Plain, format.PlainDictionary, format.RLEDictionary, format.RLE, format.BitPacked:
				default:
					return false, "encoding " + e.String()
				}
			}
			switch c.MetaData.Codec {
			case format.Uncompressed, format.Snappy, format.Gzip, format.Brotli, format.Zstd, format.Lz4Raw:
			default:
				return false, "codec " + c.MetaData.Codec.String()
			}
		}
	}
	return true, ""
}

// nextStream is Next for the streaming reader: one value from each
// column's reader makes a row.
func (r *Reader) nextStream() ([][]byte, error) {
	for r.cols == nil || r.groupRead == r.groups[r.group].NumRows() {
		if r.cols != nil {
			for _, c := range r.cols {
				if c != nil && c.left > 0 {
					return nil, fmt.Errorf("parquetrows: row group %d: column %q has more values than the footer's %d rows", r.group+1, c.n.name, r.groupRead)
				}
			}
		}
		if r.group+1 >= len(r.groups) {
			return nil, io.EOF
		}
		r.group++
		r.groupRead = 0
		if err := r.openColumns(); err != nil {
			return nil, err
		}
	}
	r.groupRead++
	r.fileRow++
	r.whereGroup, r.whereRow, r.whereFileRow = r.group+1, r.groupRead, r.fileRow
	b := r.buf[:0]
	for i, c := range r.cols {
		if c == nil { // a column the caller does not read (ReadOnly)
			r.ends[i] = len(b)
			continue
		}
		var err error
		if b, err = c.appendNext(b); err != nil {
			r.buf = b
			return nil, fmt.Errorf("parquetrows: %s: column %q: %w", r.Where(), c.n.name, err)
		}
		r.ends[i] = len(b)
	}
	r.buf = b
	start := 0
	for i, end := range r.ends {
		r.fields[i] = b[start:end:end]
		start = end
	}
	return r.fields, nil
}

// openColumns points one column reader at each column chunk of the
// current row group. The readers (and their buffers) are reused from
// group to group.
func (r *Reader) openColumns() error {
	md := &r.md.RowGroups[r.group]
	if r.cols == nil {
		r.cols = make([]*colReader, len(r.tops))
	}
	for i, n := range r.tops {
		if r.unread != nil && r.unread[i] {
			continue
		}
		cc := &md.Columns[i].MetaData
		start := cc.DataPageOffset
		if cc.DictionaryPageOffset > 0 && cc.DictionaryPageOffset < start {
			start = cc.DictionaryPageOffset
		}
		if start < 4 || cc.TotalCompressedSize < 0 || start > r.size || cc.TotalCompressedSize > r.size-start {
			return fmt.Errorf("parquetrows: row group %d: column %q: chunk at offset %d, %d bytes, lies outside the %d-byte file", r.group+1, n.name, start, cc.TotalCompressedSize, r.size)
		}
		c := r.cols[i]
		if c == nil {
			c = &colReader{n: n}
			r.cols[i] = c
		}
		c.reset(r.src, start, cc.TotalCompressedSize, parquet.LookupCompressionCodec(cc.Codec))
	}
	return nil
}

// colReader decodes one flat column chunk, one value at a time.
//
// It reads the chunk with ReadAt at offsets it tracks, rather than through
// a buffered stream, so that every size a page header claims is checked
// against the bytes the chunk really has before anything is allocated for
// it, and page headers are decoded from a byte slice, where the thrift
// decoder bounds lengths by the data instead of allocating what they say.
type colReader struct {
	n     *node
	codec compress.Codec
	src   io.ReaderAt
	base  int64 // the chunk's offset in the file
	size  int64 // the chunk's length
	off   int64 // bytes of the chunk consumed

	hdr   []byte // window of bytes holding the next page header; reused
	br    thrift.BytesReader
	dec   *thrift.Decoder
	proto thrift.CompactProtocol

	page int    // 1-based index in the chunk of the page being read, for errors
	raw  []byte // the current page as stored; reused
	data []byte // the current page decompressed; reused

	// The chunk's dictionary, if any, already rendered: entry i is
	// dictText[dictEnd[i-1]:dictEnd[i]]. Rendering each entry once, not
	// each time a row uses it, is most of the speed of this reader, as
	// CUR columns are mostly dictionary-encoded.
	hasDict  bool
	dictText []byte
	dictEnd  []int

	left int        // values left in the current data page
	defs hybridRLE  // definition levels of the current page
	enc  valueCoder // values of the current page
}

func (c *colReader) reset(src io.ReaderAt, base, size int64, codec compress.Codec) {
	if c.br == nil {
		c.br = c.proto.NewReaderFromBytes(nil)
		c.dec = thrift.NewDecoder(c.br)
	}
	c.src, c.base, c.size, c.off = src, base, size, 0
	c.codec = codec
	c.page = 0
	c.hasDict = false
	c.left = 0
}

// appendNext appends the text of the column's next value to b: nothing
// for a null.
func (c *colReader) appendNext(b []byte) ([]byte, error) {
	for c.left == 0 {
		if err := c.readPage(); err != nil {
			return b, err
		}
	}
	c.left--
	if c.n.maxDef > 0 {
		d, err := c.defs.next()
		if err != nil {
			return b, c.pageErr("definition levels: %w", err)
		}
		if int(d) > c.n.maxDef {
			return b, c.pageErr("definition level %d above the maximum %d", d, c.n.maxDef)
		}
		if int(d) < c.n.maxDef {
			return b, nil
		}
	}
	if c.enc.dictionary {
		i, err := c.enc.indexes.next()
		if err != nil {
			return b, c.pageErr("dictionary indexes: %w", err)
		}
		if int(i) >= len(c.dictEnd) {
			return b, c.pageErr("dictionary index %d, the dictionary has %d values", i, len(c.dictEnd))
		}
		start := 0
		if i > 0 {
			start = c.dictEnd[i-1]
		}
		return append(b, c.dictText[start:c.dictEnd[i]]...), nil
	}
	var v parquet.Value
	if c.enc.rleBool {
		x, err := c.enc.indexes.next()
		if err != nil {
			return b, c.pageErr("booleans: %w", err)
		}
		v = parquet.BooleanValue(x != 0)
	} else {
		var err error
		if v, err = c.enc.plain.next(c); err != nil {
			return b, c.pageErr("%w", err)
		}
	}
	b, err := appendText(b, c.n, v)
	if err != nil {
		return b, c.pageErr("%w", err)
	}
	return b, nil
}

func (c *colReader) pageErr(format string, args ...any) error {
	return fmt.Errorf("page %d of the column chunk: %w", c.page, fmt.Errorf(format, args...))
}

// readPage reads page headers until a data page, loading a dictionary page
// on the way, and prepares the data page's decoders.
func (c *colReader) readPage() error {
	for {
		c.page++
		if c.off >= c.size {
			return fmt.Errorf("the column chunk ends after %d pages, before the row group's last row", c.page-1)
		}
		var h format.PageHeader
		if err := c.readHeader(&h); err != nil {
			return c.pageErr("header: %w", err)
		}
		if h.CompressedPageSize < 0 || int64(h.CompressedPageSize) > c.size-c.off {
			return c.pageErr("header: page of %d bytes, the column chunk has %d left", h.CompressedPageSize, c.size-c.off)
		}
		if h.UncompressedPageSize < 0 || h.UncompressedPageSize > maxPageBytes {
			return c.pageErr("header: uncompressed size %d out of range", h.UncompressedPageSize)
		}
		c.raw = grow(c.raw, int(h.CompressedPageSize))
		if err := c.readAt(c.raw); err != nil {
			return c.pageErr("reading %d bytes: %w", h.CompressedPageSize, err)
		}
		if h.CRC != 0 && checkCRC {
			if sum := crc32.ChecksumIEEE(c.raw); sum != uint32(h.CRC) {
				return c.pageErr("checksum mismatch (header %08x, data %08x): corrupt page", uint32(h.CRC), sum)
			}
		}
		switch h.Type {
		case format.DictionaryPage:
			if err := c.readDictionary(&h); err != nil {
				return err
			}
		case format.DataPage:
			return c.startDataPageV1(&h)
		case format.DataPageV2:
			return c.startDataPageV2(&h)
		default:
			// Index pages and unknown page types carry no values.
		}
	}
}

// readHeader decodes the page header at c.off. Headers are small but have
// no length prefix, so it decodes from a window of the chunk, doubling the
// window while the header runs past it.
func (c *colReader) readHeader(h *format.PageHeader) error {
	window := int64(1 << 10)
	for {
		window = min(window, c.size-c.off)
		c.hdr = grow(c.hdr, int(window))
		if err := c.readAt(c.hdr); err != nil {
			return err
		}
		c.off -= window // readAt advanced past the window; only the header counts
		c.br.ResetBytes(c.hdr)
		c.dec.Reset(c.br)
		*h = format.PageHeader{}
		err := c.dec.Decode(h)
		if err == nil {
			c.off += int64(c.br.BytesRead())
			return nil
		}
		if !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
			return err
		}
		if window == c.size-c.off {
			return fmt.Errorf("%w (the column chunk ends inside a page header)", err)
		}
		window *= 2
	}
}

// readAt fills b from the chunk at c.off and advances c.off.
func (c *colReader) readAt(b []byte) error {
	n, err := c.src.ReadAt(b, c.base+c.off)
	if n == len(b) {
		c.off += int64(n)
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("reading %d bytes at offset %d: %w (truncated file?)", len(b), c.base+c.off, err)
}

func (c *colReader) readDictionary(h *format.PageHeader) error {
	if !h.DictionaryPageHeader.Valid {
		return c.pageErr("dictionary page without its header")
	}
	dh := &h.DictionaryPageHeader.V
	if dh.Encoding != format.Plain && dh.Encoding != format.PlainDictionary {
		return c.pageErr("dictionary page encoded %s, want PLAIN", dh.Encoding)
	}
	if dh.NumValues < 0 {
		return c.pageErr("dictionary page with %d values", dh.NumValues)
	}
	data, err := c.decompress(c.data[:0], c.raw, int(h.UncompressedPageSize))
	if err != nil {
		return c.pageErr("dictionary page: %w", err)
	}
	c.data = data
	// Every PLAIN value takes at least one bit; more values than that
	// would be a corrupt count, and an allocation to match.
	if int64(dh.NumValues) > 8*int64(len(data)) {
		return c.pageErr("dictionary page claims %d values in %d bytes", dh.NumValues, len(data))
	}
	c.dictText, c.dictEnd = c.dictText[:0], c.dictEnd[:0]
	p := plainCoder{data: data}
	for i := range int(dh.NumValues) {
		v, err := p.next(c)
		if err == nil {
			c.dictText, err = appendText(c.dictText, c.n, v)
		}
		if err != nil {
			return c.pageErr("dictionary page, value %d of %d: %w", i+1, dh.NumValues, err)
		}
		c.dictEnd = append(c.dictEnd, len(c.dictText))
	}
	c.hasDict = true
	return nil
}

func (c *colReader) startDataPageV1(h *format.PageHeader) error {
	if !h.DataPageHeader.Valid {
		return c.pageErr("no data page header")
	}
	dh := &h.DataPageHeader.V
	data, err := c.decompress(c.data[:0], c.raw, int(h.UncompressedPageSize))
	if err != nil {
		return c.pageErr("%w", err)
	}
	c.data = data
	if dh.NumValues < 0 {
		return c.pageErr("%d values", dh.NumValues)
	}
	// A flat column has no repetition levels; definition levels come
	// first, RLE with a 4-byte length or (deprecated) BIT_PACKED.
	if c.n.maxDef > 0 {
		width := bits.Len(uint(c.n.maxDef))
		switch dh.DefinitionLevelEncoding {
		case format.RLE:
			if len(data) < 4 {
				return c.pageErr("definition levels: page too short")
			}
			size := int(binary.LittleEndian.Uint32(data))
			if size < 0 || size > len(data)-4 {
				return c.pageErr("definition levels: %d bytes in a %d-byte page", size, len(data))
			}
			c.defs.init(data[4:4+size], width)
			data = data[4+size:]
		case format.BitPacked:
			size := (int(dh.NumValues)*width + 7) / 8
			if size > len(data) {
				return c.pageErr("definition levels: %d bytes in a %d-byte page", size, len(data))
			}
			c.defs.initBitPacked(data[:size], width)
			data = data[size:]
		default:
			return c.pageErr("definition levels encoded %s", dh.DefinitionLevelEncoding)
		}
	}
	c.left = int(dh.NumValues)
	return c.startValues(dh.Encoding, data)
}

func (c *colReader) startDataPageV2(h *format.PageHeader) error {
	if !h.DataPageHeaderV2.Valid {
		return c.pageErr("no data page header")
	}
	dh := &h.DataPageHeaderV2.V
	rl, dl := int(dh.RepetitionLevelsByteLength), int(dh.DefinitionLevelsByteLength)
	if dh.NumValues < 0 || rl < 0 || dl < 0 || rl+dl > len(c.raw) || rl+dl > int(h.UncompressedPageSize) {
		return c.pageErr("level sizes %d+%d in a %d-byte page", rl, dl, len(c.raw))
	}
	// Version 2 keeps the levels outside the compressed part, without a
	// length prefix.
	if c.n.maxDef > 0 {
		c.defs.init(c.raw[rl:rl+dl], bits.Len(uint(c.n.maxDef)))
	}
	values := c.raw[rl+dl:]
	if !dh.IsCompressed.Valid || dh.IsCompressed.V {
		data, err := c.decompress(c.data[:0], values, int(h.UncompressedPageSize)-rl-dl)
		if err != nil {
			return c.pageErr("%w", err)
		}
		c.data = data
		values = data
	}
	c.left = int(dh.NumValues)
	return c.startValues(dh.Encoding, values)
}

func (c *colReader) startValues(enc format.Encoding, data []byte) error {
	switch enc {
	case format.Plain:
		c.enc = valueCoder{plain: plainCoder{data: data}}
	case format.PlainDictionary, format.RLEDictionary:
		if !c.hasDict {
			return c.pageErr("dictionary-encoded page without a dictionary page")
		}
		if len(data) < 1 || data[0] > 32 {
			return c.pageErr("bad dictionary index width")
		}
		c.enc = valueCoder{dictionary: true}
		c.enc.indexes.init(data[1:], int(data[0]))
	case format.RLE:
		if c.n.physical != format.Boolean || len(data) < 4 {
			return c.pageErr("RLE values on %s", c.n.physical)
		}
		size := int(binary.LittleEndian.Uint32(data))
		if size < 0 || size > len(data)-4 {
			return c.pageErr("RLE values: %d bytes in a %d-byte page", size, len(data))
		}
		c.enc = valueCoder{rleBool: true}
		c.enc.indexes.init(data[4:4+size], 1)
	default:
		return c.pageErr("values encoded %s, which this reader does not decode", enc)
	}
	return nil
}

// decompress decodes src into dst, checking the size the header promised.
func (c *colReader) decompress(dst, src []byte, size int) (out []byte, err error) {
	// The library's GZIP codec (v0.32.0) panics on a bad gzip header
	// where it means to return the error.
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("decompressing (%s): %v", c.codec, p)
		}
	}()
	if c.codec.CompressionCodec() == format.Uncompressed {
		if len(src) != size {
			return nil, fmt.Errorf("uncompressed page of %d bytes, header says %d", len(src), size)
		}
		return append(dst[:0], src...), nil
	}
	if c.codec.CompressionCodec() == format.Snappy {
		// A Snappy block states its decoded length first, and the decoder
		// allocates that much: check it against the header beforehand.
		if n, err := s2.DecodedLen(src); err != nil || n != size {
			return nil, fmt.Errorf("snappy block of %d bytes (%v), header says %d", n, err, size)
		}
	}
	out, err = c.codec.Decode(dst[:0], src)
	if err != nil {
		return nil, fmt.Errorf("decompressing (%s): %w", c.codec, err)
	}
	if len(out) != size {
		return nil, fmt.Errorf("page decompresses to %d bytes, header says %d", len(out), size)
	}
	return out, nil
}

func grow(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	return b[:n]
}

// valueCoder is the state of a data page's non-null values: PLAIN bytes,
// or a run decoder of dictionary indexes or RLE booleans.
type valueCoder struct {
	plain      plainCoder
	dictionary bool
	rleBool    bool
	indexes    hybridRLE
}

// plainCoder reads PLAIN values: little-endian fixed-size numbers,
// length-prefixed byte arrays, bit-packed booleans.
type plainCoder struct {
	data []byte
	pos  int
	bit  int // booleans: the next bit
}

var errShortPage = errors.New("values run past the end of the page")

func (p *plainCoder) take(n int) ([]byte, error) {
	if n < 0 || n > len(p.data)-p.pos {
		return nil, errShortPage
	}
	b := p.data[p.pos : p.pos+n : p.pos+n]
	p.pos += n
	return b, nil
}

func (p *plainCoder) next(c *colReader) (parquet.Value, error) {
	switch c.n.physical {
	case format.Boolean:
		if p.bit>>3 >= len(p.data) {
			return parquet.Value{}, errShortPage
		}
		b := p.data[p.bit>>3]>>(p.bit&7)&1 != 0
		p.bit++
		return parquet.BooleanValue(b), nil
	case format.Int32:
		b, err := p.take(4)
		if err != nil {
			return parquet.Value{}, err
		}
		return parquet.Int32Value(int32(binary.LittleEndian.Uint32(b))), nil
	case format.Int64:
		b, err := p.take(8)
		if err != nil {
			return parquet.Value{}, err
		}
		return parquet.Int64Value(int64(binary.LittleEndian.Uint64(b))), nil
	case format.Int96:
		b, err := p.take(12)
		if err != nil {
			return parquet.Value{}, err
		}
		return parquet.Int96Value(deprecated.Int96{binary.LittleEndian.Uint32(b), binary.LittleEndian.Uint32(b[4:]), binary.LittleEndian.Uint32(b[8:])}), nil
	case format.Float:
		b, err := p.take(4)
		if err != nil {
			return parquet.Value{}, err
		}
		return parquet.FloatValue(math.Float32frombits(binary.LittleEndian.Uint32(b))), nil
	case format.Double:
		b, err := p.take(8)
		if err != nil {
			return parquet.Value{}, err
		}
		return parquet.DoubleValue(math.Float64frombits(binary.LittleEndian.Uint64(b))), nil
	case format.ByteArray:
		l, err := p.take(4)
		if err != nil {
			return parquet.Value{}, err
		}
		b, err := p.take(int(binary.LittleEndian.Uint32(l)))
		if err != nil {
			return parquet.Value{}, err
		}
		return parquet.ByteArrayValue(b), nil
	case format.FixedLenByteArray:
		b, err := p.take(c.n.typeLen)
		if err != nil {
			return parquet.Value{}, err
		}
		return parquet.FixedLenByteArrayValue(b), nil
	}
	return parquet.Value{}, fmt.Errorf("physical type %s", c.n.physical)
}

// hybridRLE decodes the RLE / bit-packing hybrid encoding (levels,
// dictionary indexes, RLE booleans) one value at a time, so a page of a
// million values costs no more memory than its encoded bytes. It also
// reads the deprecated BIT_PACKED level encoding (msbFirst).
type hybridRLE struct {
	data  []byte
	pos   int
	width int

	repeat   int    // values left in the current RLE run
	value    uint32 // the RLE run's value
	packed   int    // values left in the current bit-packed run
	group    [8]uint32
	groupPos int // next value of group; 8 when a new group must be unpacked

	msbFirst bool // deprecated BIT_PACKED: one big-endian bit stream
	bitPos   int
}

func (d *hybridRLE) init(data []byte, width int) {
	*d = hybridRLE{data: data, width: width}
}

func (d *hybridRLE) initBitPacked(data []byte, width int) {
	*d = hybridRLE{data: data, width: width, msbFirst: true}
}

var errShortRuns = errors.New("encoded runs end before the page's values do")

func (d *hybridRLE) next() (uint32, error) {
	if d.msbFirst {
		var v uint32
		for range d.width {
			if d.bitPos>>3 >= len(d.data) {
				return 0, errShortRuns
			}
			v = v<<1 | uint32(d.data[d.bitPos>>3]>>(7-d.bitPos&7)&1)
			d.bitPos++
		}
		return v, nil
	}
	for d.repeat == 0 && d.packed == 0 {
		if d.pos >= len(d.data) {
			return 0, errShortRuns
		}
		header, n := binary.Uvarint(d.data[d.pos:])
		if n <= 0 || header>>1 > math.MaxInt32 {
			return 0, errors.New("bad run header")
		}
		d.pos += n
		if header&1 == 1 {
			d.packed = int(header>>1) * 8
			d.groupPos = 8
		} else {
			d.repeat = int(header >> 1)
			size := (d.width + 7) / 8
			if size > len(d.data)-d.pos {
				return 0, errShortRuns
			}
			var v uint32
			for i := range size {
				v |= uint32(d.data[d.pos+i]) << (8 * i)
			}
			d.pos += size
			d.value = v
		}
	}
	if d.repeat > 0 {
		d.repeat--
		return d.value, nil
	}
	if d.groupPos == 8 {
		// Eight values take width bytes, least significant bit first.
		// A writer may end the last group early; the missing bits are
		// read as zeros, and only matter if the page's value count asks
		// for them.
		if d.width > 0 && d.pos >= len(d.data) {
			return 0, errShortRuns
		}
		var bytes [32]byte
		copy(bytes[:d.width], d.data[d.pos:])
		var acc uint64
		have, j := 0, 0
		mask := uint64(1)<<d.width - 1
		for i := range d.group {
			for have < d.width {
				acc |= uint64(bytes[j]) << have
				j++
				have += 8
			}
			d.group[i] = uint32(acc & mask)
			acc >>= d.width
			have -= d.width
		}
		d.pos = min(d.pos+d.width, len(d.data))
		d.groupPos = 0
	}
	d.packed--
	v := d.group[d.groupPos]
	d.groupPos++
	return v, nil
}
