package delim

import (
	"errors"

	"rebill/engine/relay"
)

// errClosed is what Next returns after Close.
var errClosed = errors.New("delim: reading ahead was stopped")

// Ahead runs a Scanner on a goroutine of its own, a few thousand records
// ahead of the caller: an import parses the next records on one core
// while it maps the ones before on the other. It returns the same records,
// lines and errors, in the same order, as the Scanner would.
//
// Each record is copied out of the scanner's window in one piece (its
// fields alias the copy); its fields stay valid until the next call to
// Next, as with Scanner. Close must be called when the caller reads no
// more: only then is the scanner's reader free for someone else.
type Ahead struct {
	batches *relay.Relay[*aheadBatch] // batches scanned, in order

	cur    *aheadBatch // the batch records are taken from
	next   int         // its next record
	fields [][]byte    // the fields of the record last returned
	line   int         // the start line of the record last returned
	err    error       // sticky, once returned
}

// aheadBatch is records copied out of the window. Record i's bytes start
// at data[bases[i]], its fields are spans[ends[i-1]:ends[i]] (offsets from
// that base) and lines[i] is its start line. err ends the input after the
// batch's records, at errLine. Offsets rather than slices: they are
// copied without the write barriers and pointer scans of slices, and the
// caller makes the slices of one record at a time, in a few hot words.
type aheadBatch struct {
	data    []byte
	spans   []span
	bases   []int
	ends    []int
	lines   []int
	err     error
	errLine int
}

// A batch is handed over when it holds aheadRecords records or
// aheadBytes bytes: enough to make the hand-over rare, little enough that
// aheadBatches of them keep memory flat (about 1.4 MB each, their spans
// included, for billing lines of 600 bytes and 42 fields). Twice as many
// batches here and between mapping and storing did not make the import
// of the 5M-row sample's first million rows faster (16 pairs in turn:
// 1.01x the wall time), and its peak RSS grew from 79 to 110 MB.
const (
	aheadBatches = 4
	aheadRecords = 2048
	aheadBytes   = 1 << 20
)

// NewAhead starts reading s's records on a goroutine; s must not be used
// directly any more.
func NewAhead(s *Scanner) *Ahead {
	batches := make([]*aheadBatch, aheadBatches)
	for i := range batches {
		batches[i] = &aheadBatch{}
	}
	a := &Ahead{line: s.line} // before the goroutine moves s on
	a.batches = relay.Start(batches, func(b *aheadBatch) (*aheadBatch, bool, bool) {
		b.data, b.spans, b.bases, b.ends, b.lines, b.err = b.data[:0], b.spans[:0], b.bases[:0], b.ends[:0], b.lines[:0], nil
		for len(b.lines) < aheadRecords && len(b.data) < aheadBytes {
			if err := s.scan(); err != nil {
				b.err, b.errLine = err, s.line
				break
			}
			b.add(s)
		}
		// Errors are sticky: after one, the scanner has nothing more.
		return b, true, b.err == nil
	})
	return a
}

// add copies the scanner's last record into b: its bytes and its spans
// in one piece each, then, when a field was unescaped into the scanner's
// scratch, that field's bytes after the record's.
func (b *aheadBatch) add(s *Scanner) {
	base := len(b.data)
	b.data = append(b.data, s.rec...)
	first := len(b.spans)
	b.spans = append(b.spans, s.spans...)
	if s.unescape {
		for i, sp := range s.spans {
			if sp.from < 0 {
				from := len(b.data) - base
				b.data = append(b.data, s.field(sp)...)
				b.spans[first+i] = span{int32(from), int32(len(b.data) - base)}
			}
		}
	}
	b.bases = append(b.bases, base)
	b.ends = append(b.ends, len(b.spans))
	b.lines = append(b.lines, s.line)
}

// Next returns the next record's fields, valid until the next call, or
// the error the Scanner returned there (io.EOF at the end); errors are
// sticky.
func (a *Ahead) Next() ([][]byte, error) {
	for {
		if a.err != nil {
			return nil, a.err
		}
		if b := a.cur; b != nil {
			if i := a.next; i < len(b.lines) {
				a.next++
				a.line = b.lines[i]
				from := 0
				if i > 0 {
					from = b.ends[i-1]
				}
				rec := b.data[b.bases[i]:]
				fields := a.fields[:0]
				for _, sp := range b.spans[from:b.ends[i]] {
					fields = append(fields, rec[sp.from:sp.to:sp.to])
				}
				a.fields = fields
				return fields, nil
			}
			if b.err != nil {
				a.err, a.line = b.err, b.errLine
				continue
			}
			a.batches.Free(b)
			a.cur = nil
		}
		b, ok := a.batches.Next()
		if !ok {
			// Only Close ends the batches before a batch with an error.
			a.err = errClosed
			continue
		}
		a.cur, a.next = b, 0
	}
}

// Line is the 1-based line where the record last returned by Next starts,
// or, after an error, Scanner.Line's at that error.
func (a *Ahead) Line() int { return a.line }

// Close stops the goroutine and waits for it to end; Next returns an
// error after. It may be called more than once.
func (a *Ahead) Close() {
	a.batches.Close()
	if a.err == nil {
		a.err = errClosed
	}
}
