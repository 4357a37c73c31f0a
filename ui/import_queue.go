package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/ingest"
	"rebill/ui/view"
)

// The Import screen's queue: the files and folders picked, dropped or
// removed before an import, and the buttons that depend on it.

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
		detail += ", " + view.ByteSize(st.Size())
	}
	return filepath.Base(path) + "   (" + detail + ")"
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
