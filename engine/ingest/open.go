package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zip"

	"rebill/engine/delim"
	"rebill/engine/excerpt"
	"rebill/engine/parquetrows"
)

// table is one header-plus-rows source inside a file: a CSV, a Hive text
// file, a Parquet file or one CSV inside a zip.
type table struct {
	name        string // the file, or "archive.zip:inner.csv"
	header      []string
	headerWhere string // position of the header, for messages about columns
	part        string // the member of an archive, "" for the whole file
	next        func() ([][]byte, error)
	where       func() string // position of the row last returned, for messages
	// close, when set, stops the reading the table does ahead of next;
	// it must be called before the file is read by anyone else.
	close func()
	// readOnly, when set, tells the reader which columns the mapper reads
	// (read.ColumnReader), so that it may skip decoding the others.
	readOnly func(cols []int)
	parquet  bool
	sep      byte
}

// counter counts the bytes read from the file on disk, so progress works
// the same for compressed and plain files. The rows are scanned ahead on
// another goroutine than the one reporting progress, hence the atomic.
type counter struct {
	r io.Reader
	n atomic.Int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

var (
	gzipMagic    = []byte{0x1f, 0x8b}
	zipMagic     = []byte("PK\x03\x04")
	parquetMagic = []byte("PAR1")
)

// fileHash asks eachTable for the SHA-256 of the file it reads, and
// receives it.
type fileHash struct {
	want bool
	sum  string
	err  error
}

// eachTable opens path and calls fn for every table inside it, in order.
// read reports how many bytes of the file were consumed so far. With
// hash.want it also fills hash with the file's SHA-256 (when it returns
// nil): text and gzip files are hashed as they are read, Parquet and zip
// files, read out of order, by a second read beside the first.
func eachTable(path string, hash *fileHash, fn func(t *table, read func() int64) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}

	if st.Size() == 0 {
		return kindError(ErrDamaged, "the file is empty")
	}
	head := make([]byte, 4)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	parquet, zipped := bytes.HasPrefix(head, parquetMagic), bytes.HasPrefix(head, zipMagic)
	if (parquet || zipped) && hash.want {
		done := make(chan struct{})
		go func() {
			defer close(done)
			hash.sum, hash.err = hashFile(path)
		}()
		defer func() { <-done }()
	}
	switch {
	case parquet:
		pr, err := parquetrows.Open(f, st.Size())
		if err != nil {
			return kindError(ErrDamaged, "not a readable Parquet file: %v", err)
		}
		var rows int64
		total := pr.NumRows()
		t := &table{name: path, header: pr.Header(), headerWhere: "Parquet schema", where: pr.Where, parquet: true, readOnly: pr.ReadOnly}
		t.next = func() ([][]byte, error) {
			rows++
			return pr.Next()
		}
		return fn(t, func() int64 {
			if total == 0 {
				return st.Size()
			}
			return st.Size() * rows / total
		})
	case zipped:
		return eachZipTable(f, st.Size(), path, fn)
	default:
		hr := newHashingReader(f, hash.want)
		c := &counter{r: hr}
		r := io.Reader(c)
		if bytes.HasPrefix(head, gzipMagic) {
			gz, err := gzip.NewReader(c)
			if err != nil {
				return kindError(ErrDamaged, "not a readable gzip file: %v", err)
			}
			defer gz.Close()
			r = gz
		}
		t, err := textTable(path, r)
		if err != nil {
			return err
		}
		defer t.close()
		if err := fn(t, func() int64 { return c.n.Load() }); err != nil {
			return err
		}
		t.close() // Sum reads the rest of the file
		if hash.want {
			hash.sum, hash.err = hr.Sum()
		}
		return nil
	}
}

