package cur

import (
	"rebill/engine/lineitem"
	"rebill/engine/read"
)

// Family registers the CUR's shapes with the format registry: detected by
// the canonical names of its cost and usage account columns, told apart by
// container and CUR 2.0's own columns, all mapped by one Mapper.
var Family = &read.Family{
	Name: "cur",
	Formats: []read.Format{
		format(LegacyCSV, "CUR CSV", read.CSV, true, nil, ".csv", ".csv.gz", ".zip"),
		format(AthenaText, "CUR text (Athena)", read.HiveText, false, nil, ".gz", ".txt"),
		format(Parquet, "CUR Parquet", read.Parquet, false, nil, ".parquet"),
		format(CUR2CSV, "CUR 2.0 CSV", read.CSV, false, cur2Markers, ".csv.gz", ".csv"),
		format(CUR2Parquet, "CUR 2.0 Parquet", read.Parquet, false, cur2Markers, ".parquet"),
	},
	Detect: func(header []string, c read.Container) (string, bool) {
		f, ok := Detect(header, c.Parquet, c.Sep)
		return string(f), ok
	},
	Closest: func(header []string, c read.Container) (string, int, []string) {
		f, missing := Closest(header, c.Parquet, c.Sep)
		return string(f), len(requiredColumns) - len(missing), missing
	},
	NewMapper: func(_ read.Format, header []string, _ func() string) (read.Mapper, error) {
		m, err := NewMapper(header)
		if err != nil {
			return nil, err
		}
		return m, nil
	},
}

func format(f Format, short string, c read.Container, slashStyle bool, marks []string, extensions ...string) read.Format {
	required := make([]string, len(requiredColumns))
	for i, col := range requiredColumns {
		required[i] = displayName(col, slashStyle)
	}
	return read.Format{Name: string(f), Title: f.Describe(), Short: short, Provider: lineitem.AWS,
		Container: c, Extensions: extensions, Required: required, Marks: marks, CostColumn: displayName(colUnblendedCost, slashStyle)}
}

// Done checks nothing: a CUR states no totals of its own.
func (m *Mapper) Done() error { return nil }
