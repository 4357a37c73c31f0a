package parquetrows

import (
	"fmt"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"
)

// leafKind says how a leaf column's values become text. It is decided once
// per column from the physical type and its annotations, so the per-value
// work is a switch on a small integer.
type leafKind uint8

const (
	kindBytes     leafKind = iota // BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY: bytes as is
	kindBool                      // BOOLEAN
	kindInt32                     // INT32 (signed)
	kindInt64                     // INT64 (signed)
	kindUint32                    // INT32 annotated unsigned
	kindUint64                    // INT64 annotated unsigned
	kindFloat                     // FLOAT
	kindDouble                    // DOUBLE
	kindFloat16                   // FIXED_LEN_BYTE_ARRAY(2) FLOAT16
	kindDecimal                   // DECIMAL on INT32, INT64, BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY
	kindTimestamp                 // INT64 TIMESTAMP(unit)
	kindInt96                     // legacy INT96 timestamp
	kindDate                      // INT32 DATE
	kindTime                      // INT32/INT64 TIME(unit)
	kindUUID                      // FIXED_LEN_BYTE_ARRAY(16) UUID
	kindNull                      // UNKNOWN/NULL logical type: always null
)

// nodeKind distinguishes the shapes the JSON rendering knows about.
type nodeKind uint8

const (
	nodeLeaf   nodeKind = iota
	nodeStruct          // plain group: JSON object of its fields
	nodeMap             // MAP-annotated group: JSON object of its entries
	nodeList            // LIST-annotated group: JSON array of its elements
)

// node is one element of the schema tree, with what the row assembly needs:
// the maximum definition and repetition levels (computed here rather than
// taken from the library so that the assembly depends only on the footer)
// and the range of leaf columns under it.
type node struct {
	name     string
	path     string // dotted path from the root, for error messages
	repeated bool
	optional bool
	maxDef   int
	maxRep   int
	kind     nodeKind
	children []*node

	// Leaves.
	leaf     leafKind
	physical format.Type
	typeLen  int           // FIXED_LEN_BYTE_ARRAY
	unit     time.Duration // TIMESTAMP, TIME
	scale    int           // DECIMAL
	col      int           // index of the leaf column in a row

	// first and end delimit the leaf columns under the node, [first, end).
	first, end int

	// Maps: the repeated key/value group and its two fields.
	kv, key, value *node
	// Lists: the repeated group (or repeated leaf) and the element it holds,
	// which is either rep itself or rep's only child (see listElement).
	rep, elem *node
}

// buildSchema turns the footer's depth-first schema list into a tree. It
// checks the child counts so that a corrupt footer gives an error, not an
// index out of range.
func buildSchema(elems []format.SchemaElement) (*node, int, error) {
	if len(elems) == 0 {
		return nil, 0, fmt.Errorf("schema is empty")
	}
	b := schemaBuilder{elems: elems}
	root, err := b.build(0, 0, 0, "")
	if err != nil {
		return nil, 0, err
	}
	if b.next != len(elems) {
		return nil, 0, fmt.Errorf("schema has %d elements but the root's tree uses %d", len(elems), b.next)
	}
	if len(root.children) == 0 {
		return nil, 0, fmt.Errorf("schema has no columns")
	}
	return root, b.leaves, nil
}

type schemaBuilder struct {
	elems  []format.SchemaElement
	next   int // index of the next element to consume
	leaves int // number of leaves seen so far
}

// maxDepth bounds the nesting so that a hostile footer cannot exhaust the
// stack; real schemas are a handful of levels deep.
const maxDepth = 100

