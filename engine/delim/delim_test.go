package delim

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
)

// result is everything observable from a full scan, so that different
// buffer sizes and readers can be compared wholesale.
type result struct {
	Recs  [][]string
	Lines []int
	Offs  []int64
	Err   string
	End   int64 // Offset after the final Next
}

func scanAll(s *Scanner) (result, error) {
	var res result
	for {
		rec, err := s.Next()
		if err == io.EOF {
			res.End = s.Offset()
			return res, nil
		}
		if err != nil {
			res.Err = err.Error()
			res.End = s.Offset()
			return res, err
		}
		strs := make([]string, len(rec))
		for i, f := range rec {
			strs[i] = string(f)
		}
		res.Recs = append(res.Recs, strs)
		res.Lines = append(res.Lines, s.Line())
		res.Offs = append(res.Offs, s.Offset())
	}
}

type tcase struct {
	name    string
	in      string
	sep     byte
	noQuote bool
	want    [][]string
	lines   []int
	// Error cases: records before the error, then this exact error.
	errLine, errCol int
	errMsg          string
}

var cases = []tcase{
	{name: "plain", in: "a,b,c\n1,2,3\n",
		want: [][]string{{"a", "b", "c"}, {"1", "2", "3"}}, lines: []int{1, 2}},
	{name: "single field", in: "abc\ndef\n",
		want: [][]string{{"abc"}, {"def"}}, lines: []int{1, 2}},
	{name: "spaces kept", in: " a , b \n",
		want: [][]string{{" a ", " b "}}, lines: []int{1}},
	{name: "quoted with commas", in: "\"a,b\",c,\"d,,e\"\n",
		want: [][]string{{"a,b", "c", "d,,e"}}, lines: []int{1}},
	{name: "quoted with newlines", in: "\"x\ny\",z\nnext,1\n",
		want: [][]string{{"x\ny", "z"}, {"next", "1"}}, lines: []int{1, 3}},
	{name: "escaped quotes", in: "\"he said \"\"hi\"\"\",\"\"\"\"\n",
		want: [][]string{{`he said "hi"`, `"`}}, lines: []int{1}},
	{name: "empty quoted", in: "\"\",\"\"\n\"\"\n",
		want: [][]string{{"", ""}, {""}}, lines: []int{1, 2}},
	{name: "CRLF", in: "a,b\r\nc,d\r\n",
		want: [][]string{{"a", "b"}, {"c", "d"}}, lines: []int{1, 2}},
	{name: "CRLF after quoted", in: "\"a\",\"b\"\r\nc,\"d\"\r\n",
		want: [][]string{{"a", "b"}, {"c", "d"}}, lines: []int{1, 2}},
	{name: "CRLF inside quoted", in: "\"a\r\nb\",c\r\n",
		want: [][]string{{"a\nb", "c"}}, lines: []int{1}},
	{name: "lone CR kept", in: "a\rb,\"c\rd\"\n",
		want: [][]string{{"a\rb", "c\rd"}}, lines: []int{1}},
	{name: "CR CR LF", in: "a\r\r\n\"b\r\r\n\"\n",
		want: [][]string{{"a\r"}, {"b\r\n"}}, lines: []int{1, 2}},
	{name: "BOM", in: "\xEF\xBB\xBFa,b\n1,2\n",
		want: [][]string{{"a", "b"}, {"1", "2"}}, lines: []int{1, 2}},
	{name: "BOM before quote", in: "\xEF\xBB\xBF\"a,b\",c\n",
		want: [][]string{{"a,b", "c"}}, lines: []int{1}},
	{name: "BOM only at start", in: "a\n\xEF\xBB\xBFb\n",
		want: [][]string{{"a"}, {"\xEF\xBB\xBFb"}}, lines: []int{1, 2}},
	{name: "BOM only", in: "\xEF\xBB\xBF"},
	{name: "no final newline", in: "a,b\nc,d",
		want: [][]string{{"a", "b"}, {"c", "d"}}, lines: []int{1, 2}},
	{name: "no final newline quoted", in: "a,\"b\nc\"",
		want: [][]string{{"a", "b\nc"}}, lines: []int{1}},
	{name: "trailing CR at EOF", in: "a,b\r",
		want: [][]string{{"a", "b"}}, lines: []int{1}},
	{name: "trailing CR at EOF after quote", in: "a,\"b\"\r",
		want: [][]string{{"a", "b"}}, lines: []int{1}},
	{name: "empty input", in: ""},
	{name: "only newlines", in: "\n\r\n\n\r"},
	{name: "empty lines", in: "\n\na,b\n\r\n\nc\n\n",
		want: [][]string{{"a", "b"}, {"c"}}, lines: []int{3, 6}},
	{name: "empty fields", in: "a,,b\n",
		want: [][]string{{"a", "", "b"}}, lines: []int{1}},
	{name: "trailing empty field", in: "a,b,\n",
		want: [][]string{{"a", "b", ""}}, lines: []int{1}},
	{name: "only separators", in: ",\n,,\r\n",
		want: [][]string{{"", ""}, {"", "", ""}}, lines: []int{1, 2}},
	{name: "trailing empty field after quote at EOF", in: "\"a\",",
		want: [][]string{{"a", ""}}, lines: []int{1}},
	{name: "stray quote in unquoted field", in: "a\"b,c\"\n5\" disk,x\n",
		want: [][]string{{"a\"b", "c\""}, {"5\" disk", "x"}}, lines: []int{1, 2}},
	{name: "ctrl-A hive", sep: 0x01, noQuote: true,
		in:    "a\x01\\N\x01x\"y\n\"q\x01r\"\x01\n\\N\x01,\r\n",
		want:  [][]string{{"a", `\N`, `x"y`}, {`"q`, `r"`, ""}, {`\N`, ","}},
		lines: []int{1, 2, 3}},
	{name: "ctrl-A unbalanced quote", sep: 0x01, noQuote: true,
		in:   "\"a\x01b\nc\x01\"\n",
		want: [][]string{{`"a`, "b"}, {"c", `"`}}, lines: []int{1, 2}},
	{name: "tab separated quoted", sep: '\t', in: "a\t\"b\tc\"\t,\n",
		want: [][]string{{"a", "b\tc", ","}}, lines: []int{1}},
	{name: "line across multi-line quoted fields",
		in:    "h1,h2\n\"l2\nl3\nl4\",x\n\n\"a\n\",\"b\r\nc\"\r\nlast,y",
		want:  [][]string{{"h1", "h2"}, {"l2\nl3\nl4", "x"}, {"a\n", "b\nc"}, {"last", "y"}},
		lines: []int{1, 2, 6, 9}},

	{name: "multi-line quoted then CRLF", in: "\"a\nb\"\r\nc\r\n",
		want: [][]string{{"a\nb"}, {"c"}}, lines: []int{1, 3}},
	{name: "multi-line quoted then last field at EOF", in: "\"a\nb\",c",
		want: [][]string{{"a\nb", "c"}}, lines: []int{1}},

	// Errors.
	{name: "unterminated at EOF", in: "a,b\nc,\"d\ne\nf",
		want: [][]string{{"a", "b"}}, lines: []int{1},
		errLine: 4, errCol: 2, errMsg: "line 4, column 2: unterminated quoted field (opened on line 2)"},
	{name: "unterminated with final newline", in: "\"abc\n",
		errLine: 1, errCol: 1, errMsg: "line 1, column 1: unterminated quoted field (opened on line 1)"},
	{name: "unterminated second field opened on later line", in: "x\n\"a\nb\",\"c\nd\n\n",
		want: [][]string{{"x"}}, lines: []int{1},
		errLine: 5, errCol: 2, errMsg: "line 5, column 2: unterminated quoted field (opened on line 3)"},
	{name: "unterminated after escaped quote", in: "\"a\"\"",
		errLine: 1, errCol: 1, errMsg: "line 1, column 1: unterminated quoted field (opened on line 1)"},
	{name: "character after closing quote", in: "\"a\"b,c\n",
		errLine: 1, errCol: 1, errMsg: "line 1, column 1: unexpected character after closing quote"},
	{name: "space after closing quote", in: "ok\nx,\"a\" ,c\n",
		want: [][]string{{"ok"}}, lines: []int{1},
		errLine: 2, errCol: 2, errMsg: "line 2, column 2: unexpected character after closing quote"},
	{name: "character after multi-line quote", in: "\"a\nb\nc\"x\n",
		errLine: 3, errCol: 1, errMsg: "line 3, column 1: unexpected character after closing quote"},
	{name: "CR after closing quote", in: "\"a\"\rb\n",
		errLine: 1, errCol: 1, errMsg: "line 1, column 1: unexpected character after closing quote"},
}

