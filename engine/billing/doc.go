// Package billing turns a month of provider line items into each customer's
// statement: re-rated, priced, supported, discounted, credited, taxed and
// rounded to the cent exactly as Rebill promises, with the usage-report
// view, the console variance and a trace behind every line.
//
// It is the pure core of Rebill: standard library, decimal and the other
// engine packages only; no store, no clock, no disk. The store feeds it and
// the window, the CLI and the API show what it returns:
//
//	m, err := billing.NewMonth(billing.Config{Period: "2026-09", Owners: owners, Rates: lookup})
//	err = db.ScanItems("2026-09", m.Add)     // one pass over the month
//	st, err := m.Statement(cust, ledger, billing.Options{Tax: true})
//	json.NewEncoder(os.Stdout).Encode(st)   // the CLI's --json
//
// A statement is computed in this order; each step's rule is documented
// where it is implemented:
//
//  1. the month's sums, one pass over the line items (month.go);
//  2. cost basis and re-rating per group of line items (rerate.go), pricing
//     rules (pricing.go) and recurring charges (lines.go);
//  3. conversion to the invoice currency and rounding of each service line
//     (lines.go, currency.go, rounding.go), in product type sections
//     (sections.go);
//  4. from the rounded lines, each rounded once: support plan (support.go,
//     its dated versions in plans.go),
//     discount or uplift (pricing.go), reseller credits (credits.go) and
//     tax (tax.go); the total as the sum of the printed figures
//     (statement.go);
//  5. the usage view (usage.go), console variance (variance.go) and line
//     traces (trace.go).
//
// Amounts never pass through float64; the month's sums use money.Sum's
// exact int64 fast path, so a month of a million line items is read in a
// fraction of a second.
package billing
