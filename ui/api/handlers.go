package api

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/document"
	"rebill/engine/ingest"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
	"rebill/engine/money"
	"rebill/store"
)

// The handlers: each parses its request, calls one store use case and
// writes the result in the shape the CLI's --json prints.

func (s *Server) customers(c *call) error {
	cs, err := s.db.Customers()
	if err != nil {
		return err
	}
	return paginate(c, cs, as)
}

func (s *Server) customer(c *call) error {
	cust, err := s.db.Customer(c.r.PathValue("id"))
	if err != nil {
		return err
	}
	c.json(http.StatusOK, cust)
	return nil
}

func (s *Server) mappings(c *call) error {
	var ms []customer.Mapping
	var err error
	if id := c.query("customer"); id != "" {
		ms, err = s.db.MappingsOf(id)
	} else {
		ms, err = s.db.Mappings()
	}
	if err != nil {
		return err
	}
	return paginate(c, ms, as)
}

// periodDoc is one provider month of one payer as imported: its current
// delivery, with its finality and parts.
type periodDoc struct {
	Period   string `json:"period"`
	Provider string `json:"provider"`
	Payer    string `json:"payer"`
	Currency string `json:"currency"`
	Final    bool   `json:"final"`
	// Confirmed is set when Final is the accountant's word, not the files'.
	Confirmed     *ingest.Confirmation `json:"confirmed,omitempty"`
	Rows          int64                `json:"rows"`
	UnblendedCost decimal.Decimal      `json:"unblended_cost"`
	Accounts      int                  `json:"accounts"`
	InvoiceIDs    []string             `json:"invoice_ids"` // the provider's invoice ids, once final
	Delivery      deliveryDoc          `json:"delivery"`
}

// deliveryDoc is a delivery as a period lists it.
type deliveryDoc struct {
	ID          uint64    `json:"id"`
	ImportID    uint64    `json:"import_id"`
	LatestUsage time.Time `json:"latest_usage"`
	Parts       []partDoc `json:"parts"`
}

type partDoc struct {
	File          string          `json:"file"`
	Rows          int64           `json:"rows"`
	UnblendedCost decimal.Decimal `json:"unblended_cost"`
	Final         bool            `json:"final"`
	SHA256        string          `json:"sha256"`
}

func periodOf(p store.Period) (any, error) {
	d := periodDoc{Period: p.Period, Provider: string(p.Provider), Payer: p.Payer, Currency: p.Currency, Final: p.Final, Confirmed: p.Confirmed,
		Rows: p.Rows, UnblendedCost: p.UnblendedCost, Accounts: len(p.Accounts), InvoiceIDs: p.InvoiceIDs,
		Delivery: deliveryDoc{ID: p.ID, ImportID: p.ImportID, LatestUsage: p.LatestUsage, Parts: []partDoc{}}}
	if d.InvoiceIDs == nil {
		d.InvoiceIDs = []string{}
	}
	for _, pt := range p.Parts {
		d.Delivery.Parts = append(d.Delivery.Parts, partDoc{File: pt.Name, Rows: pt.Rows, UnblendedCost: pt.UnblendedCost, Final: pt.Final, SHA256: pt.Hash})
	}
	return d, nil
}

func (s *Server) periods(c *call) error {
	ps, err := s.db.Periods()
	if err != nil {
		return err
	}
	return paginate(c, ps, periodOf)
}

// statementDoc is a customer's statement for a month, as `rebill report
// --json` prints it, and whether the month's data is final.
type statementDoc struct {
	*billing.Statement
	Final bool `json:"final"`
	// Invoiced is the issued invoice that stands for the month, with its
	// figures against the month computed again (store.Report); absent
	// while the month is not invoiced.
	Invoiced *invoice.Reported `json:"invoiced,omitempty"`
}

