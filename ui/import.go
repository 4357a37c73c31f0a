package ui

import (
	"context"
	"slices"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/ingest"
	"rebill/ui/appinfo"
	"rebill/ui/view"
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
	issued     *widget.Label // issued invoices computed from data the last run replaced
	results    *dataTable
	noResults  *widget.Label
	content    fyne.CanvasObject

	queue   []string
	done    []view.FileOutcome
	running bool
	// failed is the last run's failure, its paths and whether it can be
	// run again with --replace's meaning (an older delivery refused).
	failed *failedRun
	cancel context.CancelFunc
	wg     sync.WaitGroup // the running import
	// failure is the dialog explaining the last failed files.
	failure dialog.Dialog
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
			name := newTipLabel("")
			remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), nil)
			remove.Importance = widget.LowImportance
			return container.NewBorder(nil, nil, widget.NewIcon(theme.FileIcon()), remove, name)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			name := row.Objects[0].(*tipLabel)
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
		{title: "Provider and payer", max: 300},
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
	// What a run means for issued invoices: a sentence to read whole, so
	// it wraps where the status is cut.
	s.issued = widget.NewLabel("")
	s.issued.Wrapping = fyne.TextWrapWord
	s.issued.Importance = widget.WarningImportance
	s.issued.Hide()

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
	bottom := container.NewBorder(widget.NewSeparator(), nil, nil, actions, container.NewVBox(s.progress, s.issued, s.status))
	s.content = container.NewBorder(container.NewVBox(s.welcome, toolbar), bottom, nil, nil, split)
	s.refreshQueue()
	return s
}

func (s *importScreen) view() fyne.CanvasObject { return s.content }

// newWelcomeCard explains, on an empty database, what to import and where
// to find it.
func newWelcomeCard(s *importScreen) *widget.Card {
	text := widget.NewRichTextFromMarkdown(`Rebill reads your providers' detailed billing files:

- **AWS**: the **Cost and Usage Report** (CUR) of your payer (management) account, as **CSV** (.csv, .csv.gz or .zip), for Athena as **Parquet** or **text**, or a **CUR 2.0** Data Export; and the older **Detailed Billing Report**.
- **Microsoft Azure**: **cost details** or **usage details** exports (EA, MCA, pay-as-you-go), and Partner Center's **daily rated usage** or **reconciliation** files.
- **FOCUS** exports of any cloud, **Google Cloud** billing exports and **Oracle Cloud** cost reports.

For AWS, open **Billing and Cost Management > Data Exports** (or Cost and Usage Reports) in the console and download the month's files from the S3 bucket the report is delivered to; for Azure, **Cost Management > Exports**; or ask your distributor for them. Add one or several files, a whole folder, or drop them onto this window.

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

// start runs an import in the background, as a task (startTask): its
// Cancel rolls the import back. Everything it shows goes through
// fyne.Do.
func (s *importScreen) start(prepare prepareFunc, replace bool) {
	s.running, s.failed = true, nil
	s.progress.SetValue(0)
	s.progress.Show()
	s.issued.Hide()
	s.status.SetText("Starting…")
	s.refreshQueue()
	var paths []string
	var run []view.FileOutcome
	t := newTask(nil, func(string, error) { s.finish(paths, run) })
	s.cancel = t.cancel
	t.start(s.state, &s.wg, func(ctx context.Context, _ progressFunc) (string, error) {
		var cleanup func()
		var err error
		paths, cleanup, err = prepare(ctx)
		if err != nil {
			paths, run = nil, []view.FileOutcome{{File: "sample data", Err: err, Cancelled: ctx.Err() != nil}}
			return "", nil
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
		if err != nil {
			cancelled := ctx.Err() != nil
			for _, p := range paths {
				run = append(run, view.FileOutcome{File: p, Err: err, Cancelled: cancelled})
			}
			return "", nil // the outcomes say it, file by file
		}
		for i, f := range res.Files {
			run = append(run, view.FileOutcome{File: f.File, Res: &res, Index: i})
		}
		return "", nil
	})
}

// showProgress shows the file under way, its rows so far and the share
// of the import done.
func (s *importScreen) showProgress(i, n int, file string, rows int64, done float64) {
	if !s.running {
		return
	}
	s.progress.SetValue(min(done, 1))
	s.status.SetText(view.ImportProgress(i, n, file, rows, s.cancelBtn.Disabled()))
}

// finish ends a run: it shows each file's outcome, re-enables the screen,
// sums up and explains a failure. paths are what the run imported.
func (s *importScreen) finish(paths []string, run []view.FileOutcome) {
	s.running, s.cancel = false, nil
	s.progress.Hide()
	s.done = append(s.done, run...)
	s.results.setRows(len(s.done))
	s.results.table.Show()
	s.noResults.Hide()
	s.results.table.ScrollToBottom()
	text, failure, cancelled := view.ImportDone(run)
	s.status.SetText(text)
	if note := view.ImportIssuedNote(run); note != "" {
		s.issued.SetText(note)
		s.issued.Show()
	} else {
		s.issued.Hide()
	}
	switch {
	case cancelled:
	case failure != nil:
		s.failed = &failedRun{paths: paths, err: failure}
		s.showFailure(run[0].File, failure)
	default:
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
