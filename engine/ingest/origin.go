package ingest

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Origin is what the provider tells about where a delivery's files come
// from: the report they belong to and the assembly (one run of the
// report) they were written by. AWS splits a large month into parts,
// report-1.csv.gz, report-2.csv.gz …, in one assembly folder and lists
// them in a manifest; two files of one origin are parts of one delivery,
// two files of different origins are two deliveries.
type Origin struct {
	// Report is the report or export name; "" for a file that is not a
	// numbered part of a report.
	Report string `json:"report,omitempty"`
	// Assembly is the manifest's assemblyId (legacy CUR) or executionId
	// (Data Exports), or the assembly folder's name (a UUID) when the
	// parts came without their manifest.
	Assembly string `json:"assembly,omitempty"`
	// Folder is the folder the parts were read from, absolute.
	Folder string `json:"folder,omitempty"`
	// Manifest is the manifest the parts came through, if any.
	Manifest string `json:"manifest,omitempty"`
	// Listed are the file names of every part the manifest lists, in its
	// order; nil when no manifest told.
	Listed []string `json:"listed,omitempty"`
	// Series is set for a file of a numbered series whose files each add
	// to the month (read.Format.Series: OCI's cost reports), Report
	// naming the series. No file of a series is whole: every file of the
	// series, month and payer is a part of one delivery, whichever folder
	// or import it comes from, and no part number is missing.
	Series bool `json:"series,omitempty"`
}

// Same tells whether two origins are the same delivery of the same
// report: the same assembly when both know theirs, else the same folder.
// A file that is no numbered part (Report "") has no siblings.
func (o Origin) Same(p Origin) bool {
	if o.Report == "" || o.Report != p.Report {
		return false
	}
	if o.Series || p.Series {
		return o.Series == p.Series // a delivery is one provider's month and payer already
	}
	if o.Assembly != "" && p.Assembly != "" {
		return o.Assembly == p.Assembly
	}
	return o.Folder != "" && o.Folder == p.Folder
}

// String names the origin for messages.
func (o Origin) String() string {
	switch {
	case o.Manifest != "":
		return "manifest " + o.Manifest
	case o.Report != "" && o.Assembly != "":
		return fmt.Sprintf("report %s, assembly %s", o.Report, o.Assembly)
	case o.Report != "":
		return fmt.Sprintf("report %s in %s", o.Report, o.Folder)
	}
	return "a single file"
}

// partName is a file name split into report name and part number, with
// the pieces that rebuild a sibling's name.
type partName struct {
	report string
	number int
	width  int    // digits as written: 5 in "-00001", 1 in "-1"
	ext    string // ".csv.gz", ".snappy.parquet"
}

// partPattern is AWS's part naming: <report>-<number><extensions>.
var partPattern = regexp.MustCompile(`^(.+)-([0-9]{1,6})$`)

// knownExts are the extensions stripped before the part number.
var knownExts = []string{".gz", ".zip", ".csv", ".txt", ".parquet", ".snappy", ".gzip"}

// splitPartName reads "report-00002.csv.gz" as report "report", part 2.
// ok is false for a name without a part number.
func splitPartName(name string) (partName, bool) {
	stem, ext := name, ""
	for {
		e := strings.ToLower(filepath.Ext(stem))
		if !slices.Contains(knownExts, e) {
			break
		}
		ext = stem[len(stem)-len(e):] + ext
		stem = stem[:len(stem)-len(e)]
	}
	m := partPattern.FindStringSubmatch(stem)
	if m == nil {
		return partName{}, false
	}
	n, err := strconv.Atoi(m[2])
	if err != nil || n == 0 {
		return partName{}, false
	}
	return partName{report: m[1], number: n, width: len(m[2]), ext: ext}, true
}

// sibling is the name of part n of the same report.
func (p partName) sibling(n int) string {
	return fmt.Sprintf("%s-%0*d%s", p.report, p.width, n, p.ext)
}

// uuidPattern is an assembly folder's name: AWS names the folder of one
// run of a legacy CUR after its assemblyId.
var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// originOfFile is the origin of a file given without a manifest. Its name
// makes it a numbered part only where AWS's layout says so: zero-padded
// to five digits (report-00001.csv.gz, Data Exports and Parquet), or in
// an assembly folder (<uuid>/report-1.csv.gz). Anything else, such as
// sample-2026-09.csv, is a whole file.
func originOfFile(path string) (Origin, int) {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	dir := filepath.Dir(abs)
	for _, f := range Formats.Formats() {
		if f.Series == nil {
			continue
		}
		if s, n, ok := f.Series(filepath.Base(abs)); ok {
			return Origin{Report: s, Folder: dir, Series: true}, n
		}
	}
	pn, ok := splitPartName(filepath.Base(abs))
	assembly := ""
	if uuidPattern.MatchString(filepath.Base(dir)) {
		assembly = filepath.Base(dir)
	}
	if !ok || pn.width < 5 && assembly == "" {
		return Origin{}, 0
	}
	return Origin{Report: pn.report, Assembly: assembly, Folder: dir}, pn.number
}

// missingParts lists the parts a delivery of these file names lacks: the
// manifest's listed names not among them, or, without a manifest, the
// numbers below the highest part that are not there.
func missingParts(o Origin, names []string) []string {
	if len(o.Listed) > 0 {
		var out []string
		for _, l := range o.Listed {
			if !slices.Contains(names, l) {
				out = append(out, l)
			}
		}
		return out
	}
	if o.Report == "" {
		return nil
	}
	have := map[int]bool{}
	var model partName
	max := 0
	for _, n := range names {
		if pn, ok := splitPartName(n); ok && pn.report == o.Report {
			have[pn.number] = true
			if pn.number > max {
				max, model = pn.number, pn
			}
		}
	}
	var out []string
	for i := 1; i < max; i++ {
		if !have[i] {
			out = append(out, model.sibling(i))
		}
	}
	return out
}