func (c tcase) scanner(r io.Reader, bufSize int) *Scanner {
	sep := c.sep
	if sep == 0 {
		sep = ','
	}
	return newScanner(r, sep, !c.noQuote, bufSize)
}

func TestScanner(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := c.scanner(strings.NewReader(c.in), defaultBufSize)
			res, err := scanAll(s)
			if !reflect.DeepEqual(res.Recs, c.want) {
				t.Errorf("records = %q, want %q", res.Recs, c.want)
			}
			if !reflect.DeepEqual(res.Lines, c.lines) {
				t.Errorf("lines = %v, want %v", res.Lines, c.lines)
			}
			if c.errMsg == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if res.End != int64(len(c.in)) {
					t.Errorf("Offset at EOF = %d, want %d", res.End, len(c.in))
				}
				return
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error = %v (%T), want *ParseError", err, err)
			}
			if pe.Line != c.errLine || pe.Column != c.errCol || pe.Error() != c.errMsg {
				t.Errorf("error = %+v %q, want line %d column %d %q", *pe, pe.Error(), c.errLine, c.errCol, c.errMsg)
			}
			// Errors are sticky: looping callers must not skip past them.
			if _, err2 := s.Next(); err2 != err {
				t.Errorf("second Next = %v, want the same error", err2)
			}
		})
	}
}

