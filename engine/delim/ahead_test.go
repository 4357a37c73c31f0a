package delim

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// scanAhead is scanAll through an Ahead: the records, their lines and
// the error (Ahead has no offsets).
func scanAhead(s *Scanner) (result, error) {
	a := NewAhead(s)
	defer a.Close()
	var res result
	for {
		rec, err := a.Next()
		if err == io.EOF {
			return res, nil
		}
		if err != nil {
			res.Err = err.Error()
			res.Lines = append(res.Lines, a.Line())
			return res, err
		}
		strs := make([]string, len(rec))
		for i, f := range rec {
			strs[i] = string(f)
		}
		res.Recs = append(res.Recs, strs)
		res.Lines = append(res.Lines, a.Line())
	}
}

// scanLines is scanAll without the offsets, with Line after an error
// appended, to compare with scanAhead.
func scanLines(s *Scanner) result {
	res, err := scanAll(s)
	res.Offs, res.End = nil, 0
	if err != nil {
		res.Lines = append(res.Lines, s.Line())
	}
	return res
}

// aheadInputs are the test cases, plus inputs long enough to fill many
// batches, with an error at their very end and with quoted fields that
// need unescaping (which are copied apart from their record).
func aheadInputs() map[string]tcase {
	in := map[string]tcase{}
	for _, c := range cases {
		in[c.name] = c
	}
	big := string(curData(3 << 20))
	in["many batches"] = tcase{in: big}
	in["many batches, then an open quote"] = tcase{in: big + "x,\"open\n"}
	var esc strings.Builder
	for i := range 10000 {
		esc.WriteString("a,\"say \"\"hi\"\"\",\"two\r\nlines\",")
		esc.WriteString(strings.Repeat("z", i%300))
		esc.WriteString("\n")
	}
	in["unescaped fields"] = tcase{in: esc.String()}
	in["hive text"] = tcase{in: strings.ReplaceAll(big, ",", "\x01"), sep: '\x01', noQuote: true}
	return in
}

func TestAheadMatchesScanner(t *testing.T) {
	for name, c := range aheadInputs() {
		t.Run(name, func(t *testing.T) {
			want := scanLines(c.scanner(strings.NewReader(c.in), defaultBufSize))
			for _, size := range []int{defaultBufSize, 7} {
				got, _ := scanAhead(c.scanner(strings.NewReader(c.in), size))
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("bufSize %d: %d records, error %q; the scanner gives %d records, error %q",
						size, len(got.Recs), got.Err, len(want.Recs), want.Err)
				}
			}
		})
	}
}

func TestAheadErrorIsSticky(t *testing.T) {
	a := NewAhead(NewScanner(strings.NewReader("a,b\n\"c\nd\",e\n\"f,g\n"), ',', true))
	defer a.Close()
	for range 2 {
		if _, err := a.Next(); err != nil {
			t.Fatal(err)
		}
	}
	if a.Line() != 2 {
		t.Errorf("line of the second record = %d, want 2", a.Line())
	}
	_, err := a.Next()
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 4 || pe.Column != 1 {
		t.Fatalf("error = %v, want the quote left open on line 4, column 1 (the line of the last byte)", err)
	}
	if a.Line() != 4 {
		t.Errorf("line after the error = %d, want 4 (where the record starts)", a.Line())
	}
	if _, err2 := a.Next(); err2 != err {
		t.Errorf("second Next = %v, want the same error", err2)
	}
}

// A caller that stops early closes the Ahead; the goroutine ends even
// though the input goes on, and the reader is not read after Close.
func TestAheadClose(t *testing.T) {
	r := &countingReader{r: bytes.NewReader(curData(8 << 20))}
	a := NewAhead(NewScanner(r, ',', true))
	if _, err := a.Next(); err != nil {
		t.Fatal(err)
	}
	a.Close()
	a.Close()
	n := r.n
	if n >= 8<<20 {
		t.Errorf("the whole input was read (%d bytes) for one record", n)
	}
	if _, err := a.Next(); err == nil {
		t.Error("Next after Close returned a record")
	}
	if r.n != n {
		t.Errorf("the reader was read after Close")
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}
