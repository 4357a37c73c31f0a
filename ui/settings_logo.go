package ui

import (
	"bytes"
	"fmt"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/customer"
	"rebill/ui/view"
)

// Settings > Account information > Logo: a PNG or JPEG checked by the
// engine, previewed as invoices will show it, stored with Save.

// onChooseLogo picks a PNG or JPEG file.
func (s *settingsScreen) onChooseLogo() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(err, s.state.win)
			return
		}
		if r == nil {
			return
		}
		defer r.Close()
		data, err := io.ReadAll(r)
		if err != nil {
			dialog.ShowError(fmt.Errorf("could not read %s: %w", r.URI().Name(), err), s.state.win)
			return
		}
		s.useLogo(r.URI().Name(), data)
	}, s.state.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg"}))
	d.Resize(dialogSize(s.state.win))
	d.Show()
}

// useLogo checks a logo with the engine and shows it; it is stored with
// Save. A logo the engine refuses is explained and not used.
func (s *settingsScreen) useLogo(name string, data []byte) {
	var p customer.Profile
	if err := p.SetLogo(data); err != nil {
		s.notice = dialog.NewInformation("Logo not used", fmt.Sprintf("%s cannot be used: %s.", name, err), s.state.win)
		s.notice.Show()
		return
	}
	s.logo, s.logoType = p.Logo, p.LogoType
	s.showLogo()
	s.onChanged()
}

func (s *settingsScreen) onRemoveLogo() {
	s.logo, s.logoType = nil, ""
	s.showLogo()
	s.onChanged()
}

// showLogo previews the logo as invoices will show it, or says there is
// none.
func (s *settingsScreen) showLogo() {
	s.logoBox.RemoveAll()
	frame := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	frame.SetMinSize(fyne.NewSize(200, 90))
	frame.CornerRadius = theme.InputRadiusSize()
	s.logoBox.Add(frame)
	if len(s.logo) == 0 {
		none := widget.NewLabel("No logo")
		none.Importance = widget.LowImportance
		none.Alignment = fyne.TextAlignCenter
		s.logoBox.Add(container.NewCenter(none))
		text, _ := view.LogoInfo(nil, "")
		s.logoInfo.SetText(text)
		s.removeLogo.Disable()
		return
	}
	img := canvas.NewImageFromReader(bytes.NewReader(s.logo), "logo")
	if img != nil {
		img.FillMode = canvas.ImageFillContain
		img.SetMinSize(fyne.NewSize(200, 90))
		s.logoBox.Add(container.NewPadded(img))
	}
	if text, ok := view.LogoInfo(s.logo, s.logoType); ok {
		s.logoInfo.SetText(text)
	}
	s.removeLogo.Enable()
}
