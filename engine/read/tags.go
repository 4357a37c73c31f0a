package read

import (
	"fmt"

	"rebill/engine/excerpt"
	"rebill/engine/lineitem"
	"rebill/engine/money"
)

// TagColumns are a table's user tag columns: one column per tag key, its
// name the key behind a family's prefix (a CUR's "resourceTags/user:Team",
// a DBR's "user:Team", an OCI report's "tags/Team"). Every family with
// such columns finds, checks and reads them here, so that they agree on
// what a bad tag column is and how it is reported.
type TagColumns struct {
	cols []tagColumn
}

type tagColumn struct {
	index int // in the header
	key   string
}

// FindTags finds the tag columns of header, key giving the tag key a
// column name carries, or "" for a column that is not a tag. A tag's name
// is on every item that has the tag, so it must be text; and two columns
// of one key would give an item the tag twice. Either problem is reported
// as cols.ErrorAt reports it, so that a known column found twice before
// it is named first: a *FieldError or a *DuplicateError.
func FindTags(header []string, key func(column string) string, cols *Columns) (TagColumns, error) {
	var t TagColumns
	byKey := map[string]int{}
	for i, h := range header {
		k := key(h)
		if k == "" {
			continue
		}
		var err error
		if err = lineitem.CheckText(k); err != nil {
			err = &FieldError{Column: h, Err: fmt.Errorf("the tag name %s %w", excerpt.Quote(k), err)}
		} else if j, dup := byKey[k]; dup {
			err = &DuplicateError{First: j + 1, Second: i + 1, Name: header[j], SecondAs: h}
		}
		if err != nil {
			return TagColumns{}, cols.ErrorAt(header, i, err)
		}
		byKey[k] = i
		t.cols = append(t.cols, tagColumn{index: i, key: k})
	}
	return t, nil
}

// Append appends to tags a tag for every tag column whose field is not
// null, in the header's order, its value shared through r (whose Bad
// then reports a value that is not text).
func (t TagColumns) Append(tags []lineitem.Tag, r *Row, fields [][]byte) []lineitem.Tag {
	for _, tc := range t.cols {
		if v := fields[tc.index]; !money.IsNull(v) {
			tags = append(tags, lineitem.Tag{Key: tc.key, Value: r.Text(tc.index, v)})
		}
	}
	return tags
}

// Indexes appends the header indexes of the tag columns to dst, for a
// mapper's Reads.
func (t TagColumns) Indexes(dst []int) []int {
	for _, tc := range t.cols {
		dst = append(dst, tc.index)
	}
	return dst
}

// Column names, as header spells it, the column a tag of key came from
// in the row of fields; "" when no tag column of that key has a value
// there (the tag came from elsewhere, such as a CUR 2.0 tags map).
func (t TagColumns) Column(header []string, fields [][]byte, key string) string {
	for _, tc := range t.cols {
		if tc.key == key && !money.IsNull(fields[tc.index]) {
			return header[tc.index]
		}
	}
	return ""
}
