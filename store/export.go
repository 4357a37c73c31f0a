package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"

	"rebill/engine/billing"
	"rebill/engine/document"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
)

// Format is a document format an invoice is exported in.
type Format string

// Formats.
const (
	FormatPDF  Format = "pdf"
	FormatXLSX Format = "xlsx"
	// FormatCSV is the invoice's printed lines and totals.
	FormatCSV Format = "csv"
	// FormatDetailCSV is the customer's source line items of the month at
	// full precision, the export that reconciles to the penny.
	FormatDetailCSV Format = "detail-csv"
)

// Formats lists the formats in the order they are offered.
var Formats = []Format{FormatPDF, FormatXLSX, FormatCSV, FormatDetailCSV}

// ParseFormat reads a format name, any case.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	for _, k := range Formats {
		if f == k {
			return f, nil
		}
	}
	return "", fmt.Errorf("format %q is not one of pdf, xlsx, csv, detail-csv", s)
}

// Ext is the file name extension of the format.
func (f Format) Ext() string {
	if f == FormatDetailCSV {
		return ".csv"
	}
	return "." + string(f)
}

// Display asks for an invoice shown in another currency. The stored
// invoice keeps its own; only the document is converted.
type Display struct {
	Currency string
	// Rate is how many Currency one unit of the invoice's currency buys;
	// zero takes the rate entered for the pair and the invoice's month
	// (rebill rates), with its source.
	Rate decimal.Decimal
	// Source is printed with the rate; "" says the issuer stated it (or
	// the entered rate's source).
	Source string
	// Date is printed with the rate; zero is the export's day.
	Date invoice.Date
}

// ExportRequest asks for one document.
type ExportRequest struct {
	Invoice string // id or number
	Format  Format
	Display *Display // nil: the invoice's own currency
	Now     time.Time
}

// Exported says what was written: it is also what the audit entry of the
// export records, with the document's SHA-256, so a document a customer
// shows later can be matched to the one Rebill sent.
type Exported struct {
	Invoice    string        `json:"invoice"` // id
	Number     string        `json:"number,omitempty"`
	Format     Format        `json:"format"`
	Conversion *invoice.Rate `json:"conversion,omitempty"`
	Bytes      int64         `json:"bytes"`
	SHA256     string        `json:"sha256"`
	// Audit is the audit log's end the document prints (PDF and
	// workbook); nil for the formats that print none.
	Audit *invoice.Head `json:"audit_head,omitempty"`
}

// ExportInvoice writes an invoice (or credit note) as a document to w and
// records the export in the audit log. All documents are rendered from
// the stored invoice value, so they agree to the cent; the detailed ones
// stream the customer's line items of the month (ScanCustomerItems), as
// the store holds them now. A draft exports with its DRAFT watermark. PDFs
// and workbooks carry the audit log's end (document.AuditText).
func (db *DB) ExportInvoice(req ExportRequest, w io.Writer) (Exported, error) {
	var inv invoice.Invoice
	var head invoice.Head
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		if inv, err = resolveInvoice(tx, req.Invoice); err != nil {
			return err
		}
		head, err = auditHead(tx)
		return err
	})
	if err != nil {
		return Exported{}, err
	}
	v := inv.View()
	if req.Display != nil {
		if req.Format == FormatDetailCSV {
			return Exported{}, errors.New("the detail CSV lists the provider's line items in their own currency: a display currency applies to pdf, xlsx and csv")
		}
		if v, err = db.displayView(inv, *req.Display, req.Now); err != nil {
			return Exported{}, err
		}
	}
	// The PDF and the workbook print the audit log's end as it was before
	// this export (the export's own entry records the document's hash,
	// so it cannot be printed in it): a copy kept outside the database
	// lets anyone see later whether the log still leads there.
	v.Audit = &head
	var items document.Items
	if req.Format == FormatXLSX || req.Format == FormatDetailCSV {
		if items, err = db.detailItems(inv); err != nil {
			return Exported{}, err
		}
	}
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(w, h)}
	switch req.Format {
	case FormatPDF:
		err = document.PDF(cw, v)
	case FormatXLSX:
		err = document.XLSX(cw, v, items)
	case FormatCSV:
		err = document.CSV(cw, v)
	case FormatDetailCSV:
		err = document.DetailCSV(cw, v, items)
	default:
		_, err = ParseFormat(string(req.Format))
	}
	if err != nil {
		return Exported{}, err
	}
	out := Exported{Invoice: inv.ID, Number: inv.Number, Format: req.Format, Conversion: v.Conversion,
		Bytes: cw.n, SHA256: hex.EncodeToString(h.Sum(nil))}
	if (req.Format == FormatPDF || req.Format == FormatXLSX) && head.Seq > 0 {
		out.Audit = &head
	}
	rec, err := json.Marshal(out)
	if err != nil {
		return Exported{}, err
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		return appendAuditRaw(tx, req.Now, invoice.ActionExport, inv.ID, nil, rec)
	})
	return out, err
}

// detailItems streams the customer's line items of the invoice's month
// with each one's charge on the invoice: the month read at the invoice's
// own exchange rates (Invoice.RateFunc), charged to the customer in the
// invoice's currency with the invoice's options, by the same rules as its
// statement, so the billed amounts add up to the invoice's unrounded
// lines while the data is unchanged. A credit note's items carry no
// charge (its figures are the negated invoice's).
func (db *DB) detailItems(inv invoice.Invoice) (document.Items, error) {
	var ch *billing.Charger
	if inv.Kind != invoice.KindCreditNote {
		bm, err := db.billingMonth(inv.Period, inv.RateFunc, inv.Deliveries)
		if err != nil {
			return nil, fmt.Errorf("the charges of the detail: %w", err)
		}
		c, ok := bm.Customer(inv.CustomerID)
		if !ok {
			return nil, fmt.Errorf("%w: customer %s of the invoice no longer exists", ErrNotFound, inv.CustomerID)
		}
		c.Currency = inv.Currency
		if ch, err = bm.Month.Charger(c, inv.Options); err != nil {
			return nil, fmt.Errorf("the charges of the detail: %w", err)
		}
	}
	return func(yield func(document.DetailItem) error) error {
		return db.scanInvoiceItems(inv, func(it *lineitem.Item) error {
			di := document.DetailItem{Item: it}
			if ch != nil {
				c, err := ch.Charge(it)
				if err != nil {
					return err
				}
				di.Charge = &c
			}
			return yield(di)
		})
	}, nil
}

// displayView converts the invoice for display, taking the entered rate
// for the pair and month when none is given.
func (db *DB) displayView(inv invoice.Invoice, d Display, now time.Time) (invoice.View, error) {
	to := strings.ToUpper(strings.TrimSpace(d.Currency))
	rate, source := d.Rate, strings.TrimSpace(d.Source)
	if rate.IsZero() && to != inv.Currency {
		r, src, err := db.RateFunc()(inv.Currency, to, inv.Period)
		if err != nil {
			return invoice.View{}, fmt.Errorf("no display rate given for %s and none entered: %w; or give the rate with the export", to, err)
		}
		rate = r
		if source == "" {
			source = src
		}
	}
	if source == "" {
		source = "rate stated by " + inv.Seller.CompanyName
	}
	on := d.Date
	if on.IsZero() {
		on = invoice.DateOf(now)
	}
	return inv.Convert(to, rate, source, on)
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
