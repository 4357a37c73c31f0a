package store

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"

	"rebill/engine/customer"
	"rebill/engine/ingest"
	"rebill/engine/invoice"
	"rebill/engine/period"
)

// A month's close is kept per provider (bucketPeriodStatus, keyed
// provider + 0x00 + YYYY-MM) as a period.Record: its status, every close
// and reopen, and the late adjustments imported while it was closed.
// Each close and reopen is appended to the audit log in the same
// transaction. Holidays (bucketHolidays) are the accountant's, per
// country.

func periodKey(provider, month string) []byte { return []byte(provider + "\x00" + month) }

// getPeriodRecord reads a provider's month; period.New when never closed.
func getPeriodRecord(tx *bolt.Tx, provider, month string) (period.Record, error) {
	v := tx.Bucket(bucketPeriodStatus).Get(periodKey(provider, month))
	if v == nil {
		return period.New(provider, month), nil
	}
	var r period.Record
	if err := json.Unmarshal(v, &r); err != nil {
		return r, fmt.Errorf("the close record of %s %s is damaged in the database: %w", provider, month, err)
	}
	return r, nil
}

func putPeriodRecord(tx *bolt.Tx, r period.Record) error {
	v, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketPeriodStatus).Put(periodKey(r.Provider, r.Period), v)
}

// PeriodChange asks to close or reopen a month: every provider with data
// that month, or only Provider.
type PeriodChange struct {
	Period   string
	Provider string // "" for every provider of the month
	Reason   string
	By       string // the system user
	Now      time.Time
}

// periodAudit is what the audit log records of a close or reopen.
type periodAudit struct {
	Provider string        `json:"provider"`
	Period   string        `json:"period"`
	Status   period.Status `json:"status"`
	Event    period.Event  `json:"event"`
}

// ClosePeriod closes a month for every provider that has data in it, or
// for one: recorded with when, who and why, and in the audit log. A
// provider already closed is refused, naming when it was closed.
func (db *DB) ClosePeriod(req PeriodChange) ([]period.Record, error) {
	return db.changePeriod(req, period.ActionClose)
}

// ReopenPeriod opens a Closed month again; the reason is required.
func (db *DB) ReopenPeriod(req PeriodChange) ([]period.Record, error) {
	return db.changePeriod(req, period.ActionReopen)
}

func (db *DB) changePeriod(req PeriodChange, a invoice.Action) ([]period.Record, error) {
	if err := period.CheckMonth(req.Period); err != nil {
		return nil, err
	}
	req.Provider = strings.ToLower(strings.TrimSpace(req.Provider))
	var out []period.Record
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		providers, err := monthProviders(tx, req.Period)
		if err != nil {
			return err
		}
		if len(providers) == 0 {
			return fmt.Errorf("nothing is imported for %s: import its files first (rebill periods lists the months)", req.Period)
		}
		if req.Provider != "" {
			if !containsString(providers, req.Provider) {
				return fmt.Errorf("%s has no %s data: its providers are %s", req.Period, req.Provider, strings.Join(providers, ", "))
			}
			providers = []string{req.Provider}
		}
		for _, p := range providers {
			rec, err := getPeriodRecord(tx, p, req.Period)
			if err != nil {
				return err
			}
			if a == period.ActionClose {
				rec, err = rec.Close(req.Now, req.By, req.Reason)
			} else {
				rec, err = rec.Reopen(req.Now, req.By, req.Reason)
			}
			if err != nil {
				return err
			}
			if err := putPeriodRecord(tx, rec); err != nil {
				return err
			}
			last, _ := rec.Last()
			after, err := json.Marshal(periodAudit{Provider: p, Period: req.Period, Status: rec.Status, Event: last})
			if err != nil {
				return err
			}
			if err := appendAuditRaw(tx, req.Now, a, rec.AuditID(), nil, after); err != nil {
				return err
			}
			out = append(out, rec)
		}
		return nil
	})
	return out, err
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// monthProviders lists the providers with a current delivery in a month.
func monthProviders(tx *bolt.Tx, month string) ([]string, error) {
	ps, err := currentDeliveries(tx, month)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range ps {
		if !containsString(out, string(p.Provider)) {
			out = append(out, string(p.Provider))
		}
	}
	sort.Strings(out)
	return out, nil
}

// PeriodRecords returns the close record of every provider month ever
// closed, keyed provider + "/" + YYYY-MM: what the Periods screen shows
// beside each month.
func (db *DB) PeriodRecords() (map[string]period.Record, error) {
	out := map[string]period.Record{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPeriodStatus).ForEach(func(k, v []byte) error {
			var r period.Record
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("the close record %q is damaged in the database: %w", k, err)
			}
			out[r.Provider+"/"+r.Period] = r
			return nil
		})
	})
	return out, err
}

