package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/ingest"
	"rebill/ui/appinfo"
)

// billingExts are the file endings the import offers and picks from a
// folder: those of every format the registry lists.
var billingExts = ingest.Extensions

// importScreen queues provider files and imports them one after the other
// in the background.
type importScreen struct {
	state *appState

	welcome    *widget.Card
	addFiles   *widget.Button
	addFolder  *widget.Button
	clearQueue *widget.Button
	sample     *widget.Button
	importBtn  *widget.Button
	cancelBtn  *widget.Button
	queueList  *widget.List
	queueEmpty *widget.Label
	progress   *widget.ProgressBar
	status     *widget.Label
	results    *dataTable
	noResults  *widget.Label
	content    fyne.CanvasObject

	queue   []string
	done    []fileResult
	running bool
	// failed is the last run's failure, its paths and whether it can be
	// run again with --replace's meaning (an older delivery refused).
	failed *failedRun
	cancel context.CancelFunc
	wg     sync.WaitGroup // the running import
	// failure is the dialog explaining the last failed files.
	failure dialog.Dialog
}

// fileResult is the outcome of one file of an import: res is the whole
// import's result and index the file's place in it; err is the import's
// failure, shown on the row of every path of the run.
type fileResult struct {
	file      string
	res       *ingest.Result
	index     int
	err       error
	cancelled bool
}

// failedRun is an import refused as a whole, kept so that the accountant
// can choose to replace a fresher delivery after all.
type failedRun struct {
	paths []string
	err   error
}

func newImportScreen(st *appState) *importScreen {
	s := &importScreen{state: st}
	s.addFiles = widget.NewButtonWithIcon("Add files…", theme.FileIcon(), s.onAddFiles)
	s.addFolder = widget.NewButtonWithIcon("Add folder…", theme.FolderOpenIcon(), s.onAddFolder)
	s.clearQueue = widget.NewButtonWithIcon("Clear list", theme.ContentClearIcon(), s.onClearQueue)
	s.sample = widget.NewButtonWithIcon("Load sample data", theme.DownloadIcon(), s.onLoadSample)
	s.importBtn = widget.NewButtonWithIcon("Import", theme.UploadIcon(), s.onImport)
	s.importBtn.Importance = widget.HighImportance
	s.cancelBtn = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), s.onCancel)
	s.cancelBtn.Hide()

	s.queueList = widget.NewList(
		func() int { return len(s.queue) },
		func() fyne.CanvasObject {
			name := widget.NewLabel("")
			name.Truncation = fyne.TextTruncateEllipsis
			remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), nil)
			remove.Importance = widget.LowImportance
			return container.NewBorder(nil, nil, widget.NewIcon(theme.FileIcon()), remove, name)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			name := row.Objects[0].(*widget.Label)
			remove := row.Objects[2].(*widget.Button)
			if id >= len(s.queue) {
				return
			}
			path := s.queue[id]
			name.SetText(queueText(path))
			remove.OnTapped = func() { s.onRemove(path) }
			if s.running {
				remove.Disable()
			} else {
				remove.Enable()
			}
		})
	s.queueList.OnSelected = func(widget.ListItemID) { s.queueList.UnselectAll() }
	s.queueEmpty = widget.NewLabel("No files waiting. Add files or a folder, or drop them onto this window.")
	s.queueEmpty.Importance = widget.LowImportance
	s.queueEmpty.Wrapping = fyne.TextWrapWord

	s.results = newDataTable([]column{
		{title: "File", min: 130, shrink: true},
		{title: "Result", min: 90, max: 260},
		{title: "Format"},
		{title: "Months", max: 200},
		{title: "Payer", max: 260},
		{title: "Rows", align: fyne.TextAlignTrailing},
		{title: "Unblended total", align: fyne.TextAlignTrailing},
		{title: "Data"},
		{title: "Accounts", align: fyne.TextAlignTrailing},
	}, s.resultCell)
	s.results.table.OnSelected = s.onResultSelected

	s.progress = widget.NewProgressBar()
	s.progress.Hide()
	s.status = widget.NewLabel("")
	s.status.Truncation = fyne.TextTruncateEllipsis

	s.welcome = newWelcomeCard(s)
	st.onDataChanged(s.refreshWelcome)
	s.refreshWelcome()

	heading := func(text string) *widget.Label {
		l := widget.NewLabel(text)
		l.TextStyle = fyne.TextStyle{Bold: true}
		return l
	}
	toolbar := container.NewHBox(s.addFiles, s.addFolder, s.clearQueue)
	queueBox := container.NewBorder(heading("Files to import"), nil, nil, nil,
		container.NewStack(s.queueList, container.NewVBox(s.queueEmpty)))
	s.noResults = widget.NewLabel("The outcome of each file imported appears here: its months, payer, rows and total.")
	s.noResults.Importance = widget.LowImportance
	s.noResults.Wrapping = fyne.TextWrapWord
	s.results.table.Hide()
	resultsBox := container.NewBorder(heading("Import results"), nil, nil, nil,
		container.NewStack(s.results.view, container.NewVBox(s.noResults)))
	split := container.NewVSplit(queueBox, resultsBox)
	split.Offset = 0.4
	actions := container.NewHBox(s.cancelBtn, s.importBtn)
	bottom := container.NewBorder(widget.NewSeparator(), nil, nil, actions, container.NewVBox(s.progress, s.status))
	s.content = container.NewBorder(container.NewVBox(s.welcome, toolbar), bottom, nil, nil, split)
	s.refreshQueue()
	return s
}

