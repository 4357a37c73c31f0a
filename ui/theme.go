package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The light and dark looks: following the system by default, or the one
// the accountant chose in Settings or the View menu, remembered in the
// app's preferences and applied at once.

// themePref is the preference key of the chosen look.
const themePref = "theme"

// themeChoice is one look the accountant can choose.
type themeChoice struct {
	key   string // as stored in the preferences
	label string // as the menu and Settings show it
}

// themeChoices are the looks, System first: it is the default.
var themeChoices = []themeChoice{
	{"system", "System"},
	{"light", "Light"},
	{"dark", "Dark"},
}

// themeKey is the look chosen, "system" when none was or the stored one
// is unknown (written by a later Rebill, say).
func themeKey(p fyne.Preferences) string {
	k := p.StringWithFallback(themePref, "system")
	for _, c := range themeChoices {
		if c.key == k {
			return k
		}
	}
	return "system"
}

// themeLabel is the label of a look's key.
func themeLabel(key string) string {
	for _, c := range themeChoices {
		if c.key == key {
			return c.label
		}
	}
	return themeChoices[0].label
}

// themeFor is the Fyne theme of a look: the default theme, which follows
// the system, or the default theme held to one variant.
func themeFor(key string) fyne.Theme {
	switch key {
	case "light":
		return fixedVariant{Theme: theme.DefaultTheme(), variant: theme.VariantLight}
	case "dark":
		return fixedVariant{Theme: theme.DefaultTheme(), variant: theme.VariantDark}
	}
	return theme.DefaultTheme()
}

// fixedVariant is a theme whose colours ignore the system's variant.
type fixedVariant struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

// Color gives the colour of the held variant, whatever the system asks.
func (t fixedVariant) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// applyTheme applies the remembered look; Run calls it before building
// the window.
func (s *appState) applyTheme() {
	s.app.Settings().SetTheme(themeFor(themeKey(s.app.Preferences())))
}

// setTheme remembers a look and applies it at once; every place that
// shows the choice (the View menu, Settings) is told.
func (s *appState) setTheme(key string) {
	s.app.Preferences().SetString(themePref, key)
	s.applyTheme()
	for _, fn := range s.themeListeners {
		fn(key)
	}
}

// themePanel is Settings > Appearance: the same choice as View > Theme.
type themePanel struct {
	state   *appState
	choice  *widget.RadioGroup
	content fyne.CanvasObject
}

func newThemePanel(st *appState) *themePanel {
	p := &themePanel{state: st}
	var labels []string
	for _, c := range themeChoices {
		labels = append(labels, c.label)
	}
	p.choice = widget.NewRadioGroup(labels, p.onChoose)
	p.choice.Horizontal = true
	p.choice.Required = true
	p.choice.SetSelected(themeLabel(themeKey(st.app.Preferences())))
	st.themeListeners = append(st.themeListeners, func(key string) {
		if l := themeLabel(key); p.choice.Selected != l {
			p.choice.SetSelected(l)
		}
	})
	p.content = newForm(newFormField("Theme", p.choice, "System follows the light or dark look of your computer; Light and Dark keep one. Applied at once and remembered; also in View > Theme."))
	return p
}

func (p *themePanel) view() fyne.CanvasObject { return p.content }

func (p *themePanel) onChoose(label string) {
	for _, c := range themeChoices {
		if c.label == label && c.key != themeKey(p.state.app.Preferences()) {
			p.state.setTheme(c.key)
		}
	}
}
