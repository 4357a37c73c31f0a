package ingest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"rebill/engine/excerpt"
	"rebill/engine/read"
)

// Step is one change an import makes to a month: the delivery that
// becomes current, and how.
type Step struct {
	// Delivery becomes the month's current delivery. Its Status says
	// how: Imported (the month had none), Joined (the current delivery
	// with more parts) or Replaced; Previous is the one it supersedes.
	Delivery Delivery
}

// Resolve decides what the deliveries an import brings for one provider
// month and payer do to the month's current delivery (nil when it has
// none). It is the rule that keeps a month whole and fresh:
//
//   - parts of the current delivery's report and assembly that do not
//     make a whole delivery on their own join it (a part imported on its
//     own never replaces its siblings); so do the files of a series
//     (Origin.Series: OCI's cost reports), each of which adds to the
//     month, unless they hold every file the current delivery has, and
//     so are the month as whole as it is known;
//   - any other delivery must be complete: a manifest's parts all there,
//     or part numbers 1…n without a gap; otherwise it is refused naming
//     what is missing;
//   - a delivery of the other view of cost (Delivery.CostView: Azure's
//     actual and amortized exports of one month and billing account)
//     never replaces the current one unless replace says the accountant
//     chooses it; it is refused naming both views and what each bills;
//   - it replaces the current delivery only when it is at least as final
//     (final beats provisional) and not older (its latest usage hour is
//     not before the current one's). Otherwise it is refused naming both
//     deliveries, unless replace says the accountant chooses it.
//
// Several deliveries of one month in one import are taken oldest first,
// so the freshest ends current and the others are kept as replaced.
// Resolve returns the steps in order; nothing is changed on refusal.
func Resolve(current *Delivery, incoming []Delivery, replace bool) ([]Step, error) {
	in := slices.Clone(incoming)
	slices.SortStableFunc(in, func(a, b Delivery) int { return freshness(&a, &b) })
	var steps []Step
	cur := current
	for _, d := range in {
		d.Status, d.Previous, d.Deliberate, d.Missing = Imported, 0, false, nil
		missing := missingParts(d.Origin, d.PartNames())
		switch {
		case cur != nil && cur.Origin.Same(d.Origin) && (len(missing) > 0 || d.Origin.Series && !holdsAll(&d, cur)):
			joined, added, err := join(cur, d)
			if err != nil {
				return nil, err
			}
			if !added {
				continue // every part is in the current delivery already
			}
			d = joined
		default:
			if len(missing) > 0 {
				return nil, &MissingPartsError{Origin: d.Origin, Period: d.Period, Payer: d.Payer, Missing: missing}
			}
			if cur != nil {
				d.Status, d.Previous = Replaced, cur.ID
				if otherView(&d, cur) {
					if !replace {
						return nil, &ViewError{Current: *cur, Incoming: d}
					}
					d.Deliberate = true
					d.ViewChange = viewChange(&d, cur)
				}
				if why := staler(&d, cur); why != "" {
					if !replace {
						return nil, &OlderError{Current: *cur, Incoming: d, Why: why}
					}
					d.Deliberate = true
				}
			}
		}
		steps = append(steps, Step{Delivery: d})
		cur = &steps[len(steps)-1].Delivery
	}
	return steps, nil
}

// holdsAll reports whether d has every part of cur, the same bytes.
func holdsAll(d, cur *Delivery) bool {
	for _, p := range cur.Parts {
		if !slices.ContainsFunc(d.Parts, func(q Part) bool { return q.Name == p.Name && q.Hash == p.Hash }) {
			return false
		}
	}
	return true
}

// join is the current delivery with the new delivery's parts added. A
// part of the same name with other bytes is a conflict: the assembly
// cannot hold two versions of one file.
func join(cur *Delivery, d Delivery) (Delivery, bool, error) {
	out := *cur
	out.Parts = slices.Clone(cur.Parts)
	var fresh Delivery
	fresh.Parts = nil
	for _, p := range d.Parts {
		i := slices.IndexFunc(out.Parts, func(q Part) bool { return q.Name == p.Name })
		switch {
		case i < 0:
			fresh.Parts = append(fresh.Parts, p)
		case out.Parts[i].Hash != p.Hash:
			return out, false, fmt.Errorf("%s %s (payer %s): part %s differs from the part of that name already imported in delivery %d; import the whole delivery again (its folder or manifest)",
				d.Provider, d.Period, d.Payer, excerpt.Quote(p.Name), cur.ID)
		}
	}
	if len(fresh.Parts) == 0 {
		return out, false, nil
	}
	// The new parts' sums: d holds only new parts unless some were
	// already there, in which case d's totals would count them twice.
	if len(fresh.Parts) != len(d.Parts) {
		return out, false, fmt.Errorf("%s %s (payer %s): some of the files are already in delivery %d and others are new; import only the new parts, or the whole delivery with --replace",
			d.Provider, d.Period, d.Payer, cur.ID)
	}
	out.merge(d)
	if out.Origin.Manifest == "" && d.Origin.Manifest != "" {
		out.Origin = d.Origin // the manifest knows every part's name
	}
	out.ID, out.Status, out.Previous = 0, Joined, cur.ID
	out.Missing = missingParts(out.Origin, out.PartNames())
	return out, true, nil
}