func (s *importScreen) view() fyne.CanvasObject { return s.content }

// newWelcomeCard explains, on an empty database, what to import and where
// to find it.
func newWelcomeCard(s *importScreen) *widget.Card {
	text := widget.NewRichTextFromMarkdown(`Rebill reads the **AWS Cost and Usage Report** (CUR), the detailed billing file of your payer (management) account, in any of its shapes:

- the legacy CUR as **CSV** (.csv, .csv.gz or .zip),
- the CUR for Athena as **Parquet** (.parquet) or **text** (.txt),
- a **CUR 2.0** Data Export, CSV or Parquet.

To get it, open **Billing and Cost Management > Data Exports** (or Cost and Usage Reports) in the AWS console, note the S3 bucket the report is delivered to, and download the month's files from there, or ask your distributor for them. Add one or several files, a whole folder, or drop them onto this window.

No file at hand? Load two months of made-up sample data to look around.`)
	text.Wrapping = fyne.TextWrapWord
	return widget.NewCard("Import your first billing files", "Nothing has been imported yet.",
		container.NewVBox(text, container.NewHBox(s.sample)))
}

// refreshWelcome shows the welcome card only while the database is empty.
func (s *importScreen) refreshWelcome() {
	periods, err := s.state.db.Periods()
	if err == nil && len(periods) == 0 {
		s.welcome.Show()
	} else {
		s.welcome.Hide()
	}
}

// queueText names a queued file, its folder and size; a folder, with how
// many billing files it holds.
func queueText(path string) string {
	detail := filepath.Dir(path)
	if st, err := os.Stat(path); err == nil {
		if st.IsDir() {
			n := 0
			if plan, err := ingest.NewPlan([]string{path}); err == nil {
				n = len(plan.Files)
			}
			return filepath.Base(path) + "   (folder: " + plural(n, "billing file", "billing files") + ", in " + detail + ")"
		}
		detail += ", " + byteSize(st.Size())
	}
	return filepath.Base(path) + "   (" + detail + ")"
}

// byteSize writes a file size the way file managers do.
func byteSize(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}

// onAddFiles picks one file and queues it; Fyne's file dialog picks one at
// a time, so picking again adds the next. The dialog reopens in the folder
// used last.
func (s *importScreen) onAddFiles() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(err, s.state.win)
			return
		}
		if r == nil {
			return
		}
		r.Close()
		s.addPaths([]string{r.URI().Path()})
	}, s.state.win)
	d.SetFilter(storage.NewExtensionFileFilter(billingExts))
	d.Resize(dialogSize(s.state.win))
	d.Show()
}

