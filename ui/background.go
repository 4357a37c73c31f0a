package ui

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Long work (generating, checking the database, writing a document) runs
// off the window's goroutine so that the window never freezes, and can be
// cancelled. A task is that one mechanism: the work gets a context to
// check between its steps and a function to report progress; whatever it
// reports reaches the window through fyne.Do. The store's use cases run
// in one transaction that a cancel rolls back, so a cancelled task has
// changed nothing.

// progressFunc reports how far a task is: done of total steps (total 0
// when unknown) and what it is doing ("" keeps the last words).
type progressFunc func(done, total int, what string)

// work is a task's body. It returns what to tell the accountant once it
// is done, or an error; after a cancel it returns ctx.Err().
type work func(ctx context.Context, progress progressFunc) (string, error)

// cancelledText is what a cancelled task says.
const cancelledText = "Cancelled: nothing was changed."

// task is one run of long work.
type task struct {
	ctx    context.Context
	cancel context.CancelFunc
	// onProgress and onDone run on the window's goroutine.
	onProgress func(done, total int, what string)
	onDone     func(msg string, err error)
}

// startTask runs w in the background (st.run) and calls onProgress and
// onDone through fyne.Do; onDone gets context.Canceled when the task was
// cancelled. running, when not nil, counts the task until it ends, so
// that the window can wait for it before the database closes.
func startTask(st *appState, running *sync.WaitGroup, w work, onProgress func(done, total int, what string), onDone func(msg string, err error)) *task {
	t := newTask(onProgress, onDone)
	t.start(st, running, w)
	return t
}

// newTask is a task not yet started, so that its Cancel can be bound
// before it runs.
func newTask(onProgress func(done, total int, what string), onDone func(msg string, err error)) *task {
	ctx, cancel := context.WithCancel(context.Background())
	return &task{ctx: ctx, cancel: cancel, onProgress: onProgress, onDone: onDone}
}

// start runs the task; see startTask.
func (t *task) start(st *appState, running *sync.WaitGroup, w work) {
	ctx, cancel := t.ctx, t.cancel
	if running != nil {
		running.Add(1)
	}
	st.run(func() {
		if running != nil {
			defer running.Done()
		}
		defer cancel()
		msg, err := w(ctx, func(done, total int, what string) {
			if t.onProgress != nil {
				fyne.Do(func() { t.onProgress(done, total, what) })
			}
		})
		if err != nil && ctx.Err() != nil {
			err = context.Canceled // whatever the work made of it
		}
		fyne.Do(func() { t.onDone(msg, err) })
	})
}

// progressDialog shows a task: what it does, a progress bar and Cancel;
// then its outcome in the same dialog, with Close.
type progressDialog struct {
	title     string
	what      *widget.Label
	bar       *widget.ProgressBar
	busy      *widget.ProgressBarInfinite
	cancelBtn *widget.Button
	closeBtn  *widget.Button
	dlg       *dialog.CustomDialog
	task      *task
	// result is the outcome as shown, for the caller and the tests.
	result string
	failed bool
}

// runWithProgress runs w in the background behind a progress dialog
// titled title, saying first what it starts with. then, when not nil,
// runs on the window's goroutine after the outcome is shown, whatever it
// is (err is context.Canceled after a cancel): e.g. to refresh a screen.
func runWithProgress(st *appState, running *sync.WaitGroup, title, starting string, w work, then func(msg string, err error)) *progressDialog {
	p := &progressDialog{title: title}
	p.what = widget.NewLabel(starting)
	p.what.Wrapping = fyne.TextWrapWord
	p.bar = widget.NewProgressBar()
	p.bar.Hide()
	p.busy = widget.NewProgressBarInfinite()
	p.cancelBtn = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), p.onCancel)
	p.closeBtn = widget.NewButtonWithIcon("Close", theme.ConfirmIcon(), func() { p.dlg.Hide() })
	p.closeBtn.Hide()
	p.dlg = dialog.NewCustomWithoutButtons(title, container.NewVBox(p.what, p.bar, p.busy), st.win)
	p.dlg.SetButtons([]fyne.CanvasObject{p.cancelBtn, p.closeBtn})
	p.dlg.Resize(fyne.NewSize(480, 180))
	p.dlg.Show()
	p.task = newTask(p.onProgress, func(msg string, err error) {
		p.finish(msg, err)
		if then != nil {
			then(msg, err)
		}
	})
	p.task.start(st, running, w)
	return p
}

// onProgress moves the bar; an unknown total keeps the busy bar.
func (p *progressDialog) onProgress(done, total int, what string) {
	if p.task != nil && p.task.ctx.Err() != nil {
		return // cancelling: keep saying so
	}
	if what != "" {
		p.what.SetText(what)
	}
	if total > 0 {
		p.busy.Stop()
		p.busy.Hide()
		p.bar.Show()
		p.bar.SetValue(float64(done) / float64(total))
	}
}

// onCancel asks the task to stop; the dialog says so until it has.
func (p *progressDialog) onCancel() {
	if p.task == nil {
		return
	}
	p.task.cancel()
	p.cancelBtn.Disable()
	p.what.SetText("Cancelling…")
}

// finish shows the outcome: done, failed with the reason, or cancelled.
func (p *progressDialog) finish(msg string, err error) {
	p.busy.Stop()
	p.busy.Hide()
	p.bar.Hide()
	p.cancelBtn.Hide()
	p.closeBtn.Show()
	switch {
	case errors.Is(err, context.Canceled):
		p.result = cancelledText
	case err != nil:
		p.result, p.failed = sentence(err.Error()), true
		p.what.Importance = widget.DangerImportance
	default:
		p.result = msg
	}
	p.what.SetText(p.result)
}

// saveFile writes a file at path through write, which gets a writer to
// a temporary file beside path and done, to call once the content is
// whole: done moves the file in place, or refuses with ctx's error after
// a cancel. Whatever fails or is cancelled, the temporary file is
// removed, and an empty file at path (the one a save dialog creates) too:
// nothing half-written is left. The writer fails once ctx is cancelled,
// so a long document stops midway.
func saveFile[T any](ctx context.Context, path string, write func(w io.Writer, done func() error) (T, error)) (T, error) {
	var zero T
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return zero, err
	}
	moved := false
	defer func() {
		if !moved {
			tmp.Close()
			os.Remove(tmp.Name())
			if st, err := os.Stat(path); err == nil && st.Size() == 0 {
				os.Remove(path)
			}
		}
	}()
	done := func() error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := tmp.Close(); err != nil {
			return err
		}
		if err := os.Rename(tmp.Name(), path); err != nil {
			return err
		}
		moved = true
		return nil
	}
	v, err := write(ctxWriter{ctx, tmp}, done)
	if err == nil && !moved {
		err = done() // the writer did not call it
	}
	if err != nil {
		return zero, err
	}
	return v, nil
}

// ctxWriter fails its writes once ctx is cancelled.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
