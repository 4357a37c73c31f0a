package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// navKey is one keyboard shortcut: what it does, its keys and the
// action. The one table, navKeys, registers them (on the menu items and
// the window) and lists them in Help > Keyboard shortcuts, so the list
// cannot drift from what the keys do.
type navKey struct {
	id   string
	what string
	// key with the platform's shortcut modifier (Ctrl, or Cmd on macOS);
	// empty for Escape, which is not a shortcut but a key the window
	// handles (see closeTopDialog).
	key fyne.KeyName
	run func(sh *shell)
}

// navKeys are Rebill's keyboard shortcuts, in the order Help lists them.
var navKeys = []navKey{
	{"import", "Import billing files", fyne.KeyI, (*shell).onImportFiles},
	{"generate", "Generate invoices for the customers ticked in Reports", fyne.KeyG, (*shell).onGenerateInvoices},
	{"find", "Find: the screen's search field, else the customers' search", fyne.KeyF, (*shell).onFind},
	{"settings", "Settings", fyne.KeyComma, (*shell).onSettings},
	{"quit", "Quit Rebill", fyne.KeyQ, (*shell).onQuit},
	{"escape", "Close the dialog on top, as its Cancel or Close button does (in a text field, click beside it first)", "", nil},
}

// shortcut is the key with the platform's shortcut modifier, nil for
// Escape.
func (k navKey) shortcut() fyne.Shortcut {
	if k.key == "" {
		return nil
	}
	return &desktop.CustomShortcut{KeyName: k.key, Modifier: fyne.KeyModifierShortcutDefault}
}

// keysText is how Help writes the keys: "Ctrl+I", "Cmd+I" on macOS.
func (k navKey) keysText() string {
	if k.key == "" {
		return "Esc"
	}
	mod := "Ctrl+"
	if fyne.KeyModifierShortcutDefault == fyne.KeyModifierSuper {
		mod = "Cmd+"
	}
	return mod + strings.ToUpper(string(k.key))
}

// navKeyOf is the shortcut with this id, for the menu item that shares
// its keys and action.
func navKeyOf(id string) navKey {
	for _, k := range navKeys {
		if k.id == id {
			return k
		}
	}
	panic("ui: no shortcut " + id)
}

// registerKeys adds every shortcut to the window's canvas and makes
// Escape close the dialog on top. The menu items carry the same
// shortcuts (see mainMenu): Fyne's desktop driver runs a menu item's
// shortcut before the focused field sees the keys, and the canvas's
// when there is no menu.
func (sh *shell) registerKeys() {
	c := sh.state.win.Canvas()
	for _, k := range navKeys {
		if s := k.shortcut(); s != nil {
			run := k.run
			c.AddShortcut(s, func(fyne.Shortcut) { run(sh) })
		}
	}
	prev := c.OnTypedKey()
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape && closeTopDialog(c) {
			return
		}
		if prev != nil {
			prev(ev)
		}
	})
}