// PeriodRow is one provider and payer of a month as its status shows it.
type PeriodRow struct {
	Provider      string          `json:"provider"`
	Payer         string          `json:"payer"`
	Currency      string          `json:"currency"`
	UnblendedCost decimal.Decimal `json:"unblended_cost"`
	Delivery      uint64          `json:"delivery"`
	// Final: the provider has closed the bill (an invoice id in the
	// file) or the accountant has confirmed it (Confirmed); Provisional
	// otherwise.
	Final      bool                 `json:"final"`
	Confirmed  *ingest.Confirmation `json:"confirmed,omitempty"`
	InvoiceIDs []string             `json:"invoice_ids"`
	// EarliestInvoicing is the recommended earliest day to invoice.
	EarliestInvoicing invoice.Date `json:"earliest_invoicing"`
	// Status is Open or Closed (FOCUS BillingPeriodStatus), with the last
	// close or reopen.
	Status   period.Status `json:"status"`
	ClosedAt *time.Time    `json:"closed_at"`
	ClosedBy string        `json:"closed_by,omitempty"`
	Reason   string        `json:"reason,omitempty"`
	// LateAdjustments counts the deliveries of this payer imported while
	// the month was closed.
	LateAdjustments int `json:"late_adjustments"`
}

// MonthStatus is a month's close as `period status` shows it.
type MonthStatus struct {
	Period string `json:"period"`
	// Final is true when every provider and payer of the month is final.
	Final bool `json:"final"`
	// EarliestInvoicing is five business days after month end, weekends
	// and Country's holidays (Holidays) skipped.
	EarliestInvoicing invoice.Date     `json:"earliest_invoicing"`
	Country           string           `json:"country"`
	Holidays          []period.Holiday `json:"holidays_counted"`
	Note              string           `json:"note,omitempty"`
	Rows              []PeriodRow      `json:"rows"`
	// Providers are the month's close records: status, history of closes
	// and reopens, late adjustments.
	Providers []period.Record `json:"providers"`
}

// PeriodStatus reports a month's finality and close per provider and
// payer, the recommended earliest invoicing day (the reseller profile's
// country's holidays counted), and each provider's history of closes,
// reopens and late adjustments, read in one transaction.
func (db *DB) PeriodStatus(month string) (MonthStatus, error) {
	out := MonthStatus{Period: month, Rows: []PeriodRow{}, Providers: []period.Record{}, Holidays: []period.Holiday{}}
	if err := period.CheckMonth(month); err != nil {
		return out, err
	}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		prof, err := getProfile(tx)
		if err != nil {
			return err
		}
		out.Country = prof.Country
		var days []invoice.Date
		if prof.Country == "" {
			out.Note = "the reseller profile has no country, so no holidays are counted: set it with rebill profile set country CC (e.g. FR), then enter the holidays with rebill holidays add"
		} else {
			hs, err := holidays(tx, prof.Country)
			if err != nil {
				return err
			}
			end, _ := period.MonthEnd(month)
			for _, h := range hs {
				// Only the holidays of the weeks after month end count.
				if h.Date.After(end) && h.Date.Before(end.AddDays(40)) {
					out.Holidays = append(out.Holidays, h)
					days = append(days, h.Date)
				}
			}
		}
		if out.EarliestInvoicing, err = period.EarliestInvoicing(month, days); err != nil {
			return err
		}
		ps, err := currentDeliveries(tx, month)
		if err != nil {
			return err
		}
		sort.SliceStable(ps, func(i, j int) bool {
			if ps[i].Provider != ps[j].Provider {
				return ps[i].Provider < ps[j].Provider
			}
			return ps[i].Payer < ps[j].Payer
		})
		out.Final = len(ps) > 0
		for _, p := range ps {
			rec, err := getPeriodRecord(tx, string(p.Provider), month)
			if err != nil {
				return err
			}
			if len(out.Providers) == 0 || out.Providers[len(out.Providers)-1].Provider != rec.Provider {
				out.Providers = append(out.Providers, rec)
			}
			row := PeriodRow{Provider: string(p.Provider), Payer: p.Payer, Currency: p.Currency, UnblendedCost: p.UnblendedCost,
				Delivery: p.ID, Final: p.Final, Confirmed: p.Confirmed, InvoiceIDs: p.InvoiceIDs, EarliestInvoicing: out.EarliestInvoicing, Status: rec.Status}
			if row.InvoiceIDs == nil {
				row.InvoiceIDs = []string{}
			}
			if last, ok := rec.Last(); ok {
				at := last.At
				row.ClosedAt, row.ClosedBy, row.Reason = &at, last.By, last.Reason
			}
			for _, l := range rec.Late {
				if l.Payer == p.Payer {
					row.LateAdjustments++
				}
			}
			out.Final = out.Final && p.Final
			out.Rows = append(out.Rows, row)
		}
		return nil
	})
	return out, err
}

