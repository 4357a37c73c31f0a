package view

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"rebill/engine/ingest"
)

// The Import screen's words: each file's outcome, the run's summary, the
// progress, and why a refused import was refused and what to do.

// FileOutcome is what one import did with one file: Res is the whole
// import's result and Index the file's place in it; Err is the import's
// failure, shown on the row of every path of the run.
type FileOutcome struct {
	File      string
	Res       *ingest.Result
	Index     int
	Err       error
	Cancelled bool
}

// Outcome names what happened to the file, for the accountant.
func (o FileOutcome) Outcome() string {
	switch {
	case o.Cancelled:
		return "Cancelled"
	case o.Err != nil:
		return "Failed"
	}
	switch o.Res.Files[o.Index].Status {
	case ingest.AlreadyImported:
		return "Already imported"
	case ingest.EarlierDelivery:
		return "Earlier delivery"
	}
	status := "Imported"
	for _, d := range o.Res.FileShare(o.Index).Deliveries {
		switch d.Status {
		case ingest.Replaced:
			return "Replaced earlier data"
		case ingest.Joined:
			status = "Added to its delivery"
		}
	}
	return status
}

// Columns of the import results.
const (
	ImpFile = iota
	ImpResult
	ImpFormat
	ImpMonths
	ImpPayer
	ImpRows
	ImpTotal
	ImpData
	ImpAccounts
)

// ImportRow is a file's line of the results: its own share of the months
// it is a part of (ingest.Result.FileShare, the engine's reading, as the
// command line reports it). format names its format.
func ImportRow(o FileOutcome, format string) Row {
	cells := make([]Cell, ImpAccounts+1)
	cells[ImpFile].Text = filepath.Base(o.File)
	res := Cell{Text: o.Outcome()}
	switch {
	case o.Cancelled:
		res.Tone = Warning
	case o.Err != nil:
		res = Cell{Text: "Failed: select for details", Tone: Danger}
	case res.Text == "Earlier delivery":
		res = Cell{Text: "Earlier delivery: select for details", Tone: Warning}
	case res.Text == "Already imported":
	default:
		res.Tone = Success
	}
	cells[ImpResult] = res
	if o.Err != nil {
		return Row{ID: o.File, Cells: cells}
	}
	f := o.Res.Files[o.Index]
	share := o.Res.FileShare(o.Index)
	for _, d := range share.Deliveries {
		if d.ViewChange != "" {
			// The accountant chose one view of cost over the other.
			cells[ImpResult].Text += ": now billed from " + d.CostView + " cost"
		}
	}
	cells[ImpFormat].Text = format
	if f.CostView != "" {
		cells[ImpFormat].Text += " (" + f.CostView + " cost)" // Azure's actual and amortized exports look alike
	}
	cells[ImpMonths].Text = strings.Join(share.Periods, ", ")
	cells[ImpPayer].Text = ProviderPayers(share.Deliveries)
	if len(share.Deliveries) > 0 {
		cells[ImpRows].Text = Count(f.Rows)
		cells[ImpTotal] = AmountCell(share.Currency, share.UnblendedCost)
		cells[ImpData] = Cell{Text: Finality(share.Final), Tone: Warning}
		if share.Final {
			cells[ImpData].Tone = Success
		}
		cells[ImpAccounts].Text = Count(int64(len(share.Accounts)))
	}
	return Row{ID: o.File, Cells: cells}
}

// ImportDone sums a run up: cancelled, refused (failure is the reason),
// or what happened to its files.
func ImportDone(run []FileOutcome) (text string, failure error, cancelled bool) {
	counts := map[string]int{}
	for _, o := range run {
		counts[o.Outcome()]++
		if o.Err != nil && !o.Cancelled {
			failure = o.Err
		}
	}
	switch {
	case counts["Cancelled"] > 0:
		return "Import cancelled. Nothing was imported; the list is as it was.", nil, true
	case failure != nil:
		return "Nothing was imported: see why in the dialog (select a failed row to see it again).", failure, false
	}
	var parts []string
	for _, st := range []string{"Imported", "Added to its delivery", "Replaced earlier data", "Already imported", "Earlier delivery"} {
		if n := counts[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s: %d", strings.ToLower(st), n))
		}
	}
	return "Done. " + Plural(len(run), "file", "files") + " (" + strings.Join(parts, ", ") + ").", nil, false
}

