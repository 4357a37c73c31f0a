package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/engine/period"
	"rebill/ui/appinfo"
	"rebill/ui/view"
)

// holidaysPanel is Settings > Public holidays: the days `rebill holidays`
// adds, lists and deletes, through the same store use cases (each in the
// audit log).
type holidaysPanel struct {
	state *appState

	country, day, name *widget.Entry
	fields             map[string]*formField
	order              []*formField
	add                *widget.Button
	status             *widget.Label
	list               *fyne.Container
	touched            bool
	content            fyne.CanvasObject
	// notice is the last dialog shown, for tests.
	notice dialog.Dialog
}

func newHolidaysPanel(st *appState, cols *labelColumn) *holidaysPanel {
	p := &holidaysPanel{state: st, fields: map[string]*formField{}}
	entry := func(placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		e.OnChanged = func(string) { p.onChanged() }
		return e
	}
	p.country = entry("e.g. FR")
	p.day = entry("YYYY-MM-DD")
	p.name = entry("e.g. New Year's Day")
	field := fieldAdder(p.fields, &p.order)
	form := cols.form(
		field("country", "Country", p.country, "Two letters (ISO 3166), e.g. FR or US. Empty: the country of your Account information."),
		field("date", "Day", p.day, ""),
		field("name", "Name", p.name, "Optional."),
	)
	p.add = widget.NewButtonWithIcon("Add holiday", theme.ContentAddIcon(), p.onAdd)
	p.add.Importance = widget.HighImportance
	p.add.Disable()
	p.status = wrapped(widget.MediumImportance)
	p.status.Hide()
	p.list = container.NewVBox()
	p.content = container.NewVBox(
		lowNote("A month may be invoiced a few business days after it ends; weekends are never business days, and neither are the holidays entered here."),
		form, container.NewBorder(nil, nil, nil, p.add, p.status), p.list)
	st.onDataChanged(p.load)
	p.load()
	return p
}

func (p *holidaysPanel) view() fyne.CanvasObject { return p.content }

// load lists every country's holidays.
func (p *holidaysPanel) load() {
	hs, err := p.state.db.Holidays("")
	if err != nil {
		p.say("Could not read the holidays: "+err.Error(), widget.DangerImportance)
		return
	}
	p.list.RemoveAll()
	if len(hs) == 0 {
		p.list.Add(lowNote("No holidays entered."))
	}
	for _, h := range hs {
		h := h
		line := widget.NewLabel(view.HolidayLine(h))
		line.Wrapping = fyne.TextWrapWord
		del := widget.NewButtonWithIcon("Delete…", theme.DeleteIcon(), func() { p.onDelete(h) })
		p.list.Add(container.NewBorder(nil, nil, nil, del, line))
	}
	p.list.Refresh()
}

func (p *holidaysPanel) onChanged() {
	p.touched = true
	p.check()
}

// countryCode is the country typed, else the profile's, as `rebill
// holidays add` takes it.
func (p *holidaysPanel) countryCode() string {
	if c := strings.ToUpper(strings.TrimSpace(p.country.Text)); c != "" {
		return c
	}
	if pr, err := p.state.db.Profile(); err == nil {
		return pr.Country
	}
	return ""
}

// check reads the form through the engine's rules, shows each problem
// beside its field and enables Add.
func (p *holidaysPanel) check() (period.Holiday, bool) {
	h := period.Holiday{Country: p.countryCode(), Name: p.name.Text}
	h.Normalize()
	var ps customer.Problems
	if h.Country == "" {
		ps = append(ps, customer.Problem{Field: "country", Message: "which country? Write its two letters, or set your country in Account information"})
	} else if err := period.CheckCountry(h.Country); err != nil {
		ps = append(ps, customer.Problem{Field: "country", Message: err.Error()})
	}
	d, err := invoice.ParseDate(strings.TrimSpace(p.day.Text))
	if err != nil {
		ps = append(ps, customer.Problem{Field: "date", Message: err.Error()})
	}
	h.Date = d
	text := formStatus(p.order, p.fields, ps, showTyped(p.fields, ps))
	if p.touched {
		showFormStatus(p.status, text)
	}
	enableWhen(p.add, len(ps) == 0)
	return h, len(ps) == 0
}

// onAdd records the holiday; on a refusal what was typed stays.
func (p *holidaysPanel) onAdd() {
	h, ok := p.check()
	if !ok {
		return
	}
	if err := p.state.db.AddHoliday(h, p.state.now(), appinfo.User()); err != nil {
		p.say("Not added: "+err.Error(), widget.DangerImportance)
		return
	}
	p.touched = false
	p.day.SetText("")
	p.name.SetText("")
	clearTyped(p.fields)
	p.state.dataChanged()
	p.say(view.HolidayAdded(h), widget.SuccessImportance)
}

// onDelete deletes a holiday after a confirmation, and says so.
func (p *holidaysPanel) onDelete(h period.Holiday) {
	d := dialog.NewConfirm("Delete holiday", view.HolidayDeleteQuestion(h), func(yes bool) {
		if !yes {
			return
		}
		if err := p.state.db.DeleteHoliday(h.Country, h.Date, p.state.now(), appinfo.User()); err != nil {
			p.say("Not deleted: "+err.Error(), widget.DangerImportance)
			return
		}
		p.state.dataChanged()
		p.say(view.HolidayDeleted(h), widget.SuccessImportance)
	}, p.state.win)
	d.SetConfirmText("Delete")
	p.notice = d
	d.Show()
}

func (p *holidaysPanel) say(text string, imp widget.Importance) {
	p.status.Importance = imp
	p.status.SetText(text)
	p.status.Show()
}