func TestErrorSentinels(t *testing.T) {
	_, err := scanAll(NewScanner(strings.NewReader(`"a`), ',', true))
	if !errors.Is(err, errUnterminatedQuote) {
		t.Errorf("%v does not wrap errUnterminatedQuote", err)
	}
	_, err = scanAll(NewScanner(strings.NewReader(`"a"b`), ',', true))
	if !errors.Is(err, errAfterQuote) {
		t.Errorf("%v does not wrap errAfterQuote", err)
	}
}

// Tiny buffers and dribbling readers put every record boundary, quote pair
// and CRLF across a refill, which is where a window-based scanner breaks.
func TestBufferBoundaries(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, _ := scanAll(c.scanner(strings.NewReader(c.in), defaultBufSize))
			for size := 1; size <= 9; size++ {
				got, _ := scanAll(c.scanner(strings.NewReader(c.in), size))
				if !reflect.DeepEqual(got, want) {
					t.Errorf("bufSize %d: %+v, want %+v", size, got, want)
				}
				got, _ = scanAll(c.scanner(iotest.HalfReader(iotest.OneByteReader(strings.NewReader(c.in))), size))
				if !reflect.DeepEqual(got, want) {
					t.Errorf("bufSize %d, one-byte reader: %+v, want %+v", size, got, want)
				}
			}
		})
	}
}

