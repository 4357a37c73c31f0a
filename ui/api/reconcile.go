package api

import (
	"net/http"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/lineitem"
	"rebill/engine/reconcile"
)

// The reconciliation and margin reports, as `rebill reconcile --json` and
// `rebill margin --json` print them: each handler reads its query and
// calls the one store use case the CLI and the window's Reconciliation
// screen call (store.Reconcile, store.Margins).

// monthParam reads a YYYY-MM month, from the path or the query.
func monthParam(name, v string) error {
	if !customer.ValidMonth(v) {
		return errorf(http.StatusBadRequest, "bad_request", "%s %q is not a month: write it as YYYY-MM, e.g. 2026-09", name, v)
	}
	return nil
}

// providerParam reads the optional provider query parameter: "" is every
// provider with data.
func (c *call) providerParam() (string, error) {
	p := c.query("provider")
	if p != "" && !billing.Billed(lineitem.Provider(p)) {
		return "", errorf(http.StatusBadRequest, "bad_request", "provider %q is not one of aws, azure, gcp, oci (leave it out for every provider)", p)
	}
	return p, nil
}

// reconciliation is a month's bridge from the distributor's invoices to
// the customers' issued invoices, one per provider. Draft invoices are
// not in it (the bridge counts issued invoices only), so a read-only key
// sees the same as a read-write one.
func (s *Server) reconciliation(c *call) error {
	month := c.r.PathValue("month")
	if err := monthParam("month", month); err != nil {
		return err
	}
	provider, err := c.providerParam()
	if err != nil {
		return err
	}
	rec, err := s.db.Reconcile(month, provider)
	if err != nil {
		return err
	}
	c.json(http.StatusOK, rec)
	return nil
}

// marginDoc is the margin report of a month range.
type marginDoc struct {
	From string                `json:"period"`
	To   string                `json:"until"`
	Rows []reconcile.MarginRow `json:"rows"`
}

// margin is what the reseller earns per customer, provider and service
// over month..until, split by cause. Months without data add no rows.
func (s *Server) margin(c *call) error {
	from := c.r.PathValue("month")
	if err := monthParam("month", from); err != nil {
		return err
	}
	until := c.query("until")
	if until == "" {
		until = from
	}
	if err := monthParam("until", until); err != nil {
		return err
	}
	if until < from {
		return errorf(http.StatusBadRequest, "bad_request", "until %s is before the month %s: give the first month in the path and the last in until", until, from)
	}
	provider, err := c.providerParam()
	if err != nil {
		return err
	}
	rows, err := s.db.Margins(from, until, provider)
	if err != nil {
		return err
	}
	if rows == nil {
		rows = []reconcile.MarginRow{}
	}
	c.json(http.StatusOK, marginDoc{From: from, To: until, Rows: rows})
	return nil
}
