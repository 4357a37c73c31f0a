package ui

import (
	"errors"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/ingest"
	"rebill/ui/view"
)

// The Import screen's results: each file's outcome as its view-model
// words it (view.ImportRow), and why a refused import was refused.

// resultCell fills the results table.
func (s *importScreen) resultCell(row, col int) cell {
	fr := s.done[row]
	format := ""
	if fr.Err == nil {
		format = formatName(fr.Res.Files[fr.Index].Format)
	}
	return cellOf(view.ImportRow(fr, format).Cells[col])
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
	case fr.Err != nil && !fr.Cancelled:
		s.showFailure(fr.File, fr.Err)
	case fr.Err == nil && fr.Res.Files[fr.Index].Note != "":
		dialog.ShowInformation(baseName(fr.File), fr.Res.Files[fr.Index].Note+
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
		&widget.TextSegment{Text: view.ImportProblem(err), Style: widget.RichTextStyleParagraph},
		&widget.TextSegment{Text: view.ImportAdvice(err), Style: widget.RichTextStyleParagraph},
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
