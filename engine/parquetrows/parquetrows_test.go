package parquetrows

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// readAll reads a whole file through the package, copying each record since
// fields are only valid until the next call.
func readAll(t testing.TB, data []byte) (*Reader, [][]string) {
	t.Helper()
	r, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	var rows [][]string
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("Next after %s: %v", r.Where(), err)
		}
		if len(rec) != len(r.Header()) {
			t.Fatalf("%s: %d fields, header has %d", r.Where(), len(rec), len(r.Header()))
		}
		row := make([]string, len(rec))
		for i, f := range rec {
			row[i] = string(f)
		}
		rows = append(rows, row)
	}
	// EOF is sticky.
	if _, err := r.Next(); !errors.Is(err, io.EOF) {
		t.Fatalf("second Next after EOF: %v, want io.EOF", err)
	}
	return r, rows
}

// checkRows compares every field of every row, by header name.
func checkRows(t *testing.T, header []string, got [][]string, want []map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d", len(got), len(want))
	}
	for i := range want {
		if len(want[i]) != len(header) {
			t.Fatalf("test bug: row %d of want has %d fields, header %d", i+1, len(want[i]), len(header))
		}
		for j, name := range header {
			w, ok := want[i][name]
			if !ok {
				t.Fatalf("test bug: row %d of want lacks %q", i+1, name)
			}
			if got[i][j] != w {
				t.Errorf("row %d, %s: got %q, want %q", i+1, name, got[i][j], w)
			}
		}
	}
}

func int96Of(t time.Time) deprecated.Int96 {
	t = t.UTC()
	day := t.Unix()/86400 + julianUnixEpoch
	nanos := uint64(t.UnixNano() - (t.Unix()/86400)*86400*1e9)
	return deprecated.Int96{uint32(nanos), uint32(nanos >> 32), uint32(day)}
}

// fixed16 is the 16-byte big-endian two's complement of x, as a
// FIXED_LEN_BYTE_ARRAY DECIMAL stores its unscaled value.
func fixed16(x *big.Int) (b [16]byte) {
	v := new(big.Int).Set(x)
	if v.Sign() < 0 {
		v.Add(v, new(big.Int).Lsh(big.NewInt(1), 128))
	}
	v.FillBytes(b[:])
	return b
}

func bigOf(s string) *big.Int {
	z, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic(s)
	}
	return z
}

func ptr[T any](v T) *T { return &v }

// flatRow covers the flat types; Go struct tags make the writer produce
// the logical types.
type flatRow struct {
	ID      string           `parquet:"id"`
	Account string           `parquet:"account"`
	Note    *string          `parquet:"note,optional"`
	Cost    float64          `parquet:"cost"`
	OptCost *float64         `parquet:"opt_cost,optional"`
	Ratio   float32          `parquet:"ratio"`
	Qty     int64            `parquet:"qty"`
	Small   int32            `parquet:"small"`
	OptQty  *int64           `parquet:"opt_qty,optional"`
	Flag    bool             `parquet:"flag"`
	OptFlag *bool            `parquet:"opt_flag,optional"`
	Ms      int64            `parquet:"ts_ms,timestamp(millisecond)"`
	Us      int64            `parquet:"ts_us,timestamp(microsecond)"`
	Ns      int64            `parquet:"ts_ns,timestamp(nanosecond)"`
	Local   int64            `parquet:"ts_local,timestamp(microsecond:local)"`
	OptMs   *int64           `parquet:"opt_ms,optional,timestamp(millisecond)"`
	Day     int32            `parquet:"day,date"`
	Dec     int64            `parquet:"dec,decimal(4:18)"`
	Dec32   int32            `parquet:"dec32,decimal(2:9)"`
	DecFix  [16]byte         `parquet:"dec_fix,decimal(6:38)"`
	Old     deprecated.Int96 `parquet:"old"`
	Raw     []byte           `parquet:"raw"`
	U32     uint32           `parquet:"u32"`
}

