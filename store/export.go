package store

import (
	"context"
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
	"rebill/engine/customer"
	"rebill/engine/document"
	"rebill/engine/einvoice"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
)

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
	// Format is the document's format, named as document.ParseFormat
	// reads it ("pdf", "PDF", "detail-csv").
	Format  document.Format
	Display *Display // nil: the invoice's own currency
	Now     time.Time
	// Done, when set, is called once the whole document is written, to
	// finish what it was written to (close the file, move it in place);
	// the export is recorded only when it returns nil.
	Done func() error
	// Ctx, when set, stops the export once it is cancelled: the window's
	// Cancel, an API client gone. The workbook writes nothing until its
	// last line item is read, so the items are where it stops.
	Ctx context.Context
}

// Exported says what was written: it is also what the audit entry of the
// export records, with the document's SHA-256, so a document a customer
// shows later can be matched to the one Rebill sent.
type Exported struct {
	Invoice    string          `json:"invoice"` // id
	Number     string          `json:"number,omitempty"`
	Format     document.Format `json:"format"`
	Conversion *invoice.Rate   `json:"conversion,omitempty"`
	Bytes      int64           `json:"bytes"`
	SHA256     string          `json:"sha256"`
	// Audit is the audit log's end the document prints (PDF and
	// workbook); nil for the formats that print none.
	Audit *invoice.Head `json:"audit_head,omitempty"`
}

// ErrEmptyDocument refuses an export that wrote nothing: a document with
// no bytes is never sent nor recorded.
var ErrEmptyDocument = errors.New("the document came out empty")

// ExportInvoice writes an invoice (or credit note) as a document to w and
// records the export in the audit log. All documents are rendered from
// the stored invoice value, so they agree to the cent; the detailed ones
// stream the line items the invoice was computed from. A draft exports
// with its DRAFT watermark. PDFs and workbooks carry the audit log's end
// (document.AuditText).
//
// Everything the document is made of (the invoice, the audit log's end,
// the display rate, the month's line items and mappings) is read in one
// read transaction, so the document is one state of the database; the
// export is appended to the audit log afterwards, in a write transaction
// of its own, and only once the whole document is written (and Done, if
// any, succeeded): an export that fails, or writes nothing, is not
// recorded.
func (db *DB) ExportInvoice(req ExportRequest, w io.Writer) (Exported, error) {
	f, err := document.ParseFormat(string(req.Format))
	if err != nil {
		return Exported{}, err
	}
	if req.Display != nil && !f.Converts() {
		return Exported{}, errors.New("the detail CSV lists the provider's line items in their own currency: a display currency applies to pdf, xlsx and csv")
	}
	var out Exported
	err = db.bolt.View(func(tx *bolt.Tx) error {
		inv, err := resolveInvoice(tx, req.Invoice)
		if err != nil {
			return err
		}
		head, err := auditHead(tx)
		if err != nil {
			return err
		}
		v := inv.View()
		if req.Display != nil {
			if v, err = displayView(tx, inv, *req.Display, req.Now); err != nil {
				return err
			}
		}
		// A copy made after a credit note or a payment shows them under
		// the total and asks for the balance.
		if v.Settlement, err = settlementOf(tx, inv); err != nil {
			return err
		}
		// The PDF and the workbook print the audit log's end as it was
		// before this export (the export's own entry records the
		// document's hash, so it cannot be printed in it): a copy kept
		// outside the database lets anyone see later whether the log
		// still leads there.
		v.Audit = &head
		var items document.Items
		if f.ListsItems() {
			if items, err = detailItems(req.Ctx, tx, inv); err != nil {
				return err
			}
		}
		h := sha256.New()
		cw := &countWriter{w: io.MultiWriter(w, h)}
		if err := document.Render(cw, f, v, items); err != nil {
			if errors.Is(err, einvoice.ErrIncomplete) && inv.Number != "" {
				again := "credit it and issue it again to give it one"
				if inv.Kind == invoice.KindCreditNote {
					again = "void it and issue a new credit note to give it one"
				}
				return fmt.Errorf("%s: %w (%s: %s)", inv.Label(), err, einvoice.KeptDetails, again)
			}
			return err
		}
		if cw.n == 0 {
			return fmt.Errorf("%w: %s as %s; nothing was recorded", ErrEmptyDocument, inv.Label(), f)
		}
		out = Exported{Invoice: inv.ID, Number: inv.Number, Format: f, Conversion: v.Conversion,
			Bytes: cw.n, SHA256: hex.EncodeToString(h.Sum(nil))}
		if f.PrintsAudit() && head.Seq > 0 {
			out.Audit = &head
		}
		return nil
	})
	if err != nil {
		return Exported{}, err
	}
	if req.Done != nil {
		if err := req.Done(); err != nil {
			return Exported{}, err
		}
	}
	rec, err := json.Marshal(out)
	if err != nil {
		return Exported{}, err
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		return appendAuditRaw(tx, req.Now, invoice.ActionExport, out.Invoice, nil, rec)
	})
	return out, err
}