// statement computes a customer's month as it would be invoiced, with
// the options of the query; nothing is stored.
func (s *Server) statement(c *call) error {
	month := c.r.PathValue("month")
	if !customer.ValidMonth(month) {
		return errorf(http.StatusBadRequest, "bad_request", "%q is not a month: write it as YYYY-MM, e.g. 2026-09", month)
	}
	var opt billing.Options
	for _, f := range []struct {
		name string
		to   *bool
	}{{"credits", &opt.Credits}, {"tax", &opt.Tax}, {"marketplace", &opt.Marketplace}, {"marketplace_credits", &opt.MarketplaceCredits}} {
		v, err := c.flag(f.name)
		if err != nil {
			return err
		}
		*f.to = v
	}
	if b := c.query("basis"); b != "" {
		opt.Basis = customer.CostBasis(b)
		if !slices.Contains(append(slices.Clone(customer.CostBases), customer.BasisBlended), opt.Basis) {
			return errorf(http.StatusBadRequest, "bad_request", "basis %q is not one of rerated, unblended, public, blended", b)
		}
	}
	if p := c.query("provider"); p != "" {
		opt.Provider = lineitem.Provider(p)
		if !billing.Billed(opt.Provider) {
			return errorf(http.StatusBadRequest, "bad_request", "provider %q is not one of aws, azure, gcp, oci", p)
		}
	}
	id := c.r.PathValue("id")
	bm, err := s.months.of(s.db, month, id)
	if err != nil {
		return err
	}
	r, err := bm.Report(id, opt)
	if err != nil {
		return err
	}
	c.json(http.StatusOK, statementDoc{Statement: r.Statement, Final: bm.Final(), Invoiced: r.Invoiced})
	return nil
}

// invoices lists invoices and credit notes; a read-only key's list, page
// and total leave drafts out.
func (s *Server) invoices(c *call) error {
	f := store.InvoiceFilter{Period: c.query("period"), Customer: c.query("customer")}
	if f.Period != "" && !customer.ValidMonth(f.Period) {
		return errorf(http.StatusBadRequest, "bad_request", "period %q is not a month: write it as YYYY-MM, e.g. 2026-09", f.Period)
	}
	if v := c.query("status"); v != "" {
		st, err := invoice.ParseStatus(v)
		if err != nil {
			return errorf(http.StatusBadRequest, "bad_request", "%v", err)
		}
		f.Status = st
	}
	switch k := invoice.Kind(c.query("kind")); k {
	case "", invoice.KindInvoice, invoice.KindCreditNote:
		f.Kind = k
	default:
		return errorf(http.StatusBadRequest, "bad_request", "kind %q is not invoice or credit_note", k)
	}
	list, err := s.db.InvoiceList(f, c.now, false)
	if err != nil {
		return err
	}
	seen := make([]invoice.Invoice, 0, len(list.Invoices))
	for _, inv := range list.Invoices {
		if c.key.Scope.MaySee(inv) {
			seen = append(seen, inv)
		}
	}
	// The list is found from the documents' listings, which hold what
	// lists show; a page's documents are then read whole, so that every
	// field an item prints is the document's (a listing has no tax lines,
	// discount percentage or generation time, and zeros would read as
	// figures).
	return paginate(c, seen, func(listed invoice.Invoice) (any, error) {
		inv, err := s.db.Invoice(listed.ID)
		if errors.Is(err, store.ErrNotFound) {
			inv, err = listed, nil // deleted since it was listed
		}
		if err != nil {
			return nil, err
		}
		return inv.ListedJSONAt(c.now, list.Balances)
	})
}

// visible reads the invoice of the path, as a read-only key may see it:
// a draft is answered as not found, exactly like an id that does not
// exist, so a read-only key cannot even learn that a draft exists.
func (s *Server) visible(c *call) (invoice.Invoice, error) {
	ref := c.r.PathValue("id")
	inv, err := s.db.Invoice(ref)
	if err != nil {
		return inv, err
	}
	if !c.key.Scope.MaySee(inv) {
		return inv, errorf(http.StatusNotFound, "not_found", "there is no invoice %q", ref)
	}
	return inv, nil
}

// invoice answers one invoice in full with, on an Open invoice, what was
// credited and paid on it and the balance, as `rebill invoices show
// --json` prints it.
func (s *Server) invoice(c *call) error {
	inv, err := s.visible(c)
	if err != nil {
		return err
	}
	inv, rel, err := s.db.InvoiceRelated(inv.ID)
	if err != nil {
		return err
	}
	doc, err := inv.SettledJSONAt(c.now, rel.Settlement)
	if err != nil {
		return err
	}
	c.json(http.StatusOK, doc)
	return nil
}

// invoice writes one invoice in full, as `rebill invoices show --json`.
func (c *call) invoice(status int, inv invoice.Invoice) error {
	doc, err := inv.JSONAt(c.now, false)
	if err != nil {
		return err
	}
	c.json(status, doc)
	return nil
}