func TestLongRecords(t *testing.T) {
	const size = 3 << 20
	plain := strings.Repeat("x", size)
	// A quoted field with every feature that forces an unescaped copy,
	// spread across the whole buffer-crossing length.
	var qb strings.Builder
	var qwant strings.Builder
	for qb.Len() < size {
		qb.WriteString(`abc,def""gh` + "\r\n" + "ij\n")
		qwant.WriteString(`abc,def"gh` + "\n" + "ij\n")
	}
	// A quoted field that can alias the buffer (no escapes) but still spans it.
	simple := strings.Repeat("y,z\n", size/4)

	in := "h1,h2\n" +
		"a," + plain + "\n" +
		"\"" + qb.String() + "\",b\n" +
		"\"" + simple + "\"\r\n" +
		"end,1"
	want := [][]string{{"h1", "h2"}, {"a", plain}, {qwant.String(), "b"}, {simple}, {"end", "1"}}
	nq := strings.Count(qb.String(), "\n")
	ns := strings.Count(simple, "\n")
	lines := []int{1, 2, 3, 4 + nq, 5 + nq + ns}

	for _, r := range []struct {
		name string
		r    io.Reader
	}{
		{"bytes", strings.NewReader(in)},
		{"one byte halves", iotest.HalfReader(strings.NewReader(in))},
	} {
		t.Run(r.name, func(t *testing.T) {
			res, err := scanAll(NewScanner(r.r, ',', true))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Recs) != len(want) {
				t.Fatalf("got %d records, want %d", len(res.Recs), len(want))
			}
			for i := range want {
				if !reflect.DeepEqual(res.Recs[i], want[i]) {
					t.Errorf("record %d differs (lengths %d vs %d)", i, len(strings.Join(res.Recs[i], ",")), len(strings.Join(want[i], ",")))
				}
			}
			if !reflect.DeepEqual(res.Lines, lines) {
				t.Errorf("lines = %v, want %v", res.Lines, lines)
			}
			if res.End != int64(len(in)) {
				t.Errorf("Offset = %d, want %d", res.End, len(in))
			}
		})
	}
}

// errAfter returns data, then err, optionally in the same Read call, the way
// gzip reports a truncated member.
type errAfter struct {
	data     []byte
	err      error
	withData bool
}

func (r *errAfter) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	if len(r.data) == 0 && r.withData {
		return n, r.err
	}
	return n, nil
}

func TestReaderError(t *testing.T) {
	for _, withData := range []bool{false, true} {
		t.Run(fmt.Sprint("withData=", withData), func(t *testing.T) {
			s := NewScanner(&errAfter{data: []byte("a,b\n\"c\nd\",e\nf,"), err: io.ErrUnexpectedEOF, withData: withData}, ',', true)
			res, err := scanAll(s)
			want := [][]string{{"a", "b"}, {"c\nd", "e"}}
			if !reflect.DeepEqual(res.Recs, want) {
				t.Errorf("records = %q, want %q (the partial last record must be dropped)", res.Recs, want)
			}
			if err != io.ErrUnexpectedEOF {
				t.Errorf("err = %v, want io.ErrUnexpectedEOF as is", err)
			}
			if _, err2 := s.Next(); err2 != io.ErrUnexpectedEOF {
				t.Errorf("second Next = %v, want sticky io.ErrUnexpectedEOF", err2)
			}
			if s.Offset() != 12 {
				t.Errorf("Offset = %d, want 12", s.Offset())
			}
		})
	}
	t.Run("truncated gzip", func(t *testing.T) {
		var raw bytes.Buffer
		for i := range 20000 {
			fmt.Fprintf(&raw, "%d,\"row %d, quoted\",%x\n", i, i, i*7919)
		}
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(raw.Bytes())
		zw.Close()
		zr, err := gzip.NewReader(bytes.NewReader(gz.Bytes()[:gz.Len()/2]))
		if err != nil {
			t.Fatal(err)
		}
		res, err := scanAll(NewScanner(zr, ',', true))
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("err = %v, want io.ErrUnexpectedEOF", err)
		}
		if len(res.Recs) == 0 || len(res.Recs) >= 20000 {
			t.Errorf("got %d records before the error", len(res.Recs))
		}
		for i, r := range res.Recs {
			if len(r) != 3 || r[0] != fmt.Sprint(i) {
				t.Fatalf("record %d = %q", i, r)
			}
		}
	})
}