// onAddFolder queues every billing file of a folder and its subfolders.
func (s *importScreen) onAddFolder() {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			dialog.ShowError(err, s.state.win)
			return
		}
		if u == nil {
			return
		}
		s.addPaths([]string{u.Path()})
	}, s.state.win)
	d.Resize(dialogSize(s.state.win))
	d.Show()
}

// dialogSize makes file dialogs use most of the window.
func dialogSize(w fyne.Window) fyne.Size {
	sz := w.Canvas().Size()
	return fyne.NewSize(max(sz.Width*0.85, 600), max(sz.Height*0.85, 420))
}

// onDropped queues files and folders dropped onto the window.
func (s *importScreen) onDropped(uris []fyne.URI) {
	var paths []string
	for _, u := range uris {
		if u.Scheme() == "file" {
			paths = append(paths, u.Path())
		}
	}
	s.addPaths(paths)
}

// addPaths queues files, folders and manifests, skipping those already
// queued. A folder stays one entry: the import follows the manifests it
// holds and keeps the parts of a split month together. Files picked by
// name are queued whatever their ending: the import recognises the
// content, not the name. Files dropped during an import wait for the
// next one.
func (s *importScreen) addPaths(paths []string) {
	var skipped []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			skipped = append(skipped, p)
			continue
		}
		if st.IsDir() {
			if _, err := ingest.NewPlan([]string{p}); err != nil {
				skipped = append(skipped, p)
				continue
			}
		}
		s.enqueue(p)
	}
	s.refreshQueue()
	if len(skipped) > 0 {
		s.status.SetText("Nothing to import in " + strings.Join(skipped, ", ") +
			": a folder needs .csv, .gz, .zip, .parquet or .txt files, or an AWS manifest.")
	}
}

func (s *importScreen) enqueue(path string) {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if !slices.Contains(s.queue, path) {
		s.queue = append(s.queue, path)
	}
}

// onRemove takes a file off the queue.
func (s *importScreen) onRemove(path string) {
	if s.running {
		return
	}
	s.queue = slices.DeleteFunc(s.queue, func(p string) bool { return p == path })
	s.refreshQueue()
}

// onClearQueue empties the queue.
func (s *importScreen) onClearQueue() {
	if s.running {
		return
	}
	s.queue = nil
	s.refreshQueue()
}

// refreshQueue redraws the queue and the buttons that depend on it.
func (s *importScreen) refreshQueue() {
	s.queueList.Refresh()
	if len(s.queue) == 0 {
		s.queueEmpty.Show()
	} else {
		s.queueEmpty.Hide()
	}
	switch len(s.queue) {
	case 0:
		s.importBtn.SetText("Import")
	default:
		s.importBtn.SetText("Import " + plural(len(s.queue), "item", "items"))
	}
	s.refreshButtons()
}