// lateAdjustment records, when the provider's month is Closed, what the
// delivery made current (rec) changes against the one it replaced (was,
// nil for the payer's first delivery of the month): per customer, the
// account and service totals added, removed or changed. It returns nil
// for an Open month.
func lateAdjustment(tx *bolt.Tx, was *deliveryRecord, rec *deliveryRecord, r *ingest.Result) (*period.Adjustment, error) {
	pr, err := getPeriodRecord(tx, string(rec.Provider), rec.Period)
	if err != nil || !pr.IsClosed() {
		return nil, err
	}
	totals := func(d *deliveryRecord) (period.Totals, error) {
		t := period.Totals{}
		if d == nil {
			return t, nil
		}
		return t, eachUnblended(tx, d, t.Add)
	}
	before, err := totals(was)
	if err != nil {
		return nil, err
	}
	after, err := totals(rec)
	if err != nil {
		return nil, err
	}
	ms, err := allMappings(tx)
	if err != nil {
		return nil, err
	}
	closed, _ := pr.Last()
	adj := period.Adjustment{At: r.ImportedAt, By: r.By, ImportID: rec.ImportID, Provider: string(rec.Provider), Payer: rec.Payer,
		Period: rec.Period, Currency: rec.Currency, Delivery: rec.ID, ClosedAt: closed.At, Now: rec.UnblendedCost,
		Customers: period.Compare(before, after, customer.OwnersAt(ms, rec.Period))}
	if was != nil {
		adj.Previous, adj.Was = was.ID, was.UnblendedCost
	}
	pr.Late = append(pr.Late, adj)
	return &adj, putPeriodRecord(tx, pr)
}

// Holidays lists the holidays entered for a country ("" for every
// country), by country then day.
func (db *DB) Holidays(country string) ([]period.Holiday, error) {
	var out []period.Holiday
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		out, err = holidays(tx, strings.ToUpper(strings.TrimSpace(country)))
		return err
	})
	return out, err
}

func holidayKey(country string, d invoice.Date) []byte { return []byte(country + "\x00" + d.String()) }

func holidays(tx *bolt.Tx, country string) ([]period.Holiday, error) {
	out := []period.Holiday{}
	err := tx.Bucket(bucketHolidays).ForEach(func(k, v []byte) error {
		if country != "" && !strings.HasPrefix(string(k), country+"\x00") {
			return nil
		}
		var h period.Holiday
		if err := json.Unmarshal(v, &h); err != nil {
			return fmt.Errorf("holiday %q is damaged in the database: %w", k, err)
		}
		out = append(out, h)
		return nil
	})
	return out, err
}

// AddHoliday records a country's public holiday, in the audit log too. A
// day entered already for the country is refused.
func (db *DB) AddHoliday(h period.Holiday, now time.Time, by string) error {
	h.Normalize()
	if err := h.Check(); err != nil {
		return err
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		k := holidayKey(h.Country, h.Date)
		b := tx.Bucket(bucketHolidays)
		if b.Get(k) != nil {
			return fmt.Errorf("%s is a holiday of %s already: delete it first to rename it", h.Date, h.Country)
		}
		v, err := json.Marshal(h)
		if err != nil {
			return err
		}
		if err := b.Put(k, v); err != nil {
			return err
		}
		after, err := json.Marshal(struct {
			period.Holiday
			By string `json:"by,omitempty"`
		}{h, by})
		if err != nil {
			return err
		}
		return appendAuditRaw(tx, now, period.ActionHolidayAdd, "holiday:"+h.Country+":"+h.Date.String(), nil, after)
	})
}

// DeleteHoliday removes a country's holiday, in the audit log too.
func (db *DB) DeleteHoliday(country string, d invoice.Date, now time.Time, by string) error {
	country = strings.ToUpper(strings.TrimSpace(country))
	return db.bolt.Update(func(tx *bolt.Tx) error {
		k := holidayKey(country, d)
		b := tx.Bucket(bucketHolidays)
		v := b.Get(k)
		if v == nil {
			return fmt.Errorf("%s is not a holiday of %s: rebill holidays list --country %s shows them", d, country, country)
		}
		before := append([]byte(nil), v...)
		if err := b.Delete(k); err != nil {
			return err
		}
		after, err := json.Marshal(map[string]string{"deleted_by": by})
		if err != nil {
			return err
		}
		return appendAuditRaw(tx, now, period.ActionHolidayDelete, "holiday:"+country+":"+d.String(), before, after)
	})
}

// CloseWarnings says what to know before closing a month, per provider
// with data that month (or the one given): period.CloseWarnings of its
// deliveries' finality and of the distributor invoices recorded for it.
func (db *DB) CloseWarnings(month, provider string) ([]string, error) {
	if err := period.CheckMonth(month); err != nil {
		return nil, err
	}
	provider = strings.ToLower(strings.TrimSpace(provider))
	var out []string
	err := db.bolt.View(func(tx *bolt.Tx) error {
		ds, err := currentDeliveries(tx, month)
		if err != nil {
			return err
		}
		invs, err := distributorInvoices(tx, month)
		if err != nil {
			return err
		}
		final := map[string]bool{}
		var providers []string
		for _, d := range ds {
			p := string(d.Provider)
			if provider != "" && p != provider {
				continue
			}
			if _, seen := final[p]; !seen {
				providers = append(providers, p)
				final[p] = true
			}
			final[p] = final[p] && d.Final
		}
		for _, p := range providers {
			n := 0
			for _, inv := range invs {
				if inv.Provider == p {
					n++
				}
			}
			out = append(out, period.CloseWarnings(p, month, final[p], n)...)
		}
		return nil
	})
	return out, err
}
