package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/access"
	"rebill/ui/view"
)

// apiPanel is Settings > Billing API: whether the window serves the API,
// on which address and port, and the API keys. The server itself is the
// appState's apiServer, restarted when the settings are applied.
type apiPanel struct {
	state *appState

	enabled       *widget.Check
	address, port *widget.Entry
	addressField  *formField
	apply         *widget.Button
	status        *widget.Label

	keys      *fyne.Container
	createKey *widget.Button
	// The Create key dialog's inputs, then the dialog showing the new
	// key once (keyShown, with its copy button); confirm is the last
	// revoke confirmation. Kept for tests.
	keyName  *widget.Entry
	keyWrite *widget.Check
	keyMake  *widget.Button
	keyShown *widget.Label
	keyCopy  *widget.Button
	confirm  *dialog.ConfirmDialog
	revokes  map[uint64]*widget.Button

	content fyne.CanvasObject
}

func newAPIPanel(st *appState) *apiPanel {
	p := &apiPanel{state: st, revokes: map[uint64]*widget.Button{}}
	p.enabled = widget.NewCheck("Serve the billing API while Rebill is open", func(bool) { p.onEdited() })
	p.address = widget.NewEntry()
	p.address.SetPlaceHolder(access.DefaultAddress)
	p.address.OnChanged = func(string) { p.onEdited() }
	p.port = widget.NewEntry()
	p.port.SetPlaceHolder(strconv.Itoa(access.DefaultPort))
	p.port.OnChanged = func(string) { p.onEdited() }
	p.apply = widget.NewButtonWithIcon("Apply", theme.ConfirmIcon(), p.onApply)
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.keys = container.NewVBox()
	p.createKey = widget.NewButtonWithIcon("Create key…", theme.ContentAddIcon(), p.onCreateKey)

	p.addressField = newFormField("Address", p.address,
		"127.0.0.1 keeps the API on this computer. Another address (this computer's on your network, or 0.0.0.0 for all) lets other computers connect; the status bar then says so.")
	form := newForm(
		newFormField("Billing API", p.enabled, "Other programs (accounting, PSA) read customers, statements and invoices as JSON; `rebill serve` does the same without the window."),
		p.addressField,
		newFormField("Port", p.port, ""),
	)
	p.content = container.NewVBox(
		lowNote("The API answers only requests that carry one of these keys. Read-only keys never see draft invoices; read-write keys also approve, close, void and credit."),
		form, container.NewBorder(nil, nil, nil, p.apply, p.status),
		widget.NewLabelWithStyle("API keys", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		p.keys, container.NewHBox(p.createKey),
	)
	st.api.onChange(p.showStatus)
	p.load()
	return p
}

func (p *apiPanel) view() fyne.CanvasObject { return p.content }

// load shows the saved settings, the server's state and the keys.
func (p *apiPanel) load() {
	s, err := p.state.db.APISettings()
	if err != nil {
		p.setStatus("Could not read the billing API settings: "+err.Error(), widget.DangerImportance)
		return
	}
	p.enabled.SetChecked(s.Enabled)
	p.address.SetText(s.Address)
	p.port.SetText(strconv.Itoa(s.Port))
	p.showStatus()
	p.loadKeys()
}

// draft reads the form; the engine checks it.
func (p *apiPanel) draft() (access.Settings, error) {
	s := access.Settings{Enabled: p.enabled.Checked, Address: p.address.Text}
	if t := strings.TrimSpace(p.port.Text); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil {
			return s, fmt.Errorf("port %q is not a number", t)
		}
		s.Port = n
	}
	s = s.Normalize()
	return s, s.Validate()
}

func (p *apiPanel) onEdited() {
	_, err := p.draft()
	if err != nil {
		p.addressField.setProblems([]string{sentence(err.Error())})
	} else {
		p.addressField.setProblems(nil)
	}
	enableWhen(p.apply, err == nil)
}

// onApply saves the settings and restarts the API on them.
func (p *apiPanel) onApply() {
	s, err := p.draft()
	if err != nil {
		return
	}
	if s, err = p.state.db.PutAPISettings(s, p.state.now()); err != nil {
		p.setStatus("The billing API settings were not saved: "+err.Error(), widget.DangerImportance)
		return
	}
	p.state.api.apply(s)
	p.showStatus()
}

func (p *apiPanel) showStatus() {
	st := p.state.api.status()
	switch {
	case st.Failed:
		p.setStatus(st.Text, widget.DangerImportance)
	case st.Exposed:
		p.setStatus(st.Text, widget.WarningImportance)
	case st.On:
		p.setStatus(st.Text, widget.SuccessImportance)
	default:
		p.setStatus(st.Text, widget.MediumImportance)
	}
}