func TestNoProgressReader(t *testing.T) {
	_, err := scanAll(NewScanner(iotest.ErrReader(nil), ',', true))
	if err != io.ErrNoProgress {
		t.Errorf("err = %v, want io.ErrNoProgress", err)
	}
}

type badCount struct{}

func (badCount) Read(p []byte) (int, error) { return len(p) + 1, nil }

func TestInvalidReadCount(t *testing.T) {
	if _, err := scanAll(NewScanner(badCount{}, ',', true)); err == nil {
		t.Error("a reader claiming more bytes than it was given must fail the scan")
	}
}

func TestInvalidSeparatorPanics(t *testing.T) {
	for _, c := range []struct {
		sep     byte
		quoting bool
	}{{'\n', false}, {'\r', true}, {'"', true}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewScanner(%q, %v) did not panic", c.sep, c.quoting)
				}
			}()
			NewScanner(strings.NewReader(""), c.sep, c.quoting)
		}()
	}
	NewScanner(strings.NewReader(""), '"', false) // Hive may use any byte
}

// Fields handed out must not let an append by the caller overwrite the
// next field in the shared buffer.
func TestFieldsCapped(t *testing.T) {
	s := NewScanner(strings.NewReader("ab,cd,\"e\"\"f\",g\n"), ',', true)
	rec, err := s.Next()
	if err != nil {
		t.Fatal(err)
	}
	for i := range rec {
		_ = append(rec[i], '!')
	}
	got := fmt.Sprintf("%q", rec)
	if want := `["ab" "cd" "e\"f" "g"]`; got != want {
		t.Errorf("after appends: %s, want %s", got, want)
	}
}

func TestNoAllocsPerRecord(t *testing.T) {
	data := curData(2 << 20)
	s := NewScanner(bytes.NewReader(data), ',', true)
	if _, err := s.Next(); err != nil { // warm up fields/scratch capacity
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := s.Next(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%.2f allocations per record, want 0", allocs)
	}
}

// csvReference runs encoding/csv the way Scanner promises to match it.
// encoding/csv does not skip a BOM, so it gets the input without one.
func csvReference(data []byte) (result, bool) {
	in := bytes.TrimPrefix(data, utf8BOM)
	skipped := int64(len(data) - len(in))
	r := csv.NewReader(bytes.NewReader(in))
	r.FieldsPerRecord = -1
	var res result
	for {
		rec, err := r.Read()
		if err == io.EOF {
			res.End = r.InputOffset() + skipped
			return res, true
		}
		if err != nil {
			return res, false
		}
		line, _ := r.FieldPos(0)
		res.Recs = append(res.Recs, rec)
		res.Lines = append(res.Lines, line)
		res.Offs = append(res.Offs, r.InputOffset()+skipped)
	}
}

// splitReference is the whole of Hive text format, written the obvious way.
func splitReference(data []byte, sep byte) result {
	in := bytes.TrimPrefix(data, utf8BOM)
	var res result
	off := int64(len(data) - len(in))
	lines := bytes.Split(in, []byte{'\n'})
	for i, ln := range lines {
		off += int64(len(ln))
		if i < len(lines)-1 {
			off++
		}
		ln = bytes.TrimSuffix(ln, []byte{'\r'})
		if len(ln) == 0 {
			continue
		}
		var rec []string
		for _, f := range bytes.Split(ln, []byte{sep}) {
			rec = append(rec, string(f))
		}
		res.Recs = append(res.Recs, rec)
		res.Lines = append(res.Lines, i+1)
		res.Offs = append(res.Offs, off)
	}
	res.End = int64(len(data))
	return res
}

func FuzzScannerMatchesEncodingCSV(f *testing.F) {
	for _, c := range cases {
		f.Add([]byte(c.in))
	}
	f.Add([]byte("\"\"\"\r\n\"\",\r\r\n"))
	f.Add(curData(1 << 10))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := scanAll(NewScanner(bytes.NewReader(data), ',', true))

		// Reading ahead on another goroutine must not show through either.
		if ahead, _ := scanAhead(newScanner(bytes.NewReader(data), ',', true, 3)); !reflect.DeepEqual(ahead, scanLines(NewScanner(bytes.NewReader(data), ',', true))) {
			t.Fatalf("Ahead: %+v\nwant %+v", ahead, scanLines(NewScanner(bytes.NewReader(data), ',', true)))
		}

		// The window size and read pattern must never show through.
		for _, size := range []int{1, 3, 16} {
			alt, _ := scanAll(newScanner(iotest.HalfReader(bytes.NewReader(data)), ',', true, size))
			if !reflect.DeepEqual(alt, got) {
				t.Fatalf("bufSize %d: %+v\nwant %+v", size, alt, got)
			}
		}

		if want, ok := csvReference(data); ok {
			if err != nil {
				t.Fatalf("encoding/csv accepts the input but Scanner says %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Scanner: %+v\nencoding/csv: %+v", got, want)
			}
		}

		// quoting=false is plain splitting, so any difference is a bug.
		for _, sep := range []byte{',', '"'} {
			hive, err := scanAll(newScanner(bytes.NewReader(data), sep, false, 5))
			if err != nil {
				t.Fatalf("quoting=false failed: %v", err)
			}
			if want := splitReference(data, sep); !reflect.DeepEqual(hive, want) {
				t.Fatalf("quoting=false sep %q: %+v\nwant %+v", sep, hive, want)
			}
		}
	})
}

