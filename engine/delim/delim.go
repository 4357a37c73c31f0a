// Package delim reads delimited text, CSV and Hive/Athena Ctrl-A text, fast
// and with exact positions for error messages.
//
// It exists because encoding/csv allocates a string per record and copies
// every byte through bufio and a record buffer, which caps AWS billing
// imports (hundreds of MB, millions of rows) well below what the disk and
// decompressor can deliver. Scanner instead scans a large byte window, a
// line at a time with bytes.IndexByte and its separators eight bytes at a
// time, and hands out fields as slices into that window, with no
// allocation.
//
// With quoting enabled the accepted language is RFC 4180 as implemented by
// encoding/csv (FieldsPerRecord=-1): any input encoding/csv accepts yields
// the same records here. Scanner is more lenient in one place: a '"' inside
// an unquoted field is kept as an ordinary byte, because real exports
// contain such fields and rejecting a 400 MB import over one is worse than
// keeping the byte.
package delim

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
)

// defaultBufSize is large so that a refill (and the memmove of the partial
// record it implies) happens once per thousands of records, and so that a
// single Read from a gzip or file reader is amortised over lots of parsing.
const defaultBufSize = 1 << 20

// maxEmptyReads mirrors bufio: a reader that keeps returning 0, nil is
// broken, and spinning on it forever would hang an import silently.
const maxEmptyReads = 100

// maxRecordSize bounds one record. A quote left open early in a large file
// would otherwise make the buffer grow to hold the rest of the file, and a
// file that is not delimited text at all can be one endless line; past this
// size the record is reported instead, keeping memory flat. Billing lines
// are a few kilobytes: 16 MiB leaves room for any real one.
var maxRecordSize = 16 << 20

// maxFields bounds the fields of one record, for the same reason: each
// field costs a slice header, and a megabyte of commas would otherwise cost
// 24 MB. Billing files have hundreds of columns, a few thousand with tags.
const maxFields = 1 << 16

// errRecordTooLong and errTooManyFields report records beyond the bounds
// above.
var (
	errRecordTooLong = errors.New("the record is longer than 16 MiB, which no billing line is: is a quote left open, or is this not a billing file?")
	errTooManyFields = fmt.Errorf("the record has more than %d fields, which no billing line has: is this a billing file?", maxFields)
)

var (
	utf8BOM = []byte{0xEF, 0xBB, 0xBF}
	crlf    = []byte{'\r', '\n'}
)

// The causes are sentinels so that tests (and future exported helpers) can
// classify errors with errors.Is regardless of the position text.
var (
	errUnterminatedQuote = errors.New("unterminated quoted field")
	errAfterQuote        = errors.New("unexpected character after closing quote")
)

// ParseError reports malformed input with its position. Column is the
// 1-based field number rather than a byte column because billing rows are
// hundreds of bytes wide and users locate problems by column header, not by
// counting characters. It is 0 for errors of the whole record (too long,
// too many fields).
type ParseError struct {
	Line, Column int
	Err          error
}

