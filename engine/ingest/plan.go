package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// Extensions are the file endings of the billing files a folder is
// searched for (besides manifests): the endings of every format's files.
var Extensions = Formats.Extensions()

// IsBillingFileName tells whether a file name looks like a billing file
// or a manifest, for picking files out of a folder.
func IsBillingFileName(name string) bool {
	if isManifestName(name) {
		return true
	}
	name = strings.ToLower(name)
	for _, ext := range Extensions {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// Plan is what one import will read: every data file, each with the
// delivery group it belongs to. Files of one group are parts of one
// delivery; each group becomes one delivery per provider month and payer.
type Plan struct {
	Files []PlannedFile
	// Skipped says what was left out of a folder and why (files of an
	// assembly its month's manifest no longer lists).
	Skipped []string
}

// PlannedFile is one data file to read.
type PlannedFile struct {
	Path   string
	Origin Origin
	// Number is the part number, 0 for a whole file.
	Number int
	// Group identifies the delivery the file is a part of within this
	// import: the manifest, the report's assembly, or the file itself.
	Group string
}

// NewPlan expands what the accountant named: files, folders (every billing
// file inside, following the manifests they hold) and manifests (the files
// they list). A part given alone is matched with a manifest beside it
// when there is one, so that its siblings are known.
func NewPlan(paths []string) (Plan, error) {
	var p Plan
	seen := map[string]bool{}
	add := func(f PlannedFile) {
		if !seen[f.Path] {
			seen[f.Path] = true
			p.Files = append(p.Files, f)
		}
	}
	for _, path := range paths {
		st, err := os.Stat(path)
		if err != nil {
			return p, &Error{File: path, Err: notFound(err)}
		}
		switch {
		case st.IsDir():
			files, skipped, err := folderFiles(path)
			if err != nil {
				return p, &Error{File: path, Err: err}
			}
			if len(files) == 0 {
				return p, &Error{File: path, Err: kindError(ErrNotBilling, "the folder holds no billing files (%s) and no manifest", strings.Join(Extensions, ", "))}
			}
			for _, f := range files {
				add(f)
			}
			p.Skipped = append(p.Skipped, skipped...)
		case isManifestName(path):
			files, err := manifestFiles(path)
			if err != nil {
				return p, &Error{File: path, Err: err}
			}
			for _, f := range files {
				add(f)
			}
		default:
			add(loneFile(path))
		}
	}
	if len(p.Files) == 0 {
		return p, errors.New("nothing to import: name the billing files, their folder or their manifest")
	}
	return p, nil
}

func notFound(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return errors.New("there is no such file or folder")
	}
	return err
}

// manifestFiles are the data files a manifest lists, found beside it.
func manifestFiles(path string) ([]PlannedFile, error) {
	m, err := readManifest(path)
	if err != nil {
		return nil, err
	}
	files, err := m.resolve(path)
	if err != nil {
		return nil, err
	}
	return manifestPlan(path, m, files), nil
}

func manifestPlan(path string, m manifest, files []string) []PlannedFile {
	abs, _ := filepath.Abs(path)
	o := Origin{Report: m.report(), Assembly: m.assembly(), Manifest: abs}
	for _, f := range files {
		o.Listed = append(o.Listed, filepath.Base(f))
	}
	if len(files) > 0 {
		o.Folder, _ = filepath.Abs(filepath.Dir(files[0]))
	}
	out := make([]PlannedFile, len(files))
	for i, f := range files {
		n := 0
		if pn, ok := splitPartName(filepath.Base(f)); ok {
			n = pn.number
		}
		out[i] = PlannedFile{Path: f, Origin: o, Number: n, Group: "manifest:" + abs}
	}
	return out
}

// loneFile plans a file named on its own. When it is a numbered part and
// a manifest in its folder or just above lists it, it is planned as part
// of that manifest's delivery (and only it is read).
func loneFile(path string) PlannedFile {
	o, n := originOfFile(path)
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	if o.Report != "" {
		if m, mpath, ok := manifestListing(abs); ok {
			mabs, _ := filepath.Abs(mpath)
			mo := Origin{Report: m.report(), Assembly: m.assembly(), Manifest: mabs, Folder: filepath.Dir(abs)}
			for _, k := range m.keys() {
				mo.Listed = append(mo.Listed, filepath.Base(filepath.FromSlash(k)))
			}
			return PlannedFile{Path: path, Origin: mo, Number: n, Group: "manifest:" + mabs}
		}
	}
	if o.Report == "" {
		return PlannedFile{Path: path, Group: "file:" + abs}
	}
	key := o.Folder
	switch {
	case o.Series:
		key = "series" // one series' files are parts of one delivery, from any folder
	case o.Assembly != "":
		key = o.Assembly
	}
	return PlannedFile{Path: path, Origin: o, Number: n, Group: "parts:" + key + "/" + o.Report}
}

// manifestListing finds a manifest in the file's folder or the two above
// it whose keys resolve to this very file.
func manifestListing(abs string) (manifest, string, bool) {
	dir := filepath.Dir(abs)
	for up := 0; up <= 2; up++ {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.IsDir() || !isManifestName(e.Name()) {
				continue
			}
			mp := filepath.Join(dir, e.Name())
			m, err := readManifest(mp)
			if err != nil {
				continue
			}
			for _, k := range m.keys() {
				if filepath.Base(filepath.FromSlash(k)) == filepath.Base(abs) && findKey(dir, k) == abs {
					return m, mp, true
				}
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return manifest{}, "", false
}

// folderFiles plans every billing file below dir. Manifests decide first:
// of the manifests of one report month, the month's own manifest (which
// lists the current assembly's files in a subfolder) wins over the
// assembly folders' copies, so that a downloaded bucket with several runs
// of a month imports the latest run only; the files of the other runs
// are skipped and said so. Files no manifest lists are planned alone.
func folderFiles(dir string) ([]PlannedFile, []string, error) {
	var manifests, data []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // an unreadable subfolder: keep the rest
		}
		if strings.HasPrefix(d.Name(), ".") && path != dir {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case d.IsDir():
		case isManifestName(d.Name()):
			manifests = append(manifests, path)
		case IsBillingFileName(d.Name()):
			data = append(data, path)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	type found struct {
		path  string
		m     manifest
		files []string
		month bool // the month's own manifest: its files sit in a subfolder
	}
	byMonth := map[string][]found{}
	var order []string
	for _, mp := range manifests {
		m, err := readManifest(mp)
		if err != nil {
			return nil, nil, &Error{File: mp, Err: err}
		}
		files, err := m.resolve(mp)
		if err != nil {
			files = nil // checked below for the manifests that are used
		}
		f := found{path: mp, m: m, files: files}
		for _, p := range files {
			if filepath.Dir(p) != filepath.Dir(mp) {
				f.month = true
			}
		}
		key := m.report() + "\x00" + string(bytes.TrimSpace(m.BillingPeriod))
		if len(m.BillingPeriod) == 0 {
			key += "\x00" + filepath.Dir(mp) // Data Exports: one manifest per partition folder
		}
		if _, ok := byMonth[key]; !ok {
			order = append(order, key)
		}
		byMonth[key] = append(byMonth[key], f)
	}
	var out []PlannedFile
	var skipped []string
	covered := map[string]bool{}
	for _, key := range order {
		group := byMonth[key]
		use := group
		if i := slices.IndexFunc(group, func(f found) bool { return f.month }); i >= 0 {
			use = []found{group[i]}
		}
		usedFiles := map[string]bool{}
		for _, f := range use {
			if f.files == nil {
				if _, err := f.m.resolve(f.path); err != nil {
					return nil, nil, &Error{File: f.path, Err: err}
				}
			}
			for _, p := range f.files {
				usedFiles[p] = true
			}
		}
		seenSet := map[string]bool{}
		for _, f := range use {
			set := strings.Join(f.files, "\x00")
			if seenSet[set] {
				continue // a copy of a manifest already used
			}
			seenSet[set] = true
			out = append(out, manifestPlan(f.path, f.m, f.files)...)
			for _, p := range f.files {
				covered[p] = true
			}
		}
		for _, f := range group {
			covered[f.path] = true
			n := 0
			for _, p := range f.files {
				if !usedFiles[p] && !covered[p] {
					covered[p] = true
					n++
				}
			}
			if n > 0 {
				skipped = append(skipped, fmt.Sprintf("%d files of the earlier run %s (%s): the month's manifest lists a later one", n, f.m.assembly(), filepath.Dir(f.files[0])))
			}
		}
	}
	sort.Strings(data)
	for _, p := range data {
		if !covered[p] {
			out = append(out, loneFile(p))
		}
	}
	return out, skipped, nil
}