func writeFlat(t *testing.T, opts []parquet.WriterOption, groups ...[]flatRow) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[flatRow](&buf, opts...)
	for _, g := range groups {
		if _, err := w.Write(g); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// Keep a copy on disk too, as a real caller would read it.
	path := filepath.Join(t.TempDir(), "flat.parquet")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestFlatTypes(t *testing.T) {
	oct1 := time.Date(2018, 10, 1, 0, 0, 0, 0, time.UTC)
	g1 := []flatRow{
		{
			ID: "a", Account: "011254002932", Note: ptr("hello, \"world\""),
			Cost: 0.1, OptCost: ptr(1.4724e-06), Ratio: 0.1,
			Qty: 1234567890123, Small: -7, OptQty: ptr(int64(0)),
			Flag: true, OptFlag: ptr(false),
			Ms: oct1.UnixMilli(), Us: oct1.UnixMicro() + 1, Ns: oct1.UnixNano() + 10,
			Local: oct1.UnixMicro(), OptMs: ptr(oct1.UnixMilli() + 123),
			Day: 17805, Dec: 12345678, Dec32: 150, DecFix: fixed16(big.NewInt(-123456789)),
			Old: int96Of(oct1), Raw: []byte{'x', 0, 'y'}, U32: 4000000000,
		},
		{
			ID: "b", Account: "836060457634",
			Cost: -5e-06, Ratio: 1.4724e-06,
			Qty: -1, Small: 2147483647,
			Ms: -1, Us: 0, Ns: 0, Local: -1,
			Day: 0, Dec: -5, Dec32: -1, DecFix: fixed16(bigOf("1000000000000000000000000000001")),
			Old: int96Of(time.Date(2018, 10, 1, 12, 34, 56, 789000000, time.UTC)),
		},
	}
	g2 := []flatRow{
		{
			ID: "c", Account: "000000000001", Note: ptr(""),
			Cost: 38.688, OptCost: ptr(0.0), Ratio: -2.5,
			Qty: 5952, Small: 0,
			Ms:  time.Date(2018, 10, 31, 23, 59, 59, 0, time.UTC).UnixMilli(),
			Us:  time.Date(2018, 10, 31, 23, 59, 59, 500000000, time.UTC).UnixMicro(),
			Day: -1, Dec: 0, Dec32: 7, DecFix: fixed16(big.NewInt(5)),
			Old: int96Of(time.Date(1999, 12, 31, 23, 59, 59, 1, time.UTC)),
		},
	}
	g3 := []flatRow{
		{
			ID: "d", Account: "ünïcode ✓", Cost: 2678400, Ratio: 3e38, Qty: 1, Small: 1,
			Ms: oct1.UnixMilli(), Us: oct1.UnixMicro(), Ns: oct1.UnixNano(), Local: oct1.UnixMicro(),
			Day: 17836, Dec: 10000, Dec32: 100, DecFix: fixed16(big.NewInt(0)),
			Old: int96Of(oct1),
		},
	}
	// The same rows through both readers: the writer's default encodings
	// include DELTA_LENGTH_BYTE_ARRAY, which goes to the library's row
	// reader; PLAIN and dictionary encodings go to the streaming one.
	for _, v := range []struct {
		name       string
		opts       []parquet.WriterOption
		wantStream bool
	}{
		{"default encodings", nil, false},
		{"plain", []parquet.WriterOption{parquet.DefaultEncoding(&parquet.Plain)}, true},
		{"dictionary", []parquet.WriterOption{parquet.DefaultEncoding(&parquet.RLEDictionary), parquet.DataPageVersion(1)}, true},
	} {
		t.Run(v.name, func(t *testing.T) {
			testFlatTypes(t, writeFlat(t, v.opts, g1, g2, g3), v.wantStream)
		})
	}
}

func testFlatTypes(t *testing.T, data []byte, wantStream bool) {
	r, rows := readAll(t, data)
	if r.stream != wantStream {
		_, why := streamable(r.md, r.flat)
		t.Fatalf("streaming reader used: %v, want %v (%s)", r.stream, wantStream, why)
	}
	wantHeader := []string{"id", "account", "note", "cost", "opt_cost", "ratio", "qty", "small", "opt_qty",
		"flag", "opt_flag", "ts_ms", "ts_us", "ts_ns", "ts_local", "opt_ms", "day", "dec", "dec32", "dec_fix",
		"old", "raw", "u32"}
	if !reflect.DeepEqual(r.Header(), wantHeader) {
		t.Fatalf("header:\n got %q\nwant %q", r.Header(), wantHeader)
	}
	if r.NumRows() != 4 {
		t.Errorf("NumRows = %d, want 4", r.NumRows())
	}
	if len(r.groups) != 3 {
		t.Fatalf("test bug: wrote %d row groups, want 3", len(r.groups))
	}
	if got, want := r.Where(), "row group 3, row 1 (file row 4)"; got != want {
		t.Errorf("Where after the last row = %q, want %q", got, want)
	}
	checkRows(t, r.Header(), rows, []map[string]string{
		{
			"id": "a", "account": "011254002932", "note": `hello, "world"`,
			"cost": "0.1", "opt_cost": "1.4724e-06", "ratio": "0.1",
			"qty": "1234567890123", "small": "-7", "opt_qty": "0",
			"flag": "true", "opt_flag": "false",
			"ts_ms": "2018-10-01T00:00:00Z", "ts_us": "2018-10-01T00:00:00.000001Z",
			"ts_ns": "2018-10-01T00:00:00.00000001Z", "ts_local": "2018-10-01T00:00:00Z",
			"opt_ms": "2018-10-01T00:00:00.123Z",
			"day":    "2018-10-01", "dec": "1234.5678", "dec32": "1.50", "dec_fix": "-123.456789",
			"old": "2018-10-01T00:00:00Z", "raw": "x\x00y", "u32": "4000000000",
		},
		{
			"id": "b", "account": "836060457634", "note": "",
			"cost": "-5e-06", "opt_cost": "", "ratio": "1.4724e-06",
			"qty": "-1", "small": "2147483647", "opt_qty": "",
			"flag": "false", "opt_flag": "",
			"ts_ms": "1969-12-31T23:59:59.999Z", "ts_us": "1970-01-01T00:00:00Z",
			"ts_ns": "1970-01-01T00:00:00Z", "ts_local": "1969-12-31T23:59:59.999999Z",
			"opt_ms": "",
			"day":    "1970-01-01", "dec": "-0.0005", "dec32": "-0.01",
			"dec_fix": "1000000000000000000000000.000001",
			"old":     "2018-10-01T12:34:56.789Z", "raw": "", "u32": "0",
		},
		{
			"id": "c", "account": "000000000001", "note": "",
			"cost": "38.688", "opt_cost": "0", "ratio": "-2.5",
			"qty": "5952", "small": "0", "opt_qty": "",
			"flag": "false", "opt_flag": "",
			"ts_ms": "2018-10-31T23:59:59Z", "ts_us": "2018-10-31T23:59:59.5Z",
			"ts_ns": "1970-01-01T00:00:00Z", "ts_local": "1970-01-01T00:00:00Z",
			"opt_ms": "",
			"day":    "1969-12-31", "dec": "0.0000", "dec32": "0.07", "dec_fix": "0.000005",
			"old": "1999-12-31T23:59:59.000000001Z", "raw": "", "u32": "0",
		},
		{
			"id": "d", "account": "ünïcode ✓", "note": "",
			"cost": "2.6784e+06", "opt_cost": "", "ratio": "3e+38",
			"qty": "1", "small": "1", "opt_qty": "",
			"flag": "false", "opt_flag": "",
			"ts_ms": "2018-10-01T00:00:00Z", "ts_us": "2018-10-01T00:00:00Z",
			"ts_ns": "2018-10-01T00:00:00Z", "ts_local": "2018-10-01T00:00:00Z",
			"opt_ms": "",
			"day":    "2018-11-01", "dec": "1.0000", "dec32": "1.00", "dec_fix": "0.000000",
			"old": "2018-10-01T00:00:00Z", "raw": "", "u32": "0",
		},
	})

	// The schema is what the test means it to be: guard against the
	// writer's tags changing meaning under us.
	types := map[string]string{}
	for _, n := range r.tops {
		types[n.name] = n.describe()
	}
	for name, want := range map[string]string{
		"note": "optional BYTE_ARRAY", "opt_cost": "optional DOUBLE", "ratio": "FLOAT",
		"ts_ms": "INT64/TIMESTAMP(1ms)", "ts_us": "INT64/TIMESTAMP(1µs)", "ts_ns": "INT64/TIMESTAMP(1ns)",
		"day": "INT32/DATE", "dec": "INT64/DECIMAL(scale=4)", "dec32": "INT32/DECIMAL(scale=2)",
		"dec_fix": "FIXED_LEN_BYTE_ARRAY/DECIMAL(scale=6)", "old": "INT96", "u32": "INT32/UINT",
	} {
		if types[name] != want {
			t.Errorf("column %s is %q, want %q", name, types[name], want)
		}
	}
}

// Column indexes of the nested schema below. parquet.Group sorts its fields
// by name, so the leaves come in this order.
const (
	colDiscKey = iota
	colDiscVal
	colID
	colItemName
	colItemQty
	colNums
	colTagKey
	colTagVal
	colStA
	colStB
	numNestedCols
)

func nestedSchema() *parquet.Schema {
	return parquet.NewSchema("cur", parquet.Group{
		"id":            parquet.String(),
		"resource_tags": parquet.Optional(parquet.Map(parquet.String(), parquet.String())),
		"discount":      parquet.Map(parquet.String(), parquet.Optional(parquet.Leaf(parquet.DoubleType))),
		"nums":          parquet.Optional(parquet.List(parquet.Optional(parquet.Int(64)))),
		"items": parquet.List(parquet.Group{
			"name": parquet.String(),
			"qty":  parquet.Optional(parquet.Int(32)),
		}),
		"st": parquet.Optional(parquet.Group{
			"a": parquet.String(),
			"b": parquet.Optional(parquet.Leaf(parquet.DoubleType)),
		}),
	})
}

// lv is one leaf value with its levels; nil means a null.
type lv struct {
	rep, def int
	v        any
}

// nestedRow builds a row from each column's leveled values, in column order.
func nestedRow(cols [numNestedCols][]lv) parquet.Row {
	var row parquet.Row
	for c, vs := range cols {
		for _, x := range vs {
			v := parquet.NullValue()
			if x.v != nil {
				v = parquet.ValueOf(x.v)
			}
			row = append(row, v.Level(x.rep, x.def, c))
		}
	}
	return row
}

func TestNested(t *testing.T) {
	schema := nestedSchema()
	wantCols := [][]string{
		{"discount", "key_value", "key"}, {"discount", "key_value", "value"},
		{"id"},
		{"items", "list", "element", "name"}, {"items", "list", "element", "qty"},
		{"nums", "list", "element"},
		{"resource_tags", "key_value", "key"}, {"resource_tags", "key_value", "value"},
		{"st", "a"}, {"st", "b"},
	}
	if !reflect.DeepEqual(schema.Columns(), wantCols) {
		t.Fatalf("test bug: schema columns %q", schema.Columns())
	}

	// Levels (max def / max rep), from the schema:
	//   discount (required map) key_value d1 r1, key d1, value d2
	//   items (required list) list d1 r1, element (required group) d1, name d1, qty d2
	//   nums (optional list) d1, list d2 r1, element d3
	//   resource_tags (optional map) d1, key_value d2 r1, key d2, value d2
	//   st (optional group) d1, a d1, b d2
	rows := []parquet.Row{
		// 1: null map, empty map, null list, empty list, null struct.
		nestedRow([numNestedCols][]lv{
			colDiscKey: {{0, 0, nil}}, colDiscVal: {{0, 0, nil}},
			colID:       {{0, 0, "r1"}},
			colItemName: {{0, 0, nil}}, colItemQty: {{0, 0, nil}},
			colNums:   {{0, 0, nil}},
			colTagKey: {{0, 0, nil}}, colTagVal: {{0, 0, nil}},
			colStA: {{0, 0, nil}}, colStB: {{0, 0, nil}},
		}),
		// 2: one entry, a list with a null inside, a struct with a null field.
		nestedRow([numNestedCols][]lv{
			colDiscKey: {{0, 1, "total"}}, colDiscVal: {{0, 2, -5e-06}},
			colID:       {{0, 0, "r2"}},
			colItemName: {{0, 1, "disk"}}, colItemQty: {{0, 1, nil}},
			colNums:   {{0, 3, int64(1)}, {1, 2, nil}, {1, 3, int64(-3)}},
			colTagKey: {{0, 1, nil}}, colTagVal: {{0, 1, nil}},
			colStA: {{0, 1, "x"}}, colStB: {{0, 1, nil}},
		}),
		// 3: two entries each, in file order (not sorted), JSON escapes.
		nestedRow([numNestedCols][]lv{
			colDiscKey: {{0, 1, "bundled"}, {1, 1, "total"}}, colDiscVal: {{0, 1, nil}, {1, 2, 0.1}},
			colID:       {{0, 0, "r3"}},
			colItemName: {{0, 1, "cpu"}, {1, 1, `q"\`}}, colItemQty: {{0, 2, int32(2)}, {1, 2, int32(0)}},
			colNums:   {{0, 1, nil}},
			colTagKey: {{0, 2, "user_name"}, {1, 2, "user_env"}}, colTagVal: {{0, 2, "web"}, {1, 2, "prod\n\"x\"\t\x01"}},
			colStA: {{0, 1, "q\"\n"}}, colStB: {{0, 2, 1.4724e-06}},
		}),
		// 4: one tag.
		nestedRow([numNestedCols][]lv{
			colDiscKey: {{0, 1, "k"}}, colDiscVal: {{0, 2, 1e21}},
			colID:       {{0, 0, "r4"}},
			colItemName: {{0, 0, nil}}, colItemQty: {{0, 0, nil}},
			colNums:   {{0, 2, nil}}, // a list of one null
			colTagKey: {{0, 2, "user_name"}}, colTagVal: {{0, 2, ""}},
			colStA: {{0, 1, ""}}, colStB: {{0, 2, math.Copysign(0, -1)}},
		}),
	}
	var buf bytes.Buffer
	w := parquet.NewWriter(&buf, schema)
	// Two row groups, to cross a group boundary with nested data.
	for _, part := range [][]parquet.Row{rows[:3], rows[3:]} {
		if _, err := w.WriteRows(part); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	r, got := readAll(t, buf.Bytes())
	if want := []string{"discount", "id", "items", "nums", "resource_tags", "st"}; !reflect.DeepEqual(r.Header(), want) {
		t.Fatalf("header %q, want %q", r.Header(), want)
	}
	want := []map[string]string{
		{"id": "r1", "resource_tags": "", "discount": "", "nums": "", "items": "", "st": ""},
		{
			"id": "r2", "resource_tags": "", "discount": `{"total":-5e-06}`, "nums": `[1,null,-3]`,
			"items": `[{"name":"disk","qty":null}]`, "st": `{"a":"x","b":null}`,
		},
		{
			"id": "r3", "resource_tags": `{"user_name":"web","user_env":"prod\n\"x\"\t\u0001"}`,
			"discount": `{"bundled":null,"total":0.1}`, "nums": "",
			"items": `[{"name":"cpu","qty":2},{"name":"q\"\\","qty":0}]`, "st": `{"a":"q\"\n","b":1.4724e-06}`,
		},
		{
			"id": "r4", "resource_tags": `{"user_name":""}`, "discount": `{"k":1e+21}`, "nums": "[null]",
			"items": "", "st": `{"a":"","b":-0}`,
		},
	}
	checkRows(t, r.Header(), got, want)
	for i, row := range got {
		for j, f := range row {
			if j != 1 && f != "" && !json.Valid([]byte(f)) {
				t.Errorf("row %d, %s: not valid JSON: %s", i+1, r.Header()[j], f)
			}
		}
	}

	// Independent check of the map column: the library's own reader into
	// a Go map (order-free) must agree with our JSON.
	type tagsOnly struct {
		ID           string            `parquet:"id"`
		ResourceTags map[string]string `parquet:"resource_tags,optional"`
	}
	gr := parquet.NewGenericReader[tagsOnly](bytes.NewReader(buf.Bytes()))
	defer gr.Close()
	lib := make([]tagsOnly, 4)
	if n, err := gr.Read(lib); n != 4 && err != nil {
		t.Fatalf("GenericReader: %d rows, %v", n, err)
	}
	for i, l := range lib {
		var ours map[string]string
		if s := got[i][4]; s != "" {
			if err := json.Unmarshal([]byte(s), &ours); err != nil {
				t.Fatal(err)
			}
		}
		if len(ours) != len(l.ResourceTags) || (len(ours) > 0 && !reflect.DeepEqual(ours, l.ResourceTags)) {
			t.Errorf("row %d: resource_tags ours %v, library %v", i+1, ours, l.ResourceTags)
		}
	}
}

// TestMapFromGoStruct writes maps the ordinary way (a Go map field), so the
// levels come from the library's writer rather than from this test.
func TestMapFromGoStruct(t *testing.T) {
	type row struct {
		ID   string             `parquet:"id"`
		Tags map[string]string  `parquet:"resource_tags"`
		Disc map[string]float64 `parquet:"discount"`
	}
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[row](&buf)
	in := []row{
		{ID: "0"},
		{ID: "1", Tags: map[string]string{"user_name": "web"}, Disc: map[string]float64{"total": 0.1}},
		{ID: "2", Tags: map[string]string{"user_name": "web", "user_env": "prod"}, Disc: map[string]float64{"a": -5e-06, "b": 1.4724e-06}},
	}
	if _, err := w.Write(in); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, got := readAll(t, buf.Bytes())
	if want := []string{"id", "resource_tags", "discount"}; !reflect.DeepEqual(r.Header(), want) {
		t.Fatalf("header %q", r.Header())
	}
	if got[0][1] != "" || got[0][2] != "" {
		t.Errorf("empty maps: got %q %q, want empty fields", got[0][1], got[0][2])
	}
	if got[1][1] != `{"user_name":"web"}` || got[1][2] != `{"total":0.1}` {
		t.Errorf("one entry: got %q %q", got[1][1], got[1][2])
	}
	// A Go map has no order, so the file order of two entries is whatever
	// the writer chose: accept either.
	if s := got[2][1]; s != `{"user_name":"web","user_env":"prod"}` && s != `{"user_env":"prod","user_name":"web"}` {
		t.Errorf("two tags: got %q", s)
	}
	if s := got[2][2]; s != `{"a":-5e-06,"b":1.4724e-06}` && s != `{"b":1.4724e-06,"a":-5e-06}` {
		t.Errorf("two discounts: got %q", s)
	}
}

func TestManyRowGroupsAndBatches(t *testing.T) {
	// More rows than a batch in some groups, fewer in others, and an empty
	// flush in between, so batch and group boundaries fall everywhere.
	type row struct {
		N    int64    `parquet:"n"`
		Cost *float64 `parquet:"cost,optional"`
	}
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[row](&buf, parquet.PageBufferSize(512))
	sizes := []int{1, batchSize - 1, batchSize, batchSize + 1, 3000, 7}
	total := 0
	for _, size := range sizes {
		rows := make([]row, size)
		for i := range rows {
			rows[i].N = int64(total + i)
			if (total+i)%3 != 0 {
				rows[i].Cost = ptr(float64(total+i) / 10)
			}
		}
		if _, err := w.Write(rows); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		total += size
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	r, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if r.NumRows() != int64(total) {
		t.Fatalf("NumRows %d, want %d", r.NumRows(), total)
	}
	if len(r.groups) != len(sizes) {
		t.Fatalf("%d row groups, want %d", len(r.groups), len(sizes))
	}
	group, inGroup := 0, 0
	for i := 0; ; i++ {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			if i != total {
				t.Fatalf("EOF after %d rows, want %d", i, total)
			}
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for inGroup == sizes[group] {
			group, inGroup = group+1, 0
		}
		inGroup++
		wantWhere := "row group " + itoa(group+1) + ", row " + itoa(inGroup) + " (file row " + itoa(i+1) + ")"
		if r.Where() != wantWhere {
			t.Fatalf("Where = %q, want %q", r.Where(), wantWhere)
		}
		wantCost := ""
		if i%3 != 0 {
			wantCost = string(appendFloat(float64(i) / 10))
		}
		if string(rec[0]) != itoa(i) || string(rec[1]) != wantCost {
			t.Fatalf("row %d: got %q %q, want %q %q", i+1, rec[0], rec[1], itoa(i), wantCost)
		}
	}
}

func itoa(i int) string { return string(appendFloat(float64(i))) }

func appendFloat(f float64) []byte {
	b, _ := appendText(nil, &node{leaf: kindDouble}, parquet.ValueOf(f))
	return b
}

func TestDecimalText(t *testing.T) {
	for _, c := range []struct {
		scale int
		raw   []byte
		want  string
	}{
		{0, []byte{0x7f}, "127"},
		{0, []byte{0x80}, "-128"},
		{2, []byte{0xff, 0xff}, "-0.01"},
		{3, []byte{0x00, 0x01, 0x00}, "0.256"},
		{1, bytes.Repeat([]byte{0xff}, 12), "-0.1"},
		{20, append([]byte{0x01}, make([]byte, 10)...), "12089.25819614629174706176"},
		{2, append([]byte{0x80}, make([]byte, 15)...), "-1701411834604692317316873037158841057.28"},
	} {
		n := &node{leaf: kindDecimal, physical: 6 /* BYTE_ARRAY */, scale: c.scale}
		got, err := appendText(nil, n, parquet.ValueOf(c.raw))
		if err != nil || string(got) != c.want {
			t.Errorf("decimal %x scale %d: got %q, %v; want %q", c.raw, c.scale, got, err, c.want)
		}
	}
	// The int64 limits, through the uint64 path.
	n := &node{leaf: kindDecimal, physical: 2 /* INT64 */, scale: 3}
	for v, want := range map[int64]string{
		-9223372036854775808: "-9223372036854775.808",
		9223372036854775807:  "9223372036854775.807",
	} {
		got, _ := appendText(nil, n, parquet.ValueOf(v))
		if string(got) != want {
			t.Errorf("decimal %d: got %q, want %q", v, got, want)
		}
	}
}

func TestFloat16AndUUID(t *testing.T) {
	for bits, want := range map[uint16]string{0x3c00: "1", 0xc000: "-2", 0x3555: "0.33325195", 0x0001: "5.9604645e-08", 0x7c00: "+Inf"} {
		var raw [2]byte
		binary.LittleEndian.PutUint16(raw[:], bits)
		got, err := appendText(nil, &node{leaf: kindFloat16}, parquet.ValueOf(raw[:]))
		if err != nil || string(got) != want {
			t.Errorf("float16 %#04x: got %q, %v; want %q", bits, got, err, want)
		}
	}
	u := []byte{0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3, 0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00}
	got, _ := appendText(nil, &node{leaf: kindUUID}, parquet.ValueOf(u))
	if string(got) != "123e4567-e89b-12d3-a456-426614174000" {
		t.Errorf("uuid: got %q", got)
	}
}

func TestJSONString(t *testing.T) {
	for in, want := range map[string]string{
		"":             `""`,
		"plain":        `"plain"`,
		"a\"b\\c":      `"a\"b\\c"`,
		"\x00\x1f\x7f": `"\u0000\u001f` + "\x7f" + `"`,
		"é✓":           `"é✓"`,
		"bad\xffutf8":  `"bad\ufffdutf8"`,
	} {
		got := appendJSONString(nil, []byte(in))
		if string(got) != want {
			t.Errorf("%q: got %s, want %s", in, got, want)
		}
		if !json.Valid(got) {
			t.Errorf("%q: invalid JSON %s", in, got)
		}
	}
}

// TestCorrupt damages a valid file in several ways; each must give an
// error (from Open or from Next), never a panic or a silent short read.
// It runs on a flat file (the streaming reader) and on one with a map
// column (the library's row reader).
func TestCorrupt(t *testing.T) {
	type nested struct {
		ID   string            `parquet:"id"`
		Cost float64           `parquet:"cost"`
		Tags map[string]string `parquet:"resource_tags"`
	}
	type flat struct {
		ID   string   `parquet:"id"`
		Cost float64  `parquet:"cost"`
		Note *string  `parquet:"note,optional"`
		Disc *float64 `parquet:"discount,optional"`
	}
	const n = 5000
	t.Run("flat", func(t *testing.T) {
		rows := make([]flat, n)
		for i := range rows {
			rows[i] = flat{ID: strings.Repeat("x", i%50) + itoa(i), Cost: float64(i) / 7}
			if i%3 == 0 {
				rows[i].Note, rows[i].Disc = ptr("n"+itoa(i%10)), ptr(-float64(i))
			}
		}
		var buf bytes.Buffer
		w := parquet.NewGenericWriter[flat](&buf, parquet.Compression(&parquet.Snappy), parquet.DefaultEncoding(&parquet.Plain),
			parquet.DefaultEncodingFor(parquet.ByteArray, &parquet.RLEDictionary))
		if _, err := w.Write(rows); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		testCorrupt(t, buf.Bytes(), n, true)
	})
	t.Run("nested", func(t *testing.T) {
		rows := make([]nested, n)
		for i := range rows {
			rows[i] = nested{ID: strings.Repeat("x", i%50) + itoa(i), Cost: float64(i) / 7, Tags: map[string]string{"k": itoa(i)}}
		}
		var buf bytes.Buffer
		w := parquet.NewGenericWriter[nested](&buf, parquet.Compression(&parquet.Snappy))
		if _, err := w.Write(rows); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		testCorrupt(t, buf.Bytes(), n, false)
	})
}

func testCorrupt(t *testing.T, good []byte, numRows int, wantStream bool) {
	r, got := readAll(t, good)
	if len(got) != numRows {
		t.Fatalf("test bug: the undamaged file reads %d rows", len(got))
	}
	if r.stream != wantStream {
		t.Fatalf("test bug: streaming reader %v, want %v", r.stream, wantStream)
	}

	// readErr reads to the end and returns the first error, turning a
	// panic into a test failure.
	readErr := func(t *testing.T, data []byte) (err error) {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("panic: %v", p)
			}
		}()
		r, err := Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return err
		}
		for {
			if _, err := r.Next(); err != nil {
				if errors.Is(err, io.EOF) {
					return nil
				}
				if _, err2 := r.Next(); err2 != err {
					t.Errorf("error not sticky: %v then %v", err, err2)
				}
				return err
			}
		}
	}

	t.Run("truncated", func(t *testing.T) {
		for _, n := range []int{0, 3, 8, len(good) / 2, len(good) - 9, len(good) - 1} {
			if err := readErr(t, good[:n]); err == nil {
				t.Errorf("truncated to %d bytes: no error", n)
			} else {
				t.Logf("truncated to %d: %v", n, err)
			}
		}
	})

	t.Run("pages", func(t *testing.T) {
		// Overwrite stretches of the column data (after the magic, before
		// the footer). Not every byte flip is detectable (a changed
		// character in a string is just a different string), so count the
		// errors, demand that most damage to page headers and compressed
		// data is reported, and that none panics.
		footerLen := int(binary.LittleEndian.Uint32(good[len(good)-8:]))
		dataEnd := len(good) - 8 - footerLen
		errs, tries := 0, 0
		for off := 4; off < dataEnd; off += max(1, dataEnd/97) {
			bad := bytes.Clone(good)
			for i := off; i < min(off+16, dataEnd); i++ {
				bad[i] ^= 0xa5
			}
			tries++
			if err := readErr(t, bad); err != nil {
				errs++
				if !strings.Contains(err.Error(), "row group 1") {
					t.Errorf("offset %d: error does not say where: %v", off, err)
				}
				if errs <= 3 {
					t.Logf("offset %d: %v", off, err)
				}
			}
		}
		t.Logf("%d of %d damaged copies gave an error", errs, tries)
		if errs < tries/2 {
			t.Errorf("only %d of %d damaged copies gave an error", errs, tries)
		}
	})

	t.Run("missing data", func(t *testing.T) {
		// The footer is intact but the column data is not: a hole cut
		// out (offsets now point past their pages), or a zeroed tail as
		// an interrupted copy into a preallocated file leaves.
		footerLen := int(binary.LittleEndian.Uint32(good[len(good)-8:]))
		dataEnd := len(good) - 8 - footerLen
		holed := append(bytes.Clone(good[:dataEnd/2]), good[dataEnd/2+100:]...)
		zeroed := bytes.Clone(good)
		clear(zeroed[dataEnd/2 : dataEnd])
		for name, bad := range map[string][]byte{"hole": holed, "zeroed": zeroed} {
			err := readErr(t, bad)
			if err == nil {
				t.Errorf("%s: no error", name)
				continue
			}
			t.Logf("%s: %v", name, err)
		}
	})

	t.Run("footer", func(t *testing.T) {
		footerLen := int(binary.LittleEndian.Uint32(good[len(good)-8:]))
		start := len(good) - 8 - footerLen
		for off := start; off < len(good)-8; off += max(1, footerLen/50) {
			bad := bytes.Clone(good)
			bad[off] ^= 0xff
			_ = readErr(t, bad) // must not panic; an error or a read is fine
		}
	})

	t.Run("names column", func(t *testing.T) {
		// Damage the first page of the cost column only: the error must
		// name it.
		f, err := parquet.OpenFile(bytes.NewReader(good), int64(len(good)))
		if err != nil {
			t.Fatal(err)
		}
		md := f.Metadata().RowGroups[0].Columns[1].MetaData
		if md.PathInSchema[0] != "cost" {
			t.Fatalf("test bug: column 1 is %v", md.PathInSchema)
		}
		off := int(md.DataPageOffset)
		if md.DictionaryPageOffset > 0 {
			off = int(md.DictionaryPageOffset)
		}
		bad := bytes.Clone(good)
		// Past the page header, into the compressed data.
		for i := off + 20; i < off+60; i++ {
			bad[i] = 0xff
		}
		err = readErr(t, bad)
		if err == nil {
			t.Fatal("no error")
		}
		t.Log(err)
		if !strings.Contains(err.Error(), `column "cost"`) || !strings.Contains(err.Error(), "row group 1") {
			t.Errorf("error does not name row group 1 and column cost: %v", err)
		}
	})
}

// TestRepeatedShapes covers repetition outside MAP and LIST annotations and
// lists of lists (two repetition levels), with levels written by hand.
func TestRepeatedShapes(t *testing.T) {
	schema := parquet.NewSchema("x", parquet.Group{
		"a_ints": parquet.Repeated(parquet.Int(32)),
		"b_st": parquet.Group{
			"tags": parquet.Repeated(parquet.String()),
		},
		"c_ll": parquet.List(parquet.List(parquet.Int(32))),
	})
	// Leaves: a_ints (d1 r1), b_st.tags (d1 r1), c_ll.list.element.list.element
	// (outer list d1 r1, inner list d2 r2).
	mk := func(cols ...[]lv) parquet.Row {
		var row parquet.Row
		for c, vs := range cols {
			for _, x := range vs {
				v := parquet.NullValue()
				if x.v != nil {
					v = parquet.ValueOf(x.v)
				}
				row = append(row, v.Level(x.rep, x.def, c))
			}
		}
		return row
	}
	rows := []parquet.Row{
		mk([]lv{{0, 0, nil}}, []lv{{0, 0, nil}}, []lv{{0, 0, nil}}),
		mk([]lv{{0, 1, int32(5)}, {1, 1, int32(6)}}, []lv{{0, 1, "a"}, {1, 1, "b"}},
			[]lv{{0, 2, int32(1)}, {2, 2, int32(2)}, {1, 1, nil}, {1, 2, int32(3)}}),
		mk([]lv{{0, 1, int32(-1)}}, []lv{{0, 1, ""}}, []lv{{0, 1, nil}}),
	}
	var buf bytes.Buffer
	w := parquet.NewWriter(&buf, schema)
	if _, err := w.WriteRows(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, got := readAll(t, buf.Bytes())
	checkRows(t, r.Header(), got, []map[string]string{
		{"a_ints": "", "b_st": `{"tags":[]}`, "c_ll": ""},
		{"a_ints": "[5,6]", "b_st": `{"tags":["a","b"]}`, "c_ll": "[[1,2],[],[3]]"},
		{"a_ints": "[-1]", "b_st": `{"tags":[""]}`, "c_ll": "[[]]"},
	})
}

// TestLegacySchemaShapes checks how older writers' map and list layouts are
// recognised (the backward-compatibility rules of the LIST and MAP spec).
func TestLegacySchemaShapes(t *testing.T) {
	i32 := func(v int32) thrift.Null[int32] { return thrift.Null[int32]{V: v, Valid: true} }
	typ := func(v format.Type) thrift.Null[format.Type] { return thrift.Null[format.Type]{V: v, Valid: true} }
	rep := func(v format.FieldRepetitionType) thrift.Null[format.FieldRepetitionType] {
		return thrift.Null[format.FieldRepetitionType]{V: v, Valid: true}
	}
	ct := func(v deprecated.ConvertedType) thrift.Null[deprecated.ConvertedType] {
		return thrift.Null[deprecated.ConvertedType]{V: v, Valid: true}
	}
	elems := []format.SchemaElement{
		{Name: "root", NumChildren: i32(6)},
		// MAP with MAP_KEY_VALUE on the repeated group, as parquet-mr wrote.
		{Name: "m", RepetitionType: rep(format.Optional), NumChildren: i32(1), ConvertedType: ct(deprecated.Map)},
		{Name: "map", RepetitionType: rep(format.Repeated), NumChildren: i32(2), ConvertedType: ct(deprecated.MapKeyValue)},
		{Name: "key", RepetitionType: rep(format.Required), Type: typ(format.ByteArray), ConvertedType: ct(deprecated.UTF8)},
		{Name: "value", RepetitionType: rep(format.Optional), Type: typ(format.Double)},
		// 2-level list of a primitive.
		{Name: "l2", RepetitionType: rep(format.Optional), NumChildren: i32(1), ConvertedType: ct(deprecated.List)},
		{Name: "element", RepetitionType: rep(format.Repeated), Type: typ(format.Int32)},
		// Repeated group named "array": the group is the element.
		{Name: "la", RepetitionType: rep(format.Optional), NumChildren: i32(1), ConvertedType: ct(deprecated.List)},
		{Name: "array", RepetitionType: rep(format.Repeated), NumChildren: i32(1)},
		{Name: "s", RepetitionType: rep(format.Required), Type: typ(format.ByteArray)},
		// Repeated group named "<list>_tuple": likewise.
		{Name: "lt", RepetitionType: rep(format.Optional), NumChildren: i32(1), ConvertedType: ct(deprecated.List)},
		{Name: "lt_tuple", RepetitionType: rep(format.Repeated), NumChildren: i32(1)},
		{Name: "s", RepetitionType: rep(format.Required), Type: typ(format.ByteArray)},
		// Standard 3-level list.
		{Name: "l3", RepetitionType: rep(format.Optional), NumChildren: i32(1), ConvertedType: ct(deprecated.List)},
		{Name: "list", RepetitionType: rep(format.Repeated), NumChildren: i32(1)},
		{Name: "element", RepetitionType: rep(format.Optional), Type: typ(format.Int64), ConvertedType: ct(deprecated.TimestampMicros)},
		// Legacy converted types on leaves.
		{Name: "g", RepetitionType: rep(format.Required), NumChildren: i32(3)},
		{Name: "d", RepetitionType: rep(format.Required), Type: typ(format.FixedLenByteArray), TypeLength: i32(5), ConvertedType: ct(deprecated.Decimal), Scale: i32(3), Precision: i32(10)},
		{Name: "u", RepetitionType: rep(format.Required), Type: typ(format.Int64), ConvertedType: ct(deprecated.Uint64)},
		{Name: "day", RepetitionType: rep(format.Required), Type: typ(format.Int32), ConvertedType: ct(deprecated.Date)},
	}
	root, leaves, err := buildSchema(elems)
	if err != nil {
		t.Fatal(err)
	}
	if leaves != 9 {
		t.Errorf("%d leaves, want 9", leaves)
	}
	want := map[string]string{
		"m":  "optional map<BYTE_ARRAY,optional DOUBLE>",
		"l2": "optional list<repeated INT32>",
		"la": "optional list<repeated struct<s:BYTE_ARRAY>>",
		"lt": "optional list<repeated struct<s:BYTE_ARRAY>>",
		"l3": "optional list<optional INT64/TIMESTAMP(1µs)>",
		"g":  "struct<d:FIXED_LEN_BYTE_ARRAY/DECIMAL(scale=3),u:INT64/UINT,day:INT32/DATE>",
	}
	for _, n := range root.children {
		if got := n.describe(); got != want[n.name] {
			t.Errorf("%s: %s, want %s", n.name, got, want[n.name])
		}
	}

	// Malformed schemas give errors, not panics.
	for name, bad := range map[string][]format.SchemaElement{
		"empty":          nil,
		"too many":       {{Name: "root", NumChildren: i32(3)}, {Name: "a", Type: typ(format.Int32)}},
		"leaf root":      {{Name: "root", Type: typ(format.Int32)}},
		"no type":        {{Name: "root", NumChildren: i32(1)}, {Name: "a"}},
		"trailing":       {{Name: "root", NumChildren: i32(1)}, {Name: "a", Type: typ(format.Int32)}, {Name: "b", Type: typ(format.Int32)}},
		"fixed no len":   {{Name: "root", NumChildren: i32(1)}, {Name: "a", Type: typ(format.FixedLenByteArray)}},
		"bad physical":   {{Name: "root", NumChildren: i32(1)}, {Name: "a", Type: typ(42)}},
		"decimal on dbl": {{Name: "root", NumChildren: i32(1)}, {Name: "a", Type: typ(format.Double), ConvertedType: ct(deprecated.Decimal)}},
	} {
		if _, _, err := buildSchema(bad); err == nil {
			t.Errorf("%s: no error", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

func TestWhereBeforeFirstRow(t *testing.T) {
	data := writeFlat(t, nil, []flatRow{{ID: "a"}})
	r, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Where(); got != "before the first row" {
		t.Errorf("Where = %q", got)
	}
}
