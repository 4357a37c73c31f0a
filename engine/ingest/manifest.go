package ingest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"rebill/engine/excerpt"
)

// manifest is what Rebill reads of an AWS manifest: the legacy CUR's
// <report>-Manifest.json (assemblyId, reportName, billingPeriod,
// reportKeys) and Data Exports' Manifest.json (executionId, exportArn,
// dataFiles). Both list every data file of one delivery.
type manifest struct {
	AssemblyID    string          `json:"assemblyId"`
	ReportName    string          `json:"reportName"`
	ReportKeys    []string        `json:"reportKeys"`
	BillingPeriod json.RawMessage `json:"billingPeriod"`
	ExecutionID   string          `json:"executionId"`
	ExportARN     string          `json:"exportArn"`
	DataFiles     []string        `json:"dataFiles"`
}

// maxManifestBytes bounds what is read of a manifest: a real one lists a
// few hundred keys and columns.
const maxManifestBytes = 16 << 20

// isManifestName tells a manifest from a data file by AWS's naming.
func isManifestName(name string) bool {
	return strings.HasSuffix(strings.ToLower(name), "manifest.json")
}

// readManifest parses a manifest file.
func readManifest(file string) (manifest, error) {
	var m manifest
	f, err := os.Open(file)
	if err != nil {
		return m, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxManifestBytes+1))
	if err != nil {
		return m, err
	}
	if len(b) > maxManifestBytes {
		return m, kindError(ErrNotBilling, "is larger than an AWS manifest can be (%d MB)", maxManifestBytes>>20)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, kindError(ErrNotBilling, "is not an AWS billing manifest: %v", excerpt.Quote(err.Error()))
	}
	if len(m.keys()) == 0 {
		return m, kindError(ErrNotBilling, "is not an AWS billing manifest: it lists no data files (reportKeys or dataFiles)")
	}
	return m, nil
}

// keys are the manifest's data files as S3 keys (without s3://bucket/).
func (m manifest) keys() []string {
	if len(m.ReportKeys) > 0 {
		return m.ReportKeys
	}
	out := make([]string, 0, len(m.DataFiles))
	for _, u := range m.DataFiles {
		if rest, ok := strings.CutPrefix(u, "s3://"); ok {
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				u = rest[i+1:]
			}
		}
		out = append(out, u)
	}
	return out
}

// assembly is the run that wrote the listed files.
func (m manifest) assembly() string {
	if m.AssemblyID != "" {
		return m.AssemblyID
	}
	return m.ExecutionID
}

// report is the report's name: the legacy manifest says it; for Data
// Exports it is the data files' name before the part number.
func (m manifest) report() string {
	if m.ReportName != "" {
		return m.ReportName
	}
	for _, k := range m.keys() {
		if pn, ok := splitPartName(path.Base(k)); ok {
			return pn.report
		}
	}
	return ""
}

// resolve finds each listed file on disk. AWS keys are paths inside the
// bucket (prefix/report/20181001-20181101/<assembly>/report-1.csv.gz),
// while the manifest sits higher up (…/20181001-20181101/report-Manifest.json
// or …/metadata/BILLING_PERIOD=2023-11/export-Manifest.json). A key is
// looked for under the manifest's folder and its ancestors, longest tail
// of the key first, so that a downloaded copy of the bucket's folder
// resolves however much of the prefix was kept.
func (m manifest) resolve(file string) ([]string, error) {
	dir := filepath.Dir(file)
	var found, missing []string
	for _, k := range m.keys() {
		p := findKey(dir, k)
		if p == "" {
			missing = append(missing, path.Base(k))
			continue
		}
		found = append(found, p)
	}
	if len(missing) > 0 {
		return nil, &MissingPartsError{Origin: Origin{Manifest: file}, Missing: missing,
			Advice: "download the whole folder of the delivery beside its manifest and import the manifest again"}
	}
	return found, nil
}

// findKey is where key is on disk below dir or one of its ancestors, or "".
func findKey(dir, key string) string {
	parts := strings.Split(strings.Trim(key, "/"), "/")
	for tail := len(parts); tail >= 1; tail-- {
		rel := filepath.Join(parts[len(parts)-tail:]...)
		for d, up := dir, 0; up <= 4; up++ {
			p := filepath.Join(d, rel)
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
				return p
			}
			parent := filepath.Dir(d)
			if parent == d {
				break
			}
			d = parent
		}
	}
	return ""
}

// MissingPartsError refuses a delivery some of whose parts are not there:
// importing part of a split month would bill it short.
type MissingPartsError struct {
	Origin  Origin
	Period  string // YYYY-MM, when known
	Payer   string
	Missing []string // file names
	Advice  string
}

// Error names the missing parts and how to import the whole delivery.
func (e *MissingPartsError) Error() string {
	what := "the delivery"
	if e.Period != "" {
		what = fmt.Sprintf("the delivery of %s (payer %s)", e.Period, e.Payer)
	}
	advice := e.Advice
	if advice == "" {
		advice = "import all its parts together: name them all, or their folder, or their manifest (rebill import FOLDER)"
	}
	return fmt.Sprintf("%s from %s lacks %s: %s", what, e.Origin, listNames(e.Missing), advice)
}

// Is makes a missing part an ErrNotComplete for faces that give advice.
func (e *MissingPartsError) Is(target error) bool { return target == ErrIncomplete }

// ErrIncomplete: a delivery was given without all of its parts.
var ErrIncomplete = errors.New("incomplete delivery")

// listNames names a few files, then how many more.
func listNames(names []string) string {
	const show = 5
	q := make([]string, 0, show)
	for i, n := range names {
		if i == show {
			break
		}
		q = append(q, excerpt.Quote(n))
	}
	s := strings.Join(q, ", ")
	if len(names) > show {
		s += fmt.Sprintf(" and %d more", len(names)-show)
	}
	if len(names) == 1 {
		return "part " + s
	}
	return "parts " + s
}