// ImportIssuedNote says, after a run, which issued invoices were computed
// from the data it replaced and where to see what changed; "" when none
// were.
func ImportIssuedNote(run []FileOutcome) string {
	if issued := issuedFromReplaced(run); len(issued) > 0 {
		return IssuedNote(issued, "the Invoices screen shows what changed")
	}
	return ""
}

// issuedFromReplaced are the issued invoices a run's deliveries found
// computed from the data they replaced (ingest.Delivery.Issued), each
// once.
func issuedFromReplaced(run []FileOutcome) []string {
	var out []string
	for _, o := range run {
		if o.Err != nil {
			continue
		}
		for _, d := range o.Res.Deliveries {
			for _, n := range d.Issued {
				if !slices.Contains(out, n) {
					out = append(out, n)
				}
			}
		}
	}
	return out
}

// IssuedNote says that issued invoices were computed from data an import
// replaced, and where to see what changed: they stay as issued, and a
// difference becomes a correction.
func IssuedNote(numbers []string, where string) string {
	if len(numbers) == 1 {
		return fmt.Sprintf("Issued invoice %s was computed from the data this import replaced: it stays as issued; %s.", numbers[0], where)
	}
	return fmt.Sprintf("Issued invoices %s were computed from the data this import replaced: they stay as issued; %s.", strings.Join(numbers, ", "), where)
}

// ImportProgress says which file is under way, of how many, and its rows
// so far.
func ImportProgress(i, n int, file string, rows int64, cancelling bool) string {
	text := fmt.Sprintf("Importing %s: %s", filepath.Base(file), Plural(int(rows), "row", "rows"))
	if n > 1 {
		text = fmt.Sprintf("File %d of %d. ", i+1, n) + text
	}
	if cancelling {
		text = "Cancelling… " + text
	}
	return text
}

// ByteSize writes a file size the way file managers do: "1.5 MB".
func ByteSize(n int64) string {
	const unit = 1000
	if n < unit {
		return Plural(int(n), "byte", "bytes")
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}

// ImportProblem is a refused import's error without the file's path,
// which the dialog already shows: the position in the file and what is
// wrong there.
func ImportProblem(err error) string {
	msg := err.Error()
	var ie *ingest.Error
	if errors.As(err, &ie) {
		msg = ie.Err.Error()
		if ie.Where != "" {
			msg = ie.Where + ": " + msg
		}
	}
	return Sentence(msg)
}

// ImportAdvice tells the accountant what to do about a refused import.
// Nothing of a refused import is ever stored, so it can simply be
// imported again.
func ImportAdvice(err error) string {
	const nothing = " Nothing of this import was stored."
	switch {
	case errors.Is(err, ingest.ErrOlder):
		return "The month keeps the delivery it has. If the provider really sent this one last, or you want it for another reason, make it current anyway: the history records your choice, and the replaced delivery can be restored from Periods." + nothing
	case errors.Is(err, ingest.ErrIncomplete):
		return "AWS split this month into several parts. Add the whole folder of the delivery, or its manifest (…-Manifest.json), and import again." + nothing
	case errors.Is(err, ingest.ErrNotBilling):
		return "Check that this is a provider's detailed billing file as it was delivered: an AWS Cost and Usage Report " +
			"(the legacy CUR as CSV, Parquet or Athena text, or a CUR 2.0 Data Export) or Detailed Billing Report, " +
			"an Azure cost or usage details export, a Partner Center daily rated usage or reconciliation file, " +
			"a FOCUS export, a Google Cloud billing export or an Oracle Cloud cost report. Cost Explorer and " +
			"Cost analysis downloads, PDF invoices and other reports cannot be imported." + nothing
	case errors.Is(err, ingest.ErrDamaged):
		return "The download was probably interrupted: get a fresh copy from where the provider delivers the file " +
			"(for AWS, the report's S3 bucket; for Azure, the export's storage account) and import it." + nothing
	}
	return "Check that this is the provider's billing file as it was delivered, complete and unchanged " +
		"(a file saved again by a spreadsheet program can lose columns or decimals). " +
		"The position above shows where the problem is." + nothing
}

// ProviderPayers names the provider and payer (billing account) of each
// delivery once, in order: "AWS 836060457634, Microsoft Azure 8611537".
// A FOCUS file holds several clouds, each invoiced apart.
func ProviderPayers(ds []ingest.Delivery) string {
	var out []string
	for _, d := range ds {
		s := ProviderName(d.Provider) + " " + d.Payer
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return strings.Join(out, ", ")
}