func (b *schemaBuilder) build(depth, def, rep int, parent string) (*node, error) {
	if b.next >= len(b.elems) {
		return nil, fmt.Errorf("schema ends early: a group claims more children than there are elements")
	}
	if depth > maxDepth {
		return nil, fmt.Errorf("schema is nested more than %d levels deep", maxDepth)
	}
	e := &b.elems[b.next]
	b.next++
	n := &node{name: e.Name, first: b.leaves}
	if depth > 0 {
		n.path = e.Name
		if parent != "" {
			n.path = parent + "." + e.Name
		}
		// The root has no repetition; every other element should. A missing
		// one is read as required, as other readers do.
		if e.RepetitionType.Valid {
			switch e.RepetitionType.V {
			case format.Optional:
				n.optional = true
				def++
			case format.Repeated:
				n.repeated = true
				def++
				rep++
			}
		}
	}
	n.maxDef, n.maxRep = def, rep

	isGroup := e.NumChildren.Valid && e.NumChildren.V > 0
	if !isGroup && depth == 0 {
		return nil, fmt.Errorf("schema root %q is not a group", e.Name)
	}
	if !isGroup {
		if !e.Type.Valid {
			return nil, fmt.Errorf("column %q has neither a type nor children", n.path)
		}
		n.kind = nodeLeaf
		n.col = b.leaves
		b.leaves++
		n.end = b.leaves
		if err := classifyLeaf(n, e); err != nil {
			return nil, fmt.Errorf("column %q: %w", n.path, err)
		}
		return n, nil
	}

	count := int(e.NumChildren.V)
	if count > len(b.elems)-b.next {
		return nil, fmt.Errorf("group %q claims %d children but only %d schema elements follow", e.Name, count, len(b.elems)-b.next)
	}
	n.children = make([]*node, count)
	for i := range n.children {
		c, err := b.build(depth+1, def, rep, n.path)
		if err != nil {
			return nil, err
		}
		n.children[i] = c
	}
	n.end = b.leaves
	if depth > 0 {
		classifyGroup(n, e)
	}
	return n, nil
}

// classifyGroup recognises maps and lists. A group that is annotated but
// not shaped as the spec says falls back to a plain struct, so odd files
// still render (as nested objects and arrays) instead of failing.
func classifyGroup(n *node, e *format.SchemaElement) {
	n.kind = nodeStruct
	isMap, isList := false, false
	switch e.LogicalType.Value.(type) {
	case *format.MapType:
		isMap = true
	case *format.ListType:
		isList = true
	}
	if e.ConvertedType.Valid {
		switch e.ConvertedType.V {
		case deprecated.Map, deprecated.MapKeyValue:
			// Some old writers put MAP_KEY_VALUE on the outer group.
			isMap = true
		case deprecated.List:
			isList = true
		}
	}
	if len(n.children) != 1 || !n.children[0].repeated {
		return
	}
	r := n.children[0]
	switch {
	case isMap && r.kind != nodeLeaf && len(r.children) == 2 && !r.children[0].repeated:
		n.kind = nodeMap
		n.kv, n.key, n.value = r, r.children[0], r.children[1]
	case isList:
		n.kind = nodeList
		n.rep = r
		n.elem = listElement(n, r)
	}
}

// listElement applies the backward-compatibility rules of the Parquet LIST
// spec: the repeated field is itself the element when it is a primitive, a
// group of several fields, or a one-field group named "array" or
// "<list>_tuple" (older writers); otherwise it is the standard 3-level
// form and the element is its only child.
func listElement(list, r *node) *node {
	if r.kind == nodeLeaf || len(r.children) != 1 || r.name == "array" || r.name == list.name+"_tuple" {
		return r
	}
	return r.children[0]
}