var curCache struct {
	sync.Mutex
	m map[int][]byte
}

// curData generates about size bytes of CSV shaped like an AWS Cost and
// Usage Report: ~40 columns, mostly short unquoted values, many empty
// columns, and some quoted descriptions and tags containing commas.
func curData(size int) []byte {
	curCache.Lock()
	defer curCache.Unlock()
	if d, ok := curCache.m[size]; ok {
		return d
	}
	rng := rand.New(rand.NewPCG(1, 2))
	products := []string{"AmazonEC2", "AmazonS3", "AmazonRDS", "AWSLambda", "AmazonCloudWatch", "AmazonDynamoDB"}
	usage := []string{"USE1-BoxUsage:t3.micro", "USE1-TimedStorage-ByteHrs", "USE1-Requests-Tier1", "USE1-DataTransfer-Out-Bytes", "USE1-Lambda-GB-Second"}
	ops := []string{"RunInstances", "PutObject", "GetObject", "CreateDBInstance", "Invoke", ""}
	types := []string{"Usage", "Usage", "Usage", "DiscountedUsage", "Tax", "SavingsPlanCoveredUsage"}
	descs := []string{
		"$0.0104 per On Demand Linux t3.micro Instance Hour",
		`"$0.023 per GB-Mo, first 50 TB / month of storage used"`,
		`"$0.005 per 1,000 PUT, COPY, POST, or LIST requests"`,
		"Tax for product code AmazonEC2",
		`"AWS Lambda - Compute Free Tier - 400,000 GB-Seconds - US East (Northern Virginia)"`,
	}
	tags := []string{"", "", "web", `"web, prod"`, "batch", `"team ""core"""`}
	const hdr = "identity/LineItemId,identity/TimeInterval,bill/InvoiceId,bill/BillingEntity,bill/BillType,bill/PayerAccountId,bill/BillingPeriodStartDate,bill/BillingPeriodEndDate,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/UsageEndDate,lineItem/ProductCode,lineItem/UsageType,lineItem/Operation,lineItem/AvailabilityZone,lineItem/ResourceId,lineItem/UsageAmount,lineItem/NormalizationFactor,lineItem/NormalizedUsageAmount,lineItem/CurrencyCode,lineItem/UnblendedRate,lineItem/UnblendedCost,lineItem/BlendedRate,lineItem/BlendedCost,lineItem/LineItemDescription,lineItem/TaxType,product/ProductName,product/region,product/instanceType,product/operatingSystem,pricing/term,pricing/unit,pricing/publicOnDemandCost,pricing/publicOnDemandRate,reservation/ReservationARN,savingsPlan/SavingsPlanARN,resourceTags/user:Name,resourceTags/user:team,costCategory/env\n"
	b := make([]byte, 0, size+4096)
	b = append(b, hdr...)
	const alnum = "abcdefghijklmnopqrstuvwxyz234567"
	for i := 0; len(b) < size; i++ {
		h := i % 24
		p := rng.IntN(len(products))
		for range 52 {
			b = append(b, alnum[rng.IntN(len(alnum))])
		}
		b = fmt.Appendf(b, ",2024-03-01T%02d:00:00Z/2024-03-01T%02d:00:00Z,,AWS,Anniversary,123456789012,2024-03-01T00:00:00Z,2024-04-01T00:00:00Z,%012d,%s,2024-03-01T%02d:00:00Z,2024-03-01T%02d:00:00Z,%s,%s,%s,",
			h, h+1, 100000000000+rng.IntN(1000), types[rng.IntN(len(types))], h, h+1,
			products[p], usage[rng.IntN(len(usage))], ops[rng.IntN(len(ops))])
		if rng.IntN(2) == 0 {
			b = append(b, "us-east-1a"...)
		}
		b = fmt.Appendf(b, ",arn:aws:ec2:us-east-1:123456789012:instance/i-%017x,%.10f,%g,%.10f,USD,%.10f,%.10f,%.10f,%.10f,%s,,Amazon Elastic Compute Cloud,us-east-1,t3.micro,Linux,OnDemand,Hrs,%.10f,%.10f,,,%s,%s,\n",
			rng.Uint64()>>4, rng.Float64()*10, 0.5, rng.Float64()*5, rng.Float64(), rng.Float64(), rng.Float64(), rng.Float64(),
			descs[rng.IntN(len(descs))], rng.Float64(), rng.Float64(),
			tags[rng.IntN(len(tags))], tags[rng.IntN(len(tags))])
	}
	if curCache.m == nil {
		curCache.m = map[int][]byte{}
	}
	curCache.m[size] = b
	return b
}

