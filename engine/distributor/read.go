package distributor

import (
	"context"
	"time"

	"rebill/engine/ingest"
	"rebill/engine/lineitem"
)

// ReadDetail reads a distributor's detail file (or folder, or manifest)
// in any provider format Rebill imports, without storing its rows, and
// sums it into invoices (see Detail). number is the accountant's invoice
// number for rows without an invoice id ("" for none). A file Rebill
// cannot read is refused as an import would refuse it (file, line,
// column).
func ReadDetail(ctx context.Context, path, number string) ([]Invoice, error) {
	var d Detail
	if _, err := ingest.Import(ctx, []string{path}, &summing{d: &d}, ingest.Options{Now: time.Unix(0, 0)}); err != nil {
		return nil, err
	}
	return d.Invoices(path, number)
}

// summing is an ingest.Destination that keeps nothing but the sums: no
// file was imported before, and every row goes to a Detail.
type summing struct{ d *Detail }

func (s *summing) HasFileOfSize(int64) (bool, error)                 { return false, nil }
func (s *summing) FindFile(string) (ingest.Known, bool, error)       { return ingest.Known{}, false, nil }
func (s *summing) BeginImport(*ingest.Result) (ingest.Writer, error) { return s, nil }

func (s *summing) Write(_ int, items []lineitem.Item) error {
	for i := range items {
		s.d.Add(&items[i])
	}
	return nil
}

func (s *summing) Commit(r *ingest.Result, read []ingest.Delivery) error {
	r.Deliveries = read
	return nil
}

func (s *summing) Abort() error { return nil }