// classifyLeaf picks the text conversion for a leaf from its physical
// type, its logical type and, for files from older writers such as the
// parquet-mr that AWS used for CUR, its converted type.
func classifyLeaf(n *node, e *format.SchemaElement) error {
	n.physical = e.Type.V
	switch n.physical {
	case format.Boolean:
		n.leaf = kindBool
	case format.Int32:
		n.leaf = kindInt32
	case format.Int64:
		n.leaf = kindInt64
	case format.Int96:
		// INT96 has only ever been used for timestamps (Impala, Hive, Spark).
		n.leaf = kindInt96
	case format.Float:
		n.leaf = kindFloat
	case format.Double:
		n.leaf = kindDouble
	case format.ByteArray:
		n.leaf = kindBytes
	case format.FixedLenByteArray:
		n.leaf = kindBytes
		if !e.TypeLength.Valid || e.TypeLength.V < 0 {
			return fmt.Errorf("FIXED_LEN_BYTE_ARRAY without a valid length")
		}
		n.typeLen = int(e.TypeLength.V)
	default:
		return fmt.Errorf("unknown physical type %d", n.physical)
	}

	switch lt := e.LogicalType.Value.(type) {
	case nil:
		// No logical type: fall through to the converted type below.
	case *format.DecimalType:
		return setDecimal(n, int(lt.Scale))
	case *format.TimestampType:
		if n.physical != format.Int64 {
			return fmt.Errorf("TIMESTAMP on %s, want INT64", n.physical)
		}
		n.leaf, n.unit = kindTimestamp, unitOf(&lt.Unit)
		if n.unit == 0 {
			return fmt.Errorf("TIMESTAMP with unknown unit")
		}
		return nil
	case *format.TimeType:
		if n.physical != format.Int32 && n.physical != format.Int64 {
			return fmt.Errorf("TIME on %s, want INT32 or INT64", n.physical)
		}
		n.leaf, n.unit = kindTime, unitOf(&lt.Unit)
		if n.unit == 0 {
			return fmt.Errorf("TIME with unknown unit")
		}
		return nil
	case *format.DateType:
		if n.physical != format.Int32 {
			return fmt.Errorf("DATE on %s, want INT32", n.physical)
		}
		n.leaf = kindDate
		return nil
	case *format.IntType:
		if !lt.IsSigned {
			setUnsigned(n)
		}
		return nil
	case *format.UUIDType:
		if n.physical == format.FixedLenByteArray && e.TypeLength.V == 16 {
			n.leaf = kindUUID
		}
		return nil
	case *format.Float16Type:
		if n.physical == format.FixedLenByteArray && e.TypeLength.V == 2 {
			n.leaf = kindFloat16
		}
		return nil
	case *format.NullType:
		n.leaf = kindNull
		return nil
	default:
		// STRING, ENUM, JSON, BSON, geometry...: the physical rendering (the
		// bytes as is) is what we want.
		return nil
	}

	if !e.ConvertedType.Valid {
		return nil
	}
	switch e.ConvertedType.V {
	case deprecated.Decimal:
		return setDecimal(n, int(e.Scale.V))
	case deprecated.Date:
		if n.physical == format.Int32 {
			n.leaf = kindDate
		}
	case deprecated.TimeMillis:
		if n.physical == format.Int32 {
			n.leaf, n.unit = kindTime, time.Millisecond
		}
	case deprecated.TimeMicros:
		if n.physical == format.Int64 {
			n.leaf, n.unit = kindTime, time.Microsecond
		}
	case deprecated.TimestampMillis:
		if n.physical == format.Int64 {
			n.leaf, n.unit = kindTimestamp, time.Millisecond
		}
	case deprecated.TimestampMicros:
		if n.physical == format.Int64 {
			n.leaf, n.unit = kindTimestamp, time.Microsecond
		}
	case deprecated.Uint8, deprecated.Uint16, deprecated.Uint32, deprecated.Uint64:
		setUnsigned(n)
	}
	return nil
}

func setUnsigned(n *node) {
	switch n.physical {
	case format.Int32:
		n.leaf = kindUint32
	case format.Int64:
		n.leaf = kindUint64
	}
}

func setDecimal(n *node, scale int) error {
	switch n.physical {
	case format.Int32, format.Int64, format.ByteArray, format.FixedLenByteArray:
	default:
		return fmt.Errorf("DECIMAL on %s, want INT32, INT64, BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY", n.physical)
	}
	if scale < 0 {
		return fmt.Errorf("DECIMAL with negative scale %d", scale)
	}
	n.leaf, n.scale = kindDecimal, scale
	return nil
}

func unitOf(u *format.TimeUnit) time.Duration {
	if u.Value == nil {
		return 0
	}
	return u.Value.Duration()
}

// describe renders a node's type compactly, for tests and diagnostics.
func (n *node) describe() string {
	var sb strings.Builder
	if n.optional {
		sb.WriteString("optional ")
	}
	if n.repeated {
		sb.WriteString("repeated ")
	}
	switch n.kind {
	case nodeMap:
		sb.WriteString("map<" + n.key.describe() + "," + n.value.describe() + ">")
	case nodeList:
		sb.WriteString("list<" + n.elem.describe() + ">")
	case nodeStruct:
		sb.WriteString("struct<")
		for i, c := range n.children {
			if i > 0 {
				sb.WriteString(",")
			}
			sb.WriteString(c.name + ":" + c.describe())
		}
		sb.WriteString(">")
	default:
		sb.WriteString(n.physical.String())
		switch n.leaf {
		case kindDecimal:
			fmt.Fprintf(&sb, "/DECIMAL(scale=%d)", n.scale)
		case kindTimestamp:
			sb.WriteString("/TIMESTAMP(" + n.unit.String() + ")")
		case kindTime:
			sb.WriteString("/TIME(" + n.unit.String() + ")")
		case kindDate:
			sb.WriteString("/DATE")
		case kindUint32, kindUint64:
			sb.WriteString("/UINT")
		case kindUUID:
			sb.WriteString("/UUID")
		case kindFloat16:
			sb.WriteString("/FLOAT16")
		case kindNull:
			sb.WriteString("/NULL")
		}
	}
	return sb.String()
}