// refreshButtons enables what makes sense now.
func (s *importScreen) refreshButtons() {
	for _, b := range []*widget.Button{s.addFiles, s.addFolder, s.sample} {
		if s.running {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if s.running || len(s.queue) == 0 {
		s.importBtn.Disable()
		s.clearQueue.Disable()
	} else {
		s.importBtn.Enable()
		s.clearQueue.Enable()
	}
	if s.running {
		s.cancelBtn.Enable()
		s.cancelBtn.Show()
	} else {
		s.cancelBtn.Hide()
	}
}

// onImport imports the whole queue in the background, as one import:
// the parts of a split month given as several files land together, and
// nothing lands if anything is refused.
func (s *importScreen) onImport() {
	if s.running || len(s.queue) == 0 {
		return
	}
	paths := slices.Clone(s.queue)
	s.start(func(context.Context) ([]string, func(), error) { return paths, func() {}, nil }, false)
}

// onLoadSample writes two months of synthetic AWS data and imports them
// like any other files.
func (s *importScreen) onLoadSample() {
	if s.running {
		return
	}
	now := s.state.now()
	s.start(func(context.Context) ([]string, func(), error) { return loadSample(s.state.db, now) }, false)
}

// onReplaceAnyway runs the refused import again, making its deliveries
// current although they are not newer: the accountant's deliberate choice,
// which the delivery history records.
func (s *importScreen) onReplaceAnyway() {
	if s.running || s.failed == nil {
		return
	}
	paths := s.failed.paths
	if s.failure != nil {
		s.failure.Hide()
	}
	s.start(func(context.Context) ([]string, func(), error) { return paths, func() {}, nil }, true)
}

// onCancel stops the import after the current batch; nothing of it is
// imported and the queue stays as it was.
func (s *importScreen) onCancel() {
	if s.cancel != nil {
		s.cancel()
		s.cancelBtn.Disable()
		s.status.SetText("Cancelling…")
	}
}

// prepareFunc produces the paths of an import run in the background and
// what to clean up afterwards.
type prepareFunc func(ctx context.Context) (paths []string, cleanup func(), err error)

// start runs an import in the background. Everything it shows goes
// through fyne.Do.
func (s *importScreen) start(prepare prepareFunc, replace bool) {
	ctx, cancel := context.WithCancel(context.Background())
	s.running, s.cancel, s.failed = true, cancel, nil
	s.progress.SetValue(0)
	s.progress.Show()
	s.status.SetText("Starting…")
	s.refreshQueue()
	s.wg.Add(1)
	s.state.run(func() {
		defer s.wg.Done()
		defer cancel()
		paths, cleanup, err := prepare(ctx)
		if err != nil {
			fr := fileResult{file: "sample data", err: err}
			fyne.Do(func() { s.finish(nil, []fileResult{fr}) })
			return
		}
		defer cleanup()
		res, err := ingest.Import(ctx, paths, s.state.db, ingest.Options{
			Now: s.state.now(), Replace: replace, By: appinfo.User(),
			Progress: func(p ingest.Progress) {
				done := float64(p.Index)
				if p.Bytes > 0 {
					done += float64(p.Read) / float64(p.Bytes)
				}
				fyne.Do(func() { s.showProgress(p.Index, p.Files, p.File, p.Rows, done/float64(max(p.Files, 1))) })
			},
		})
		var run []fileResult
		if err != nil {
			cancelled := ctx.Err() != nil
			for _, p := range paths {
				run = append(run, fileResult{file: p, err: err, cancelled: cancelled})
			}
		} else {
			for i, f := range res.Files {
				run = append(run, fileResult{file: f.File, res: &res, index: i})
			}
		}
		fyne.Do(func() { s.finish(paths, run) })
	})
}

// showProgress shows the file under way, its rows so far and the share
// of the import done.
func (s *importScreen) showProgress(i, n int, file string, rows int64, done float64) {
	if !s.running {
		return
	}
	s.progress.SetValue(min(done, 1))
	text := fmt.Sprintf("Importing %s: %s", baseName(file), plural(int(rows), "row", "rows"))
	if n > 1 {
		text = fmt.Sprintf("File %d of %d. ", i+1, n) + text
	}
	if s.cancelBtn.Disabled() {
		text = "Cancelling… " + text
	}
	s.status.SetText(text)
}

// finish ends a run: it shows each file's outcome, re-enables the screen,
// sums up and explains a failure. paths are what the run imported.
func (s *importScreen) finish(paths []string, run []fileResult) {
	s.running, s.cancel = false, nil
	s.progress.Hide()
	s.done = append(s.done, run...)
	s.results.setRows(len(s.done))
	s.results.table.Show()
	s.noResults.Hide()
	s.results.table.ScrollToBottom()
	counts := map[string]int{}
	var failure error
	for _, fr := range run {
		counts[resultStatus(fr)]++
		if fr.err != nil && !fr.cancelled {
			failure = fr.err
		}
	}
	switch {
	case counts["Cancelled"] > 0:
		s.status.SetText("Import cancelled. Nothing was imported; the list is as it was.")
	case failure != nil:
		s.status.SetText("Nothing was imported: see why in the dialog (select a failed row to see it again).")
		s.failed = &failedRun{paths: paths, err: failure}
		s.showFailure(run[0].file, failure)
	default:
		var parts []string
		for _, st := range []string{"Imported", "Added to its delivery", "Replaced earlier data", "Already imported", "Earlier delivery"} {
			if n := counts[st]; n > 0 {
				parts = append(parts, fmt.Sprintf("%s: %d", strings.ToLower(st), n))
			}
		}
		s.status.SetText("Done. " + plural(len(run), "file", "files") + " (" + strings.Join(parts, ", ") + ").")
		s.queue = slices.DeleteFunc(s.queue, func(p string) bool { return slices.Contains(paths, p) })
		s.state.dataChanged()
	}
	s.refreshQueue()
}

// stop cancels a running import and waits for it to end.
func (s *importScreen) stop() {
	if s.cancel != nil {
		s.cancel()
	}
	s.wg.Wait()
}

// resultStatus names a file's outcome for the accountant.
func resultStatus(fr fileResult) string {
	switch {
	case fr.cancelled:
		return "Cancelled"
	case fr.err != nil:
		return "Failed"
	}
	f := fr.res.Files[fr.index]
	switch f.Status {
	case ingest.AlreadyImported:
		return "Already imported"
	case ingest.EarlierDelivery:
		return "Earlier delivery"
	}
	status := "Imported"
	for _, d := range fr.res.FileShare(fr.index).Deliveries {
		switch d.Status {
		case ingest.Replaced:
			return "Replaced earlier data"
		case ingest.Joined:
			status = "Added to its delivery"
		}
	}
	return status
}

// resultCell fills the results table: a file's own share of the months it
// is a part of.
func (s *importScreen) resultCell(row, col int) cell {
	fr := s.done[row]
	if col == 0 {
		return cell{text: baseName(fr.file)}
	}
	if col == 1 {
		c := cell{text: resultStatus(fr)}
		switch {
		case fr.cancelled:
			c.importance = widget.WarningImportance
		case fr.err != nil:
			c.text = "Failed: select for details"
			c.importance = widget.DangerImportance
		case c.text == "Earlier delivery":
			c.text = "Earlier delivery: select for details"
			c.importance = widget.WarningImportance
		case c.text == "Already imported":
			c.importance = widget.MediumImportance
		default:
			c.importance = widget.SuccessImportance
		}
		return c
	}
	if fr.err != nil {
		return cell{}
	}
	f := fr.res.Files[fr.index]
	share := fr.res.FileShare(fr.index) // the engine's reading, as the CLI reports it
	ds, periods, payers, final := share.Deliveries, share.Periods, share.Payers, share.Final
	switch col {
	case 2:
		return cell{text: formatName(f.Format)}
	case 3:
		return cell{text: strings.Join(periods, ", ")}
	case 4:
		return cell{text: strings.Join(payers, ", ")}
	case 5:
		if len(ds) == 0 {
			return cell{}
		}
		return cell{text: count(f.Rows)}
	case 6:
		if len(ds) == 0 {
			return cell{}
		}
		return cell{text: amount(share.Currency, share.UnblendedCost, 2)}
	case 7:
		switch {
		case len(ds) == 0:
			return cell{}
		case final:
			return cell{text: finality(true), importance: widget.SuccessImportance}
		}
		return cell{text: finality(false), importance: widget.WarningImportance}
	case 8:
		if len(ds) == 0 {
			return cell{}
		}
		return cell{text: count(int64(len(share.Accounts)))}
	}
	return cell{}
}

// onResultSelected explains a failed import, or where an earlier
// delivery's file is, again.
func (s *importScreen) onResultSelected(id widget.TableCellID) {
	s.results.table.UnselectAll()
	if id.Row < 0 || id.Row >= len(s.done) {
		return
	}
	fr := s.done[id.Row]
	switch {
	case fr.err != nil && !fr.cancelled:
		s.showFailure(fr.file, fr.err)
	case fr.err == nil && fr.res.Files[fr.index].Note != "":
		dialog.ShowInformation(baseName(fr.file), fr.res.Files[fr.index].Note+
			". In the window: Periods, select the month, then Make current on that delivery.", s.state.win)
	}
}

// showFailure explains a refused import and what to do about it. Error
// texts go in as plain segments: column names such as line_item_cost must
// not be read as markup. A delivery refused as older than the month's
// current one can be made current anyway, deliberately.
func (s *importScreen) showFailure(file string, err error) {
	name := widget.RichTextStyleStrong
	name.Inline = false
	var ie *ingest.Error
	if errors.As(err, &ie) {
		file = ie.File
	}
	segs := []widget.RichTextSegment{
		&widget.TextSegment{Text: baseName(file), Style: name},
		&widget.TextSegment{Text: "In " + filepath.Dir(file), Style: widget.RichTextStyle{ColorName: theme.ColorNamePlaceHolder}},
		&widget.TextSegment{Text: problem(err), Style: widget.RichTextStyleParagraph},
		&widget.TextSegment{Text: advice(err), Style: widget.RichTextStyleParagraph},
	}
	msg := widget.NewRichText(segs...)
	msg.Wrapping = fyne.TextWrapWord
	title := "Could not import " + baseName(file)
	body := fyne.CanvasObject(container.NewVScroll(msg))
	if errors.Is(err, ingest.ErrOlder) && s.failed != nil {
		replace := widget.NewButtonWithIcon("Make the new delivery current anyway", theme.WarningIcon(), s.onReplaceAnyway)
		replace.Importance = widget.WarningImportance
		body = container.NewBorder(nil, container.NewHBox(replace), nil, nil, body)
	}
	s.failure = dialog.NewCustom(title, "Close", body, s.state.win)
	s.failure.Resize(fyne.NewSize(660, 460))
	s.failure.Show()
}

// problem is the error without the file's path, which the dialog already
// shows: the position in the file and what is wrong there.
func problem(err error) string {
	msg := err.Error()
	var ie *ingest.Error
	if errors.As(err, &ie) {
		msg = ie.Err.Error()
		if ie.Where != "" {
			msg = ie.Where + ": " + msg
		}
	}
	if msg == "" {
		return msg
	}
	return strings.ToUpper(msg[:1]) + msg[1:]
}

// advice tells the accountant what to do about a failed import. Nothing of
// a failed import is ever stored, so it can simply be imported again.
func advice(err error) string {
	const nothing = " Nothing of this import was stored."
	switch {
	case errors.Is(err, ingest.ErrOlder):
		return "The month keeps the delivery it has. If the provider really sent this one last, or you want it for another reason, make it current anyway: the history records your choice, and the replaced delivery can be restored from Periods." + nothing
	case errors.Is(err, ingest.ErrIncomplete):
		return "AWS split this month into several parts. Add the whole folder of the delivery, or its manifest (…-Manifest.json), and import again." + nothing
	case errors.Is(err, ingest.ErrNotBilling):
		return "Check that this is an AWS Cost and Usage Report export: the legacy CUR (CSV, Parquet or Athena text) " +
			"or a CUR 2.0 Data Export, as delivered to the report's S3 bucket. Cost Explorer downloads, " +
			"PDF invoices and other reports cannot be imported." + nothing
	case errors.Is(err, ingest.ErrDamaged):
		return "The download was probably interrupted: get a fresh copy from the report's S3 bucket and import it." + nothing
	default:
		return "Check that this is an AWS Cost and Usage Report export, complete and unchanged " +
			"(a file saved again by a spreadsheet program can lose columns or decimals). " +
			"The position above shows where the problem is." + nothing
	}
}