func (p *apiPanel) setStatus(text string, imp widget.Importance) {
	p.status.Importance = imp
	p.status.SetText(text)
}

// loadKeys lists the keys, each active one with its Revoke button.
func (p *apiPanel) loadKeys() {
	keys, err := p.state.db.APIKeys()
	p.keys.RemoveAll()
	p.revokes = map[uint64]*widget.Button{}
	if err != nil {
		p.keys.Add(widget.NewLabel("Could not read the API keys: " + err.Error()))
		return
	}
	if len(keys) == 0 {
		p.keys.Add(lowNote("No keys yet: the API refuses every request until you create one."))
	}
	for _, k := range keys {
		scope := "read-only"
		if k.Scope.MayWrite() {
			scope = "read-write"
		}
		used := "never used"
		if !k.LastUsed.IsZero() {
			used = "last used " + view.Moment(k.LastUsed)
		}
		text := fmt.Sprintf("%d  ·  %s  ·  %s  ·  %s…  ·  created %s  ·  %s", k.ID, k.Name, scope, k.Hint, k.Created.Local().Format(time.DateOnly), used)
		label := widget.NewLabel(text)
		label.Truncation = fyne.TextTruncateEllipsis
		if !k.Active() {
			label.Text += "  ·  revoked " + k.Revoked.Local().Format(time.DateOnly)
			label.Importance = widget.LowImportance
			p.keys.Add(label)
			continue
		}
		revoke := widget.NewButtonWithIcon("Revoke", theme.DeleteIcon(), func() { p.onRevoke(k) })
		p.revokes[k.ID] = revoke
		p.keys.Add(container.NewBorder(nil, nil, nil, revoke, label))
	}
}

// onCreateKey asks for the new key's name and scope.
func (p *apiPanel) onCreateKey() {
	p.keyName = widget.NewEntry()
	p.keyName.SetPlaceHolder("who uses it, e.g. PSA sync")
	p.keyWrite = widget.NewCheck("Read-write: also sees drafts, and approves, closes, voids and credits invoices", nil)
	d := dialog.NewCustomWithoutButtons("Create an API key", container.NewVBox(
		newForm(newFormField("Name", p.keyName, ""), newFormField("Scope", p.keyWrite, "Without it the key only reads, and never sees drafts.")),
	), p.state.win)
	p.keyMake = widget.NewButtonWithIcon("Create", theme.ConfirmIcon(), func() {
		scope := access.Read
		if p.keyWrite.Checked {
			scope = access.ReadWrite
		}
		k, secret, err := p.state.db.CreateAPIKey(p.keyName.Text, scope, p.state.now())
		if err != nil {
			dialog.ShowError(err, p.state.win)
			return
		}
		d.Hide()
		p.loadKeys()
		p.showKey(k, secret)
	})
	p.keyMake.Importance = widget.HighImportance
	p.keyName.OnChanged = func(s string) { enableWhen(p.keyMake, strings.TrimSpace(s) != "") }
	p.keyName.OnChanged("")
	d.SetButtons([]fyne.CanvasObject{widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), d.Hide), p.keyMake})
	d.Resize(fyne.NewSize(560, 260))
	d.Show()
}

// showKey shows a new key, this once, with a button that copies it.
func (p *apiPanel) showKey(k access.Key, secret string) {
	p.keyShown = widget.NewLabelWithStyle(secret, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	p.keyShown.Selectable = true
	p.keyCopy = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		p.state.app.Clipboard().SetContent(secret)
		p.keyCopy.SetText("Copied")
	})
	note := widget.NewLabel(fmt.Sprintf("Key %d (%s) is shown only now: Rebill keeps only its fingerprint. Copy it into the program that uses it, which sends it as Authorization: Bearer KEY.", k.ID, k.Name))
	note.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("API key created", "Done", container.NewVBox(note, container.NewBorder(nil, nil, nil, p.keyCopy, p.keyShown)), p.state.win)
	d.Resize(fyne.NewSize(640, 240))
	d.Show()
}

// onRevoke asks before revoking a key: programs using it stop working.
func (p *apiPanel) onRevoke(k access.Key) {
	p.confirm = dialog.NewConfirm("Revoke API key", fmt.Sprintf("Revoke key %d (%s)? Programs using it are refused from now on; this cannot be undone.", k.ID, k.Name),
		func(ok bool) {
			if !ok {
				return
			}
			if _, err := p.state.db.RevokeAPIKey(k.ID, p.state.now()); err != nil {
				dialog.ShowError(err, p.state.win)
			}
			p.loadKeys()
		}, p.state.win)
	p.confirm.SetConfirmText("Revoke")
	p.confirm.Show()
}