// Error formats the position first so that messages stay greppable and
// sort naturally when many files are reported together.
func (e *ParseError) Error() string {
	if e.Column == 0 {
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("line %d, column %d: %v", e.Line, e.Column, e.Err)
}

// Unwrap lets errors.Is and errors.As see the cause without string matching.
func (e *ParseError) Unwrap() error { return e.Err }

// Scanner reads records from delimited text. It is not safe for concurrent
// use; the returned fields alias its internal buffer.
type Scanner struct {
	r       io.Reader
	sep     byte
	quoting bool

	// buf[start:end] is input that has been read but not yet consumed.
	buf        []byte
	start, end int
	// rerr is the first error from r (io.EOF included). Once set, r is
	// never read again: some readers (gzip) are not restartable after an
	// error and re-reading could produce misleading data.
	rerr error

	// fail is returned by every Next once set, so that callers that retry
	// or keep looping cannot silently skip over a malformed region.
	fail  error
	begun bool

	// parse writes where the fields of the last record are as spans,
	// without slices: Ahead copies them and the record's bytes (rec, in
	// the window) in one piece each; Next makes fields of them.
	spans    []span
	fields   [][]byte
	scratch  []byte // unescaped copies of quoted fields that needed it
	rec      []byte
	unescape bool // a span of the last record is in scratch

	line     int   // start line of the last record returned
	nextLine int   // line number of buf[start]
	offset   int64 // input bytes before buf[start]
}

// NewScanner reads records separated by '\n' (a '\r' before '\n' is
// dropped) with fields separated by sep.
//
// quoting=true: RFC 4180 quoting like encoding/csv (fields may be "quoted",
// "" is an escaped quote, quoted fields may contain sep, \r\n and \n).
// quoting=false: no quote handling at all (Hive text: '"' is an ordinary
// byte).
//
// A sep of '\n' or '\r', or '"' with quoting, could never be parsed
// unambiguously, so NewScanner panics on it rather than misreading data.
//
// The Scanner reads ahead in large blocks, so it suits files and
// decompressors rather than interactive streams.
func NewScanner(r io.Reader, sep byte, quoting bool) *Scanner {
	return newScanner(r, sep, quoting, defaultBufSize)
}

// newScanner takes the initial buffer size so that tests can force every
// record across buffer boundaries.
func newScanner(r io.Reader, sep byte, quoting bool, bufSize int) *Scanner {
	if sep == '\n' || sep == '\r' || (quoting && sep == '"') {
		panic(fmt.Sprintf("delim: invalid separator %q", sep))
	}
	return &Scanner{
		r:        r,
		sep:      sep,
		quoting:  quoting,
		buf:      make([]byte, bufSize),
		nextLine: 1,
	}
}

// Line is the 1-based line number where the record last returned by Next
// starts. After a ParseError it is the start line of the offending record.
func (s *Scanner) Line() int { return s.line }

// Offset is the number of input bytes consumed so far (for progress bars
// and MB/s): everything up to and including the last returned record, or
// the whole input once Next has returned io.EOF.
func (s *Scanner) Offset() int64 { return s.offset }

// Next returns the next record's fields; they are valid only until the
// next call, because they point into a buffer that is reused. It returns
// io.EOF after the last record.
//
// A reader error is returned unchanged once the records completed before it
// have been delivered; a partial record in front of the error is dropped,
// since a truncated download or gzip member would otherwise yield a
// plausible-looking but wrong last row. Errors, including *ParseError, are
// sticky.
func (s *Scanner) Next() ([][]byte, error) {
	if err := s.scan(); err != nil {
		return nil, err
	}
	fields := s.fields[:0]
	for _, sp := range s.spans {
		fields = append(fields, s.field(sp))
	}
	s.fields = fields
	return fields, nil
}

// span is where a field's bytes are: rec[from:to] from the start of its
// record, or, when from is negative, scratch[-from-1:to].
type span struct{ from, to int32 }

// field is the bytes of a span of the last record.
func (s *Scanner) field(sp span) []byte {
	if sp.from < 0 {
		return s.scratch[-sp.from-1 : sp.to : sp.to]
	}
	return s.rec[sp.from:sp.to:sp.to]
}

// scan reads the next record into spans and rec, as Next does.
func (s *Scanner) scan() error {
	if s.fail != nil {
		return s.fail
	}
	if !s.begun {
		s.begin()
	}
	for {
		switch s.parse() {
		case stRecord:
			return nil
		case stEOF:
			s.fail = io.EOF
			return io.EOF
		case stError:
			return s.fail
		}
		// stMore: the record is not complete in the window.
		if s.rerr != nil {
			s.fail = s.rerr
			return s.fail
		}
		s.fill()
	}
}

// begin skips a BOM because Excel and some AWS exports write one, and left
// in place it would corrupt the first header name.
func (s *Scanner) begin() {
	s.begun = true
	for s.end-s.start < len(utf8BOM) && s.rerr == nil {
		s.fill()
	}
	if bytes.HasPrefix(s.buf[s.start:s.end], utf8BOM) {
		s.start += len(utf8BOM)
		s.offset += int64(len(utf8BOM))
	}
}

// fill makes room and reads until the buffer is full. Reading to the brim
// (rather than once, like bufio) bounds re-parsing: a record that did not
// fit is retried only after the window has been shifted or doubled, so even
// a huge record is parsed O(log size) times instead of once per Read.
func (s *Scanner) fill() {
	if s.start > 0 {
		s.end = copy(s.buf, s.buf[s.start:s.end])
		s.start = 0
	}
	if s.end == len(s.buf) {
		if 2*len(s.buf) > maxRecordSize {
			s.rerr = &ParseError{Line: s.nextLine, Err: errRecordTooLong}
			return
		}
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for empty := 0; s.end < len(s.buf); {
		n, err := s.r.Read(s.buf[s.end:])
		if n < 0 || n > len(s.buf)-s.end {
			s.rerr = errors.New("delim: reader returned invalid count")
			return
		}
		s.end += n
		if err != nil {
			s.rerr = err
			return
		}
		if n == 0 {
			if empty++; empty >= maxEmptyReads {
				s.rerr = io.ErrNoProgress
				return
			}
		}
	}
}

type status int

const (
	stRecord status = iota
	stMore          // need more input; nothing but empty lines was consumed
	stEOF
	stError
)

// parse tries to take one record from the window. When the record is not
// complete it returns stMore without consuming it, and the caller re-parses
// from the record start after filling; keeping no cross-call state makes
// the boundary logic trivially correct, and fill's growth policy keeps the
// repeated work bounded.
func (s *Scanner) parse() status {
	atEOF := s.rerr == io.EOF
	var w []byte
	var lineEnd int // index of the '\n' ending the current line, or len(w) at EOF
	for {
		w = s.buf[s.start:s.end]
		lineEnd = bytes.IndexByte(w, '\n')
		if lineEnd < 0 {
			if !atEOF {
				return stMore
			}
			if len(w) == 0 {
				return stEOF
			}
			lineEnd = len(w)
		}
		// Empty lines are skipped like encoding/csv does, including a lone
		// '\r' at EOF, which encoding/csv drops.
		if lineEnd == 0 || (lineEnd == 1 && w[0] == '\r') {
			n := lineEnd
			if lineEnd < len(w) {
				n++
				s.nextLine++
			}
			s.start += n
			s.offset += int64(n)
			continue
		}
		break
	}

	sep, quoting := s.sep, s.quoting
	recLine := s.nextLine
	spans := s.spans[:0]
	scratch := s.scratch[:0]
	unescaped := false
	nls := 0 // newlines consumed by this record so far
	pos := 0
	end := 0 // index just past the record, set when it is complete

	for {
		if len(spans) == maxFields {
			return s.parseError(recLine, recLine, 0, errTooManyFields)
		}
		if !quoting || pos == len(w) || w[pos] != '"' {
			// Unquoted fields: a '"' later in one is literal (see package
			// doc). Bounding the search by lineEnd keeps it to one line.
			var last bool
			if spans, pos, last = unquotedFields(spans, w[:lineEnd], pos, sep, quoting); !last {
				continue // a quoted field starts at pos, or too many fields
			}
			to := lineEnd
			if to > pos && w[to-1] == '\r' {
				to--
			}
			spans = append(spans, span{int32(pos), int32(to)})
			end = lineEnd
			if lineEnd < len(w) {
				end++
				nls++
			}
			break
		}

		// Quoted field.
		col := len(spans) + 1
		openLine := recLine + nls
		pos++
		begin := pos
		unescape := false // only "" and \r\n force a copy; the rest aliases w
		for {
			q := bytes.IndexByte(w[pos:], '"')
			if q < 0 {
				if !atEOF {
					s.spans, s.scratch = spans[:0], scratch[:0]
					return stMore
				}
				last := openLine + bytes.Count(w[begin:], []byte{'\n'})
				if w[len(w)-1] == '\n' {
					// Report the line holding the last byte, as encoding/csv
					// does, not the empty line after it.
					last--
				}
				return s.parseError(recLine, last, col,
					fmt.Errorf("%w (opened on line %d)", errUnterminatedQuote, openLine))
			}
			// Newlines are only counted for chunks that reach past the known
			// line end, so single-line quoted fields never pay for Count.
			if lineEnd < pos+q {
				chunk := w[pos : pos+q]
				nls += bytes.Count(chunk, []byte{'\n'})
				if !unescape && bytes.Contains(chunk, crlf) {
					unescape = true
				}
				lineEnd = -1 // unknown until the field ends
			}
			pos += q + 1
			if pos == len(w) {
				if !atEOF {
					// The next byte may be a second quote.
					s.spans, s.scratch = spans[:0], scratch[:0]
					return stMore
				}
				break
			}
			if w[pos] == '"' {
				unescape = true
				pos++
				continue
			}
			break
		}

		sp := span{int32(begin), int32(pos - 1)}
		if unescape {
			n := len(scratch)
			scratch = unquote(scratch, w[begin:pos-1])
			sp = span{int32(-n - 1), int32(len(scratch))}
			unescaped = true
		}
		spans = append(spans, sp)

		if pos == len(w) { // closing quote at EOF
			end = pos
			break
		}
		switch c := w[pos]; {
		case c == sep:
			pos++
			if lineEnd < pos {
				i := bytes.IndexByte(w[pos:], '\n')
				switch {
				case i >= 0:
					lineEnd = pos + i
				case atEOF:
					lineEnd = len(w)
				default:
					s.spans, s.scratch = spans[:0], scratch[:0]
					return stMore
				}
			}
			continue
		case c == '\n':
			end = pos + 1
			nls++
		case c == '\r' && pos+1 < len(w) && w[pos+1] == '\n':
			end = pos + 2
			nls++
		case c == '\r' && pos+1 == len(w) && !atEOF:
			s.spans, s.scratch = spans[:0], scratch[:0]
			return stMore
		case c == '\r' && pos+1 == len(w):
			// encoding/csv drops a trailing '\r' before EOF.
			end = pos + 1
		default:
			return s.parseError(recLine, recLine+nls, col, errAfterQuote)
		}
		break
	}

	s.spans, s.scratch, s.unescape = spans, scratch, unescaped
	s.rec = w[:end]
	s.line = recLine
	s.start += end
	s.offset += int64(end)
	s.nextLine += nls
	return stRecord
}

// unquotedFields appends the spans of line's unquoted fields from pos, a
// field's start, until a field that opens with a quote (quoting) or the
// line's last field, whose start it returns with last true. It stops at
// maxFields spans too, for the caller to report.
//
// It looks at eight bytes at a time: a word's separators are found at once
// and taken one by one, which costs a CUR line of 40-odd short fields a
// third of a call to bytes.IndexByte per field.
func unquotedFields(spans []span, line []byte, pos int, sep byte, quoting bool) (_ []span, next int, last bool) {
	seps := uint64(sep) * lowBits
	i := pos
	for ; i+8 <= len(line); i += 8 {
		for m := zeroBytes(binary.LittleEndian.Uint64(line[i:]) ^ seps); m != 0; m &= m - 1 {
			j := i + bits.TrailingZeros64(m)>>3
			spans = append(spans, span{int32(pos), int32(j)})
			pos = j + 1
			if quoting && pos < len(line) && line[pos] == '"' || len(spans) == maxFields {
				return spans, pos, false
			}
		}
	}
	for ; i < len(line); i++ {
		if line[i] != sep {
			continue
		}
		spans = append(spans, span{int32(pos), int32(i)})
		pos = i + 1
		if quoting && pos < len(line) && line[pos] == '"' || len(spans) == maxFields {
			return spans, pos, false
		}
	}
	return spans, pos, true
}

const (
	lowBits  = 0x0101010101010101 // the low bit of every byte of a word
	highBits = 0x8080808080808080 // the high bit of every byte
)

// zeroBytes sets the high bit of each byte of the result whose byte in w
// is zero, and no other bit. Each byte is computed on its own (no carry
// crosses bytes), so every zero byte is found, not only the first.
func zeroBytes(w uint64) uint64 {
	return ^((w&^highBits + 0x7f*lowBits) | w) & highBits
}

func (s *Scanner) parseError(recLine, line, col int, err error) status {
	s.line = recLine
	s.fail = &ParseError{Line: line, Column: col, Err: err}
	return stError
}

// unquote appends raw (the inside of a quoted field, whose quotes are known
// to come in pairs) to dst with "" collapsed and \r\n turned into \n, the
// latter because encoding/csv normalises line endings inside quotes too.
// Byte-at-a-time is fine: only fields that need unescaping get here.
func unquote(dst, raw []byte) []byte {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '"':
			i++
		case c == '\r' && i+1 < len(raw) && raw[i+1] == '\n':
			continue
		}
		dst = append(dst, c)
	}
	return dst
}