// otherView reports whether d and cur hold the two views of one month's
// cost: both tell theirs and they differ.
func otherView(d, cur *Delivery) bool {
	return d.CostView != "" && cur.CostView != "" && d.CostView != cur.CostView
}

// viewMeaning says what a month billed from a view of cost bills.
var viewMeaning = map[string]string{
	read.ViewActual:    "the cost the provider invoices, each reservation or savings plan purchase charged to its buyer when bought",
	read.ViewAmortized: "each reservation or savings plan purchase spread over the usage it covered, the unused part apart: not what the provider invoices",
}

// viewChange says what the month is billed from once d replaced cur by
// the accountant's choice.
func viewChange(d, cur *Delivery) string {
	return fmt.Sprintf("the %s cost export replaces the %s cost export (chosen with --replace): %s %s is now billed from %s cost, %s",
		d.CostView, cur.CostView, d.Provider, d.Period, d.CostView, viewMeaning[d.CostView])
}

// ViewError refuses a delivery of the other view of cost than the
// current one (Delivery.CostView): importing Azure's amortized export
// after the actual one of the same month and billing account, or the
// other way round, would silently change what the month bills.
type ViewError struct {
	Current  Delivery
	Incoming Delivery
}

// Error names both views, what each bills, and the choice.
func (e *ViewError) Error() string {
	d, cur := e.Incoming, e.Current
	advice := "Keep the actual cost export to bill what the provider invoices (nothing was changed); import the amortized one with --replace only to bill reservations spread over their usage"
	if d.CostView == read.ViewActual {
		advice = "To bill what the provider invoices, import the actual cost export again with --replace (recommended); otherwise nothing was changed"
	}
	return fmt.Sprintf("%s %s (billing account %s): %s is the %s cost export and the current delivery %d (%s) is the %s cost export of the same month. "+
		"Actual cost is %s; amortized cost is %s. Only one can be the month's data. %s",
		d.Provider, d.Period, d.Payer, excerpt.Quote(d.Files()), d.CostView, cur.ID, excerpt.Quote(cur.Files()), cur.CostView,
		viewMeaning[read.ViewActual], viewMeaning[read.ViewAmortized], advice)
}

// Is makes the refusal an ErrOlder, so faces offer the deliberate way
// through (--replace, Make the new delivery current anyway).
func (e *ViewError) Is(target error) bool { return target == ErrOlder }

// freshness orders two deliveries of one month: provisional before
// final, then by latest usage hour.
func freshness(a, b *Delivery) int {
	switch {
	case a.Final != b.Final:
		if b.Final {
			return -1
		}
		return 1
	case a.LatestUsage.Before(b.LatestUsage):
		return -1
	case a.LatestUsage.After(b.LatestUsage):
		return 1
	}
	return 0
}

// staler says why d must not replace cur, or "" when it may.
func staler(d, cur *Delivery) string {
	switch {
	case cur.Final && !d.Final:
		return "it is provisional and the current delivery is final"
	case d.Final == cur.Final && d.LatestUsage.Before(cur.LatestUsage):
		return fmt.Sprintf("its usage ends %s and the current delivery's ends %s", usageEnd(d.LatestUsage), usageEnd(cur.LatestUsage))
	}
	return ""
}

func usageEnd(t time.Time) string {
	if t.IsZero() {
		return "undated"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

// OlderError refuses a delivery that would replace a fresher one.
type OlderError struct {
	Current  Delivery
	Incoming Delivery
	Why      string
}

// Error names both deliveries and the deliberate way through.
func (e *OlderError) Error() string {
	return fmt.Sprintf("%s %s (payer %s): %s is not newer than the current delivery %d (%s): %s; the month keeps delivery %d. To make the new one current anyway, import it again with --replace",
		e.Incoming.Provider, e.Incoming.Period, e.Incoming.Payer, describe(&e.Incoming), e.Current.ID, describe(&e.Current), e.Why, e.Current.ID)
}

// Is makes the refusal an ErrOlder for faces that give advice.
func (e *OlderError) Is(target error) bool { return target == ErrOlder }

// ErrOlder: an import would replace a fresher delivery.
var ErrOlder = fmt.Errorf("older delivery")

// describe names a delivery for a message: its files, finality and
// how far its usage goes.
func describe(d *Delivery) string {
	state := "provisional"
	if d.Final {
		state = "final"
		if d.Confirmed != nil {
			state += " (confirmed " + d.Confirmed.Text() + ")"
		}
		if len(d.InvoiceIDs) > 0 {
			state += ", invoice " + strings.Join(d.InvoiceIDs, " ")
		}
	}
	return fmt.Sprintf("%s, %s, usage to %s", excerpt.Quote(d.Files()), state, usageEnd(d.LatestUsage))
}