func TestCurDataShape(t *testing.T) {
	data := curData(1 << 20)
	want, ok := csvReference(data)
	if !ok {
		t.Fatal("generated data is not valid CSV")
	}
	got, err := scanAll(NewScanner(bytes.NewReader(data), ',', true))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatal("Scanner disagrees with encoding/csv on generated CUR data")
	}
	for i, r := range got.Recs {
		if len(r) != 40 {
			t.Fatalf("record %d has %d fields, want 40", i, len(r))
		}
	}
}

func BenchmarkScanner(b *testing.B) {
	data := curData(50 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var rows, fields int
	for b.Loop() {
		s := NewScanner(bytes.NewReader(data), ',', true)
		for {
			rec, err := s.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows++
			fields += len(rec)
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkEncodingCSV is the baseline Scanner replaces, for comparison.
func BenchmarkEncodingCSV(b *testing.B) {
	data := curData(50 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := csv.NewReader(bytes.NewReader(data))
		r.ReuseRecord = true
		for {
			_, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

func TestRecordTooLong(t *testing.T) {
	defer func(old int) { maxRecordSize = old }(maxRecordSize)
	maxRecordSize = 1 << 16
	in := "a,b\n" + `1,"` + strings.Repeat("x", 1<<17) + "\n"
	s := newScanner(strings.NewReader(in), ',', true, 1024)
	if _, err := s.Next(); err != nil {
		t.Fatal(err)
	}
	_, err := s.Next()
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 2 || !errors.Is(err, errRecordTooLong) {
		t.Fatalf("got %v", err)
	}
}

func TestTooManyFields(t *testing.T) {
	cases := []struct {
		name  string
		in    string
		quote bool
		fail  bool
	}{
		{"exactly the bound", strings.Repeat("a,", maxFields-1) + "a\n", true, false},
		{"one more, unquoted", strings.Repeat("a,", maxFields) + "a\n", true, true},
		{"one more, quoted", strings.Repeat(`"a",`, maxFields) + `"a"` + "\n", true, true},
		{"one more, Hive text", strings.Repeat("a\x01", maxFields) + "a\n", false, true},
		// Empty fields: eight separators to a word, up to the bound and
		// past it within one word.
		{"exactly the bound, empty", strings.Repeat(",", maxFields-1) + "\n", true, false},
		{"one more, empty", strings.Repeat(",", maxFields) + "\n", true, true},
		{"one more, empty Hive text", strings.Repeat("\x01", maxFields) + "\n", false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sep := byte(',')
			if !tc.quote {
				sep = '\x01'
			}
			s := NewScanner(strings.NewReader("h\n"+tc.in), sep, tc.quote)
			if _, err := s.Next(); err != nil {
				t.Fatal(err)
			}
			rec, err := s.Next()
			if !tc.fail {
				if err != nil || len(rec) != maxFields {
					t.Fatalf("%d fields, %v", len(rec), err)
				}
				return
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line != 2 || pe.Column != 0 || !errors.Is(err, errTooManyFields) {
				t.Fatalf("got %v", err)
			}
			if want := "line 2: the record has more than 65536 fields"; !strings.HasPrefix(err.Error(), want) {
				t.Fatalf("message %q", err)
			}
		})
	}
}

// TestLongLineMemory: a file that is one endless line stops at the record
// bound, having allocated about twice the bound, not the line.
func TestLongLineMemory(t *testing.T) {
	line := bytes.Repeat([]byte("x"), 3*maxRecordSize)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := NewScanner(bytes.NewReader(line), ',', true)
	_, err := s.Next()
	runtime.ReadMemStats(&after)
	if !errors.Is(err, errRecordTooLong) {
		t.Fatalf("got %v", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > uint64(2*maxRecordSize) {
		t.Fatalf("allocated %d MiB for a %d MiB bound", n>>20, maxRecordSize>>20)
	}
}

// TestSeparatorsAcrossWords checks the eight-bytes-at-a-time field split
// where it can go wrong: separators and quotes at every offset of a word,
// runs of separators, fields that straddle words, and lines shorter than
// a word, against encoding/csv and plain splitting.
func TestSeparatorsAcrossWords(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 8))
	const alphabet = "aaaaab,,,,\"\r\n"
	for n := range 4000 {
		data := make([]byte, rng.IntN(48))
		for i := range data {
			data[i] = alphabet[rng.IntN(len(alphabet))]
		}
		if n%2 == 0 { // mostly unquoted lines, where the words matter
			data = bytes.ReplaceAll(data, []byte{'"'}, []byte{'b'})
		}
		if want, ok := csvReference(data); ok {
			got, err := scanAll(NewScanner(bytes.NewReader(data), ',', true))
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: %+v (%v)\nencoding/csv: %+v", data, got, err, want)
			}
		}
		got, err := scanAll(newScanner(bytes.NewReader(data), ',', false, 5))
		if want := splitReference(data, ','); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("quoting=false %q: %+v (%v)\nwant %+v", data, got, err, want)
		}
	}
}

func TestZeroBytes(t *testing.T) {
	for _, w := range []uint64{0, 1, 0x0100, 0x0001000100010001, 0x8000000000000080, 0xffffffffffffffff, 0x0101010101010100, 0x7f00807f00ff0100} {
		var want uint64
		for i := range 8 {
			if byte(w>>(8*i)) == 0 {
				want |= 0x80 << (8 * i)
			}
		}
		if got := zeroBytes(w); got != want {
			t.Errorf("zeroBytes(%#016x) = %#016x, want %#016x", w, got, want)
		}
	}
}
