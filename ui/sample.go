package ui

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"rebill/engine/customer"
	"rebill/engine/sample"
	"rebill/store"
)

// sampleMonths are the sample files offered on an empty database, in
// import order: the month before last, final, then last month, still
// provisional, which is what an accountant sees early in a month.
func sampleMonths(now time.Time) []sample.Options {
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	return []sample.Options{
		{Rows: sample.DefaultRows, Month: first.AddDate(0, -2, 0), Seed: 1, Final: true},
		{Rows: sample.DefaultRows, Month: first.AddDate(0, -1, 0), Seed: 2, Final: false},
	}
}

// loadSample prepares the sample for import: it writes the two months'
// files (see writeSample) and saves the sample's reseller profile,
// customers, account mappings and credit (sample.CustomerSetup), so that
// the months land with their accounts already owned by customers, one
// account left unassigned. The set-up does not depend on the imported
// rows, so saving it first gives the same database as saving it after,
// and every screen refreshed by the import shows the customers at once.
func loadSample(db *store.DB, now time.Time) ([]string, func(), error) {
	months := sampleMonths(now)
	first := customer.MonthOf(months[0].Month)
	if err := db.ApplySetup(sample.CustomerSetup(first), now); err != nil {
		return nil, nil, fmt.Errorf("saving the sample customers: %w", err)
	}
	return writeSample(now)
}

// writeSample writes the sample months as CUR CSV files into a new
// temporary folder and returns them with the folder's removal.
func writeSample(now time.Time) ([]string, func(), error) {
	dir, err := os.MkdirTemp("", "rebill-sample-")
	if err != nil {
		return nil, nil, fmt.Errorf("writing the sample data: %w", err)
	}
	cleanup := func() { os.RemoveAll(dir) }
	var files []string
	for _, opt := range sampleMonths(now) {
		path := filepath.Join(dir, "sample-aws-cur-"+opt.Month.Format("2006-01")+".csv")
		if err := writeSampleFile(path, opt); err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("writing the sample data: %w", err)
		}
		files = append(files, path)
	}
	return files, cleanup, nil
}

func writeSampleFile(path string, opt sample.Options) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if _, err := sample.WriteCSV(w, opt); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