// document renders an invoice as a file; the export is recorded in the
// audit log with the document's hash, as every export is. The document
// is rendered whole before the response starts, so a failure is an error
// response, never half a file. Visibility is checked first: a document
// visible once stays visible (an issued invoice never becomes a draft).
func (s *Server) document(c *call) error {
	f, err := document.ParseFormat(c.query("format"))
	if err != nil {
		return errorf(http.StatusBadRequest, "bad_request", "%v", err)
	}
	inv, err := s.visible(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	got, err := s.db.ExportInvoice(store.ExportRequest{Invoice: inv.ID, Format: f, Now: c.now, Ctx: c.r.Context()}, &buf)
	if err != nil {
		return err
	}
	name := inv.Number
	if name == "" {
		name = "draft-" + inv.ID
	}
	if f == document.FormatDetailCSV {
		name += "-detail"
	}
	h := c.w.Header()
	h.Set("Content-Type", f.MediaType())
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+f.Ext()))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("X-Content-SHA256", got.SHA256)
	h.Set("Cache-Control", "no-store")
	c.w.WriteHeader(http.StatusOK)
	c.wrote = true
	if c.r.Method != http.MethodHead {
		_, err = buf.WriteTo(c.w)
	}
	return err
}

// approve issues a draft: Open, with the next number of the series.
func (s *Server) approve(c *call) error {
	if err := c.body(&struct{}{}); err != nil {
		return err
	}
	as, err := s.db.ApproveInvoices([]string{c.r.PathValue("id")}, c.now)
	if err != nil {
		return err
	}
	a := as[0]
	if a.Invoice == nil {
		return errorf(http.StatusConflict, "refused", "%s", a.Refused)
	}
	return c.invoice(http.StatusOK, *a.Invoice)
}

// closeRequest is the body of close.
type closeRequest struct {
	PaidOn    string `json:"paid_on"`
	Reference string `json:"reference"`
}

// close records an Open invoice as paid.
func (s *Server) close(c *call) error {
	var req closeRequest
	if err := c.body(&req); err != nil {
		return err
	}
	if req.PaidOn == "" {
		return errorf(http.StatusBadRequest, "bad_request", "paid_on is required: the day the payment was received, YYYY-MM-DD")
	}
	paid, err := invoice.ParseDate(req.PaidOn)
	if err != nil {
		return errorf(http.StatusBadRequest, "bad_request", "paid_on: %v", err)
	}
	inv, err := s.db.CloseInvoice(c.r.PathValue("id"), paid, strings.TrimSpace(req.Reference), c.now)
	if err != nil {
		return refused(err)
	}
	return c.invoice(http.StatusOK, inv)
}

// reasonRequest is the body of void.
type reasonRequest struct {
	Reason string `json:"reason"`
}

// void cancels an Open invoice; it keeps its number.
func (s *Server) void(c *call) error {
	var req reasonRequest
	if err := c.body(&req); err != nil {
		return err
	}
	if strings.TrimSpace(req.Reason) == "" {
		return errorf(http.StatusBadRequest, "bad_request", "reason is required: it is printed on the voided document")
	}
	inv, err := s.db.VoidInvoice(c.r.PathValue("id"), req.Reason, c.now)
	if err != nil {
		return refused(err)
	}
	return c.invoice(http.StatusOK, inv)
}

// creditRequest is the body of credit-notes.
type creditRequest struct {
	// Amount is what to credit, tax included, as a decimal string; empty
	// credits all that is left.
	Amount string `json:"amount"`
	Reason string `json:"reason"`
}

// creditNote issues a credit note against an Open or Closed invoice.
func (s *Server) creditNote(c *call) error {
	var req creditRequest
	if err := c.body(&req); err != nil {
		return err
	}
	if strings.TrimSpace(req.Reason) == "" {
		return errorf(http.StatusBadRequest, "bad_request", "reason is required: it is printed on the credit note")
	}
	var amount decimal.Decimal
	if req.Amount != "" {
		var err error
		if amount, err = money.Parse([]byte(req.Amount)); err != nil || !amount.IsPositive() {
			return errorf(http.StatusBadRequest, "bad_request", "amount %q is not a positive amount: write it as \"100\" or \"99.50\"", req.Amount)
		}
	}
	note, err := s.db.IssueCreditNote(store.CreditRequest{Invoice: c.r.PathValue("id"), Amount: amount, Reason: req.Reason, Now: c.now})
	if err != nil {
		return refused(err)
	}
	return c.invoice(http.StatusCreated, note)
}