// eachZipTable reads every CSV inside a zip archive: AWS splits a large
// month into several CSV files.
func eachZipTable(f *os.File, size int64, path string, fn func(t *table, read func() int64) error) error {
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return kindError(ErrDamaged, "not a readable zip archive (is it truncated?): %v", err)
	}
	var done int64
	found := 0
	for _, zf := range zr.File {
		name := strings.ToLower(zf.Name)
		if zf.FileInfo().IsDir() || !(strings.HasSuffix(name, ".csv") || strings.HasSuffix(name, ".csv.gz") || strings.HasSuffix(name, ".txt")) {
			continue
		}
		found++
		member := excerpt.Name(zf.Name)
		if err := func() error {
			rc, err := zf.Open()
			if err != nil {
				// The archive's directory points somewhere the member is not.
				return &Error{File: path, Where: member, Err: kindError(ErrDamaged, "the archive is damaged (%v): download it again", err)}
			}
			defer rc.Close()
			c := &counter{r: rc}
			r := io.Reader(c)
			if strings.HasSuffix(name, ".gz") {
				gz, err := gzip.NewReader(c)
				if err != nil {
					return &Error{File: path, Where: member, Err: kindError(ErrDamaged, "not a readable gzip file: %v", err)}
				}
				defer gz.Close()
				r = gz
			}
			t, err := textTable(path+":"+zf.Name, r)
			if err != nil {
				var pe *Error
				if errors.As(err, &pe) {
					pe.Where = member + ", " + pe.Where
					return pe
				}
				return fmt.Errorf("%s: %w", member, err)
			}
			defer t.close()
			line := t.where
			t.where = func() string { return member + ", " + line() }
			t.headerWhere = member + ", " + t.headerWhere
			t.part = member
			inner := int64(zf.CompressedSize64)
			uncompressed := int64(zf.UncompressedSize64)
			return fn(t, func() int64 {
				if uncompressed == 0 {
					return done
				}
				return done + inner*c.n.Load()/uncompressed
			})
		}(); err != nil {
			return err
		}
		done += int64(zf.CompressedSize64)
	}
	if found == 0 {
		return kindError(ErrNotBilling, "the zip archive holds no CSV file")
	}
	return nil
}

// textTable reads the header of a delimited text file. A Ctrl-A in the
// first line marks Athena/Hive text, which has no quoting; else it is CSV.
func textTable(name string, r io.Reader) (*table, error) {
	// The scanner reads in large blocks of its own, which bufio passes
	// through; its buffer only needs to hold what is peeked at.
	const peekSize = 64 << 10
	br := bufio.NewReaderSize(r, peekSize)
	peek, err := br.Peek(peekSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, readError(err)
	}
	if len(bytes.TrimSpace(peek)) == 0 {
		return nil, kindError(ErrDamaged, "the file is empty")
	}
	if !isText(peek) {
		return nil, kindError(ErrNotBilling, "not a text, gzip, zip or Parquet file")
	}
	first := peek
	if i := bytes.IndexByte(peek, '\n'); i >= 0 {
		first = peek[:i]
	}
	sep, quoting := byte(','), true
	if bytes.IndexByte(first, '\x01') >= 0 {
		sep, quoting = '\x01', false
	}
	sc := delim.NewScanner(br, sep, quoting)
	fields, err := sc.Next()
	if err == io.EOF {
		return nil, kindError(ErrDamaged, "the file is empty")
	}
	if err != nil {
		if where, cause := locate(err, nil); where != "" {
			return nil, &Error{File: name, Where: where, Err: readError(cause)}
		}
		return nil, readError(err)
	}
	header := make([]string, len(fields))
	for i, f := range fields {
		header[i] = strings.TrimSpace(string(f))
	}
	headerWhere := fmt.Sprintf("line %d", sc.Line())
	// The rows are scanned on a goroutine of their own while the caller
	// maps the ones before: scanning is a third of an import's work.
	rows := delim.NewAhead(sc)
	where := func() string { return fmt.Sprintf("line %d", rows.Line()) }
	return &table{name: name, header: header, headerWhere: headerWhere, next: rows.Next, where: where, close: rows.Close, sep: sep}, nil
}

// isText rejects binary content early with a clear message instead of a
// confusing column error: a header line with a NUL byte, or NUL bytes
// everywhere (binary files, UTF-16 text). A NUL inside one field of a
// text file is left to the field's check, which names its line and
// column.
func isText(b []byte) bool {
	if len(b) > 4096 {
		b = b[:4096]
	}
	first := b
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		first = b[:i]
	}
	return bytes.IndexByte(first, 0) < 0 && bytes.Count(b, []byte{0}) <= len(b)/64
}

// Kinds of import failure, for faces that give advice: test with errors.Is.
var (
	// ErrNotBilling: the file is not a billing file Rebill reads.
	ErrNotBilling = errors.New("not a supported billing file")
	// ErrDamaged: the file is empty, truncated or corrupt.
	ErrDamaged = errors.New("damaged file")
)

// kindError is a message that errors.Is recognises as kind without
// printing it.
func kindError(kind error, format string, args ...any) error {
	return &kinded{kind: kind, msg: fmt.Sprintf(format, args...)}
}

type kinded struct {
	kind error
	msg  string
}

func (k *kinded) Error() string        { return k.msg }
func (k *kinded) Is(target error) bool { return target == k.kind }

// readError explains the errors a damaged download produces: a file cut
// short, or compressed data that does not decompress.
func readError(err error) error {
	var corrupt flate.CorruptInputError
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) ||
		errors.Is(err, zip.ErrChecksum) || errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrAlgorithm) || errors.As(err, &corrupt) {
		return kindError(ErrDamaged, "the file is truncated or damaged (%v): download it again", err)
	}
	return err
}
