package ui

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/sample"
)

func TestAddFilesToQueue(t *testing.T) {
	h := newHarness(t)
	s := h.imports()
	dir := t.TempDir()
	a := writeFile(t, dir, "a.csv", october)
	b := writeFile(t, dir, "b.csv", september)

	if !s.importBtn.Disabled() {
		t.Error("Import is enabled with an empty queue")
	}
	s.addPaths([]string{a, b, a})
	if !equalStrings(s.queue, []string{a, b}) {
		t.Fatalf("queue = %v, want [a b] without the duplicate", s.queue)
	}
	if s.importBtn.Disabled() || s.importBtn.Text != "Import 2 items" {
		t.Errorf("Import button = %q (disabled %v), want enabled \"Import 2 items\"", s.importBtn.Text, s.importBtn.Disabled())
	}
	if !h.shows("a.csv") || !h.shows("b.csv") {
		t.Errorf("the queue list does not show the files: %q", h.texts())
	}

	// The remove button of the first row takes a.csv off.
	var removes []*widget.Button
	for _, o := range test.LaidOutObjects(s.queueList) {
		if btn, ok := o.(*widget.Button); ok && btn.Text == "" && o.Visible() {
			removes = append(removes, btn)
		}
	}
	if len(removes) != 2 {
		t.Fatalf("found %d remove buttons, want 2", len(removes))
	}
	test.Tap(removes[0])
	if !equalStrings(s.queue, []string{b}) {
		t.Errorf("after removing a.csv the queue is %v", s.queue)
	}

	test.Tap(s.clearQueue)
	if len(s.queue) != 0 || !s.importBtn.Disabled() {
		t.Errorf("Clear list left %v", s.queue)
	}

	// A folder is one entry, which counts its billing files, subfolders
	// included, and not other files nor hidden folders.
	folder := t.TempDir()
	writeFile(t, folder, "notes.pdf", "not billing")
	writeFile(t, folder, "c.csv", october)
	for _, sub := range []string{"sub", ".hidden"} {
		if err := os.Mkdir(filepath.Join(folder, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(folder, "sub"), "d.csv.gz", "")
	writeFile(t, filepath.Join(folder, ".hidden"), "e.csv", october)
	s.addPaths([]string{folder})
	if !equalStrings(s.queue, []string{folder}) {
		t.Errorf("folder queued %v, want [%s]", s.queue, folder)
	}
	if got, want := queueText(folder), filepath.Base(folder)+"   (folder: 2 billing files, in "+filepath.Dir(folder)+")"; got != want {
		t.Errorf("the queue shows the folder as %q, want %q", got, want)
	}
	empty := t.TempDir()
	writeFile(t, empty, "notes.pdf", "not billing")
	s.addPaths([]string{empty})
	if len(s.queue) != 1 || !strings.Contains(s.status.Text, "Nothing to import in "+empty) {
		t.Errorf("a folder without billing files: queue %v, status %q", s.queue, s.status.Text)
	}

	// Add files… opens Fyne's file dialog, which adds one pick at a time.
	test.Tap(s.addFiles)
	if h.win.Canvas().Overlays().Top() == nil {
		t.Error("Add files… showed no file dialog")
	}
}

func TestImportShowsResultAndPeriod(t *testing.T) {
	h := newHarness(t)
	s := h.imports()
	file := writeFile(t, t.TempDir(), "october.csv", october)
	s.addPaths([]string{file})

	// While the import runs, the screen is locked except for Cancel.
	h.state.run = func(f func()) {
		for _, b := range []*widget.Button{s.addFiles, s.addFolder, s.importBtn, s.sample, s.clearQueue} {
			if !b.Disabled() {
				t.Errorf("%q is enabled during the import", b.Text)
			}
		}
		if s.cancelBtn.Disabled() || !s.cancelBtn.Visible() {
			t.Error("Cancel is not offered during the import")
		}
		if !s.progress.Visible() {
			t.Error("no progress bar during the import")
		}
		f()
	}
	test.Tap(s.importBtn)

	// The total to the cent (3.62345678911 by hand), the exact figure
	// one click away.
	want := []string{"october.csv", "Imported", "CUR CSV", "2024-10", "AWS 111122223333", "3", "USD 3.62", "Provisional", "2"}
	if s.results.rows != 1 {
		t.Fatalf("results has %d rows, want 1", s.results.rows)
	}
	if got := s.results.cell(0, 6).full; got != "USD 3.62345678911 exactly" {
		t.Errorf("the total in full is %q, want USD 3.62345678911 exactly", got)
	}
	for col, w := range want {
		if got := s.results.cell(0, col).text; got != w {
			t.Errorf("result column %q = %q, want %q", s.results.cols[col].title, got, w)
		}
	}
	if len(s.queue) != 0 {
		t.Errorf("the imported file is still queued: %v", s.queue)
	}
	if s.cancelBtn.Visible() || s.addFiles.Disabled() || s.progress.Visible() {
		t.Error("the screen is still locked after the import")
	}
	if !strings.HasPrefix(s.status.Text, "Done. 1 file (imported: 1)") {
		t.Errorf("status = %q", s.status.Text)
	}
	if s.welcome.Visible() {
		t.Error("the welcome card stays after the first import")
	}
	if s.failure != nil {
		t.Error("a successful import showed a failure dialog")
	}

	p := h.periods()
	if p.table.rows != 1 {
		t.Fatalf("periods has %d rows, want 1", p.table.rows)
	}
	wantPeriod := []string{"2024-10", "AWS", "111122223333", "3", "USD 3.62", "2", "Provisional", "Open", "october.csv"}
	for col, w := range wantPeriod {
		if got := p.table.cell(0, col).text; got != w {
			t.Errorf("period column %q = %q, want %q", p.table.cols[col].title, got, w)
		}
	}
	if c := p.table.cell(0, colData); c.importance != widget.WarningImportance {
		t.Error("a provisional month is not marked as a warning")
	}
	h.state.show("Periods")
	p.table.table.Select(widget.TableCellID{Row: 0, Col: colMonth})
	if !strings.Contains(p.detail.Text, "total USD 3.62345678911 exactly") {
		t.Errorf("the selected month's detail does not give the exact total: %q", p.detail.Text)
	}
	if !h.shows("1 billing period imported") {
		t.Error("the footer does not count the imported period")
	}

	// The same file again is recognised, not imported twice.
	s.addPaths([]string{file})
	test.Tap(s.importBtn)
	if got := s.results.cell(1, 1).text; got != "Already imported" {
		t.Errorf("second import = %q, want Already imported", got)
	}
	if p.table.rows != 1 {
		t.Errorf("periods has %d rows after re-importing the same file", p.table.rows)
	}
}

func TestBadFileShowsErrorDialog(t *testing.T) {
	h := newHarness(t)
	s := h.imports()
	dir := t.TempDir()
	bad := writeFile(t, dir, "costexplorer.csv", "Service,Cost\nEC2,12.5\n")
	good := writeFile(t, dir, "september.csv", september)
	s.addPaths([]string{bad, good})
	test.Tap(s.importBtn)

	if s.failure == nil {
		t.Fatal("no dialog explains the failed import")
	}
	if h.win.Canvas().Overlays().Top() == nil {
		t.Fatal("the failure dialog is not shown")
	}
	for _, want := range []string{"costexplorer.csv", "Unknown file format", "Check that this is a provider's detailed billing file", "Nothing of this import was stored"} {
		if !h.shows(want) {
			t.Errorf("the dialog does not say %q; texts: %q", want, h.texts())
		}
	}
	// One import is one transaction: the good file did not go in either,
	// and both stay queued.
	for row := range 2 {
		if got := s.results.cell(row, 1); !strings.HasPrefix(got.text, "Failed") || got.importance != widget.DangerImportance {
			t.Errorf("row %d = %+v, want a Failed danger cell", row, got)
		}
	}
	if ps, _ := h.db.Periods(); len(ps) != 0 || !equalStrings(s.queue, []string{bad, good}) {
		t.Errorf("after a refused import: %d months stored, queue %v", len(ps), s.queue)
	}

	// Selecting the failed row explains it again.
	s.failure.Hide()
	s.failure = nil
	s.results.table.Select(widget.TableCellID{Row: 0, Col: 1})
	if s.failure == nil {
		t.Error("selecting the failed file does not show its error")
	}
	s.failure.Hide()

	// Without the bad file, the good one goes in.
	s.onRemove(bad)
	test.Tap(s.importBtn)
	if got := h.periods().table.cell(0, colTotal).text; got != "USD 10.01" { // 10.005 to the cent
		t.Errorf("september total = %q, want USD 10.01", got)
	}
	if got := h.periods().table.cell(0, colData); got.text != "Final" {
		t.Errorf("september data = %q, want Final", got.text)
	}
}

func TestCancelKeepsQueue(t *testing.T) {
	h := newHarness(t)
	s := h.imports()
	file := writeFile(t, t.TempDir(), "october.csv", october)
	s.addPaths([]string{file})
	h.state.run = func(f func()) {
		test.Tap(s.cancelBtn)
		f()
	}
	test.Tap(s.importBtn)
	if !equalStrings(s.queue, []string{file}) {
		t.Errorf("a cancelled import should keep the file queued, queue = %v", s.queue)
	}
	if periods, _ := h.db.Periods(); len(periods) != 0 {
		t.Errorf("a cancelled import imported %d periods", len(periods))
	}
	if s.failure != nil {
		t.Error("cancelling is not a failure")
	}
	if s.importBtn.Disabled() {
		t.Error("Import stays disabled after cancelling")
	}
}

func TestProgressShowsRowsAndBytes(t *testing.T) {
	h := newHarness(t)
	s := h.imports()
	s.running = true
	s.showProgress(1, 3, "/data/big.csv.gz", 12345, 0.25)
	if got, want := s.status.Text, "File 2 of 3. Importing big.csv.gz: 12,345 rows"; got != want {
		t.Errorf("status = %q, want %q", got, want)
	}
	if s.progress.Value != 0.25 {
		t.Errorf("progress = %v, want 0.25", s.progress.Value)
	}
}

func TestLoadSampleData(t *testing.T) {
	h := newHarness(t)
	s := h.imports()
	if !s.welcome.Visible() {
		t.Fatal("no welcome card on an empty database")
	}
	test.Tap(findButton(t, s.welcome, "Load sample data"))
	if s.failure != nil {
		t.Fatal("loading the sample data failed")
	}

	p := h.periods()
	if p.table.rows != 2 {
		t.Fatalf("periods has %d rows after loading the sample, want 2", p.table.rows)
	}
	// Newest first: October (provisional), then September (final).
	for row, want := range []struct {
		month, data string
		opt         sample.Options
	}{
		{"2024-10", "Provisional", sampleMonths(testNow)[1]},
		{"2024-09", "Final", sampleMonths(testNow)[0]},
	} {
		sum, err := sample.WriteCSV(io.Discard, want.opt)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.table.cell(row, colMonth).text; got != want.month {
			t.Errorf("row %d month = %q, want %s", row, got, want.month)
		}
		if got := p.table.cell(row, colData).text; got != want.data {
			t.Errorf("%s data = %q, want %s", want.month, got, want.data)
		}
		if got := p.periods[row].UnblendedCost; !got.Equal(sum.UnblendedTotal) {
			t.Errorf("%s total = %s, the sample wrote %s", want.month, got, sum.UnblendedTotal)
		}
		if got := p.table.cell(row, colRows).text; got != count(int64(sum.Rows)) {
			t.Errorf("%s rows = %s, want %d", want.month, got, sum.Rows)
		}
	}
	if s.welcome.Visible() {
		t.Error("the welcome card stays after loading the sample")
	}
}

func TestTablesFitAmounts(t *testing.T) {
	h := newHarness(t)
	s := h.imports()
	s.addPaths([]string{writeFile(t, t.TempDir(), "october.csv", october)})
	test.Tap(s.importBtn)
	h.state.show("Periods")
	// The total cell (3.62345678911 to the cent) is as wide as its text:
	// nothing is cut off.
	var total *tipLabel
	eachVisible(h.periods().table.table, func(o fyne.CanvasObject) bool {
		if l, ok := o.(*tipLabel); ok && l.Text == "USD 3.62" {
			total = l
		}
		return true
	})
	if total == nil {
		t.Fatal("the total is not rendered")
	}
	need := fyne.MeasureText(total.Text, 14, fyne.TextStyle{}).Width
	if total.Size().Width < need {
		t.Errorf("the total's cell is %v wide, its text needs %v", total.Size().Width, need)
	}
}

// TestReimportNamesTheIssuedInvoices: ACME's September is invoiced
// (invoicedHarness); the provider re-delivers it with another line. The
// import says, in a sentence read whole (not in the status, which the
// window cuts), that the issued invoice was computed from the data it
// replaced and where to see what changed.
func TestReimportNamesTheIssuedInvoices(t *testing.T) {
	h, _ := invoicedHarness(t)
	s := h.imports()
	if s.issued.Visible() {
		t.Fatal("the note shows before any re-delivery")
	}
	number := onlyInvoice(t, h.db, "2024-09", "ACME").Number
	s.addPaths([]string{writeFile(t, t.TempDir(), "sep-again.csv", invoicedMonth+
		"i2,111122223333,2024-09-01T00:00:00Z,444455556666,Usage,AmazonS3,9.71,USD,EUINUS24-1\n")})
	test.Tap(s.importBtn)
	want := "Issued invoice " + number + " was computed from the data this import replaced: it stays as issued; the Invoices screen shows what changed."
	if !s.issued.Visible() || s.issued.Text != want {
		t.Errorf("after the re-delivery the note is %q (shown %v), want %q; status %q", s.issued.Text, s.issued.Visible(), want, s.status.Text)
	}
}
