package ui

import (
	"fmt"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"rebill/store"
	"rebill/ui/view"
)

// The CSV files. Fyne's dialogs pick the file; reading and writing run in
// the background and report back through fyne.Do.

func (s *customersScreen) onImportCustomers() { s.openCSV(s.importCustomers) }

func (s *customersScreen) onImportMappings() { s.openCSV(s.importMappings) }

func (s *customersScreen) onExportCustomers() {
	s.saveCSV("customers.csv", s.exportCustomers)
}

func (s *customersScreen) onExportMappings() {
	s.saveCSV("account-mappings.csv", s.exportMappings)
}

// importCustomers imports a customers file: every customer is added or
// updated, or, when any row is bad, none is.
func (s *customersScreen) importCustomers(r io.ReadCloser, name string) {
	s.importCSV(r, name, "customers", func(r io.Reader) (store.ImportReport, error) {
		return s.state.db.ImportCustomersCSV(r, s.state.now())
	})
}

// importMappings imports an account mappings file: the mappings of every
// account it names are replaced, or, when any row is bad, none is.
func (s *customersScreen) importMappings(r io.ReadCloser, name string) {
	s.importCSV(r, name, "account mappings", func(r io.Reader) (store.ImportReport, error) {
		return s.state.db.ImportMappingsCSV(r, s.state.now())
	})
}

func (s *customersScreen) exportCustomers(w io.WriteCloser, path string) {
	s.exportCSV(w, path, "customers", s.state.db.ExportCustomersCSV)
}

func (s *customersScreen) exportMappings(w io.WriteCloser, path string) {
	s.exportCSV(w, path, "account mappings", s.state.db.ExportMappingsCSV)
}

// openCSV picks a CSV file and hands it to imp.
func (s *customersScreen) openCSV(imp func(r io.ReadCloser, name string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(err, s.state.win)
			return
		}
		if r == nil {
			return
		}
		imp(r, r.URI().Name())
	}, s.state.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv"}))
	d.Resize(dialogSize(s.state.win))
	d.Show()
}

// importCSV imports a file in the background; the store takes it whole
// or, when any row is bad, not at all.
func (s *customersScreen) importCSV(r io.ReadCloser, name, what string, imp func(io.Reader) (store.ImportReport, error)) {
	s.state.run(func() {
		defer r.Close()
		rep, err := imp(r)
		fyne.Do(func() {
			if err != nil {
				s.showImportError(name, what, err)
				return
			}
			s.notice = dialog.NewInformation("Imported "+name, view.Imported(what, rep), s.state.win)
			s.notice.Show()
			s.refresh()
			s.state.dataChanged()
		})
	})
}

// showImportError lists every bad row of a refused file with its line,
// column and reason (view.Refused). Reasons go in as plain text
// segments: column names such as payment_terms_days must not be read as
// markup.
func (s *customersScreen) showImportError(name, what string, err error) {
	text, problems := view.Refused(name, what, err)
	intro := widget.NewLabel(text)
	intro.Wrapping = fyne.TextWrapWord
	where := widget.RichTextStyleStrong
	where.Inline = false
	var segs []widget.RichTextSegment
	for _, p := range problems {
		if p.Where != "" {
			segs = append(segs, &widget.TextSegment{Text: p.Where, Style: where})
		}
		segs = append(segs, &widget.TextSegment{Text: p.Reason, Style: widget.RichTextStyleParagraph})
	}
	list := widget.NewRichText(segs...)
	list.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("Could not import "+name, "Close", container.NewBorder(intro, nil, nil, nil, container.NewVScroll(list)), s.state.win)
	d.Resize(fyne.NewSize(680, 460))
	s.notice = d
	d.Show()
}

// saveCSV picks where to write a CSV file and hands it to export.
func (s *customersScreen) saveCSV(name string, export func(w io.WriteCloser, path string)) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowError(err, s.state.win)
			return
		}
		if w == nil {
			return
		}
		export(w, w.URI().Path())
	}, s.state.win)
	d.SetFileName(name)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv"}))
	d.Resize(dialogSize(s.state.win))
	d.Show()
}

// exportCSV writes a file in the background.
func (s *customersScreen) exportCSV(w io.WriteCloser, path, what string, export func(io.Writer) error) {
	s.state.run(func() {
		err := export(w)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		fyne.Do(func() {
			if err != nil {
				dialog.ShowError(fmt.Errorf("the %s were not exported: %w", what, err), s.state.win)
				return
			}
			s.notice = dialog.NewInformation("Exported", view.Exported(what, path), s.state.win)
			s.notice.Show()
		})
	})
}