// detailItems streams the customer's line items of the invoice's month
// with each one's charge on the invoice: the month read at the invoice's
// own exchange rates (Invoice.RateFunc), charged to the customer in the
// invoice's currency with the invoice's options, by the same rules as its
// statement, so the billed amounts add up to the invoice's unrounded
// lines while the data is unchanged. A credit note's items carry no
// charge (its figures are the negated invoice's). The items are read
// from tx when the document is rendered, inside it, until ctx (when not
// nil) is cancelled.
func detailItems(ctx context.Context, tx *bolt.Tx, inv invoice.Invoice) (document.Items, error) {
	var ch *billing.Charger
	if inv.Kind != invoice.KindCreditNote {
		bm, err := readBillingMonth(tx, monthRead{period: inv.Period, atRates: inv.RateFunc, deliveries: inv.Deliveries,
			customers: &customer.Selection{Customers: []string{inv.CustomerID}}})
		if err != nil {
			return nil, fmt.Errorf("the charges of the detail: %w", err)
		}
		c, ok := bm.Customer(inv.CustomerID)
		if !ok {
			return nil, customer.NotFound("customer %s of the invoice no longer exists", inv.CustomerID)
		}
		c = c.At(inv.Period) // the terms the month was priced with, in the invoice's currency
		c.Currency = inv.Currency
		if ch, err = bm.Month.Charger(c, inv.Options); err != nil {
			return nil, fmt.Errorf("the charges of the detail: %w", err)
		}
	}
	return func(yield func(document.DetailItem) error) error {
		n := 0
		return scanInvoiceItems(tx, inv, func(it *lineitem.Item) error {
			if n++; ctx != nil && n%cancelCheckRows == 1 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
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

// cancelCheckRows is how often a long read looks whether it was
// cancelled (at its first row, then every cancelCheckRows): a few
// milliseconds of work.
const cancelCheckRows = 4096

// displayView converts the invoice for display, taking the entered rate
// for the pair and month (as a statement looks it up) when none is given.
func displayView(tx *bolt.Tx, inv invoice.Invoice, d Display, now time.Time) (invoice.View, error) {
	to := strings.ToUpper(strings.TrimSpace(d.Currency))
	rate, source := d.Rate, strings.TrimSpace(d.Source)
	if rate.IsZero() && to != inv.Currency {
		rates, err := allRates(tx)
		if err != nil {
			return invoice.View{}, err
		}
		r, src, err := billing.NewRateTable(rates).Lookup(inv.Currency, to, inv.Period)
		if err != nil {
			// The statement's own wording names the rate and where it is
			// entered; a display rate given with the export does as well.
			return invoice.View{}, fmt.Errorf("%w; or give the display rate with the export", &billing.RateError{From: inv.Currency, To: to, Period: inv.Period, Err: err})
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
