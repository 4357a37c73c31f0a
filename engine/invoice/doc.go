// Package invoice turns a customer's billing statement into the document
// the customer receives, and keeps it from then on: a Draft the accountant
// may regenerate or delete, an Open invoice that is numbered and immutable,
// Closed once paid, Void when cancelled, Past Due when Open after its due
// date. Corrections to an issued invoice are credit notes (and, where
// needed, a new invoice), never edits.
//
// It is pure: standard library, decimal and the other engine packages
// only. It never reads the clock (callers pass now and dates) and never
// stores anything: every function takes values and returns new values, so
// the store can apply a change, its numbering counter and its audit entry
// in one transaction, and a test can check every rule with plain values:
//
//	st, _ := month.Statement(cust, ledger, billing.Options{Tax: true})
//	if reason, empty := invoice.NothingToBill(st); empty { report(reason) }
//	draft, _ := invoice.NewDraft(id, st, cust, profile, now)
//	open, next, _ := draft.Approve(invoice.InvoiceNumbering(profile.NumberFormat, next), invoice.DateOf(now), now)
//	entry, _ := invoice.NewEntry(head, now, invoice.ActionApprove, open.ID, before, after)
//
// The files by concern: invoice.go (the stored value and its snapshots),
// figures.go (the printed figures copied from a statement), status.go and
// transition.go (statuses and the allowed changes), lifecycle.go (draft,
// approve, close, void, regenerate), number.go (gapless numbering, moved
// forward only on purpose), standing.go (which invoice stands for a month
// and the account-months it holds against other customers),
// creditnote.go, diff.go and correction.go (corrections after issue),
// view.go (display currency), change.go and tally.go (what a list shows
// beside an invoice: its change against the customer's invoice of the
// month before, a month's counts) and audit.go (the hash-chained log).
package invoice
