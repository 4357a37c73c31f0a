package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/money"
	"rebill/ui/view"
)

// ratesPanel is Settings > Exchange rates: the rates `rebill rates`
// sets, lists and deletes. A rate typed is checked by the engine as it is
// typed (EnteredRate.Validate), each problem beside its field, and saved
// through the store's PutRate, which keeps the value it replaces in the
// rate's history; the list shows that history.
type ratesPanel struct {
	state *appState

	from, period, rate, source *widget.Entry
	to                         *widget.SelectEntry
	fields                     map[string]*formField
	order                      []*formField
	replaces                   *widget.Label
	save                       *widget.Button
	status                     *widget.Label
	list                       *fyne.Container
	rates                      []billing.EnteredRate
	touched                    bool
	content                    fyne.CanvasObject
	// notice is the last dialog shown, for tests.
	notice dialog.Dialog
}

func newRatesPanel(st *appState, cols *labelColumn) *ratesPanel {
	p := &ratesPanel{state: st, fields: map[string]*formField{}}
	entry := func(placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		e.OnChanged = func(string) { p.onChanged() }
		return e
	}
	p.from = entry("e.g. USD")
	p.to = widget.NewSelectEntry(money.Currencies())
	p.to.SetPlaceHolder("e.g. EUR")
	p.to.OnChanged = func(string) { p.onChanged() }
	p.period = entry("YYYY-MM")
	p.rate = entry("e.g. 0.9123")
	p.source = entry("e.g. ECB reference rate 2026-09-30")
	field := fieldAdder(p.fields, &p.order)
	form := cols.form(
		field(billing.RateFieldFrom, "From", p.from, "The currency of the provider's files."),
		field(billing.RateFieldTo, "To", p.to, "The customer's invoice currency."),
		field(billing.RateFieldPeriod, "Month", p.period, "The billing month the rate converts."),
		field(billing.RateFieldRate, "Rate", p.rate, "How many of To one From buys. Rates are never inverted: EUR/USD does not give USD/EUR."),
		field(billing.RateFieldSource, "Source", p.source, "Where the rate comes from; invoices print it."),
	)
	p.replaces = lowNote("")
	p.replaces.Hide()
	p.save = widget.NewButtonWithIcon("Save rate", theme.DocumentSaveIcon(), p.onSave)
	p.save.Importance = widget.HighImportance
	p.save.Disable()
	p.status = wrapped(widget.MediumImportance)
	p.status.Hide()
	p.list = container.NewVBox()
	p.content = container.NewVBox(
		lowNote("Customers invoiced in another currency than the provider's files need the rate of each month. A rate changed keeps the one it replaced, with its source and time, in its history."),
		form, p.replaces, container.NewBorder(nil, nil, nil, p.save, p.status), p.list)
	st.onDataChanged(p.load)
	p.load()
	return p
}

func (p *ratesPanel) view() fyne.CanvasObject { return p.content }

// load lists the stored rates with their history.
func (p *ratesPanel) load() {
	rs, err := p.state.db.Rates()
	if err != nil {
		p.say("Could not read the exchange rates: "+err.Error(), widget.DangerImportance)
		return
	}
	p.rates = rs
	p.list.RemoveAll()
	if len(rs) == 0 {
		p.list.Add(lowNote("No exchange rates yet."))
	}
	for _, r := range rs {
		r := r
		line := widget.NewLabel(view.RateLine(r))
		line.Wrapping = fyne.TextWrapWord
		text := container.NewVBox(line)
		for _, h := range view.PastRates(r) {
			text.Add(lowNote("Before: " + h))
		}
		edit := widget.NewButtonWithIcon("Change…", theme.DocumentCreateIcon(), func() { p.fill(r) })
		del := widget.NewButtonWithIcon("Delete…", theme.DeleteIcon(), func() { p.onDelete(r) })
		p.list.Add(container.NewBorder(nil, nil, nil, container.NewVBox(container.NewHBox(edit, del)), text))
	}
	p.list.Refresh()
	p.check()
}

// fill puts a stored rate into the form, to change it.
func (p *ratesPanel) fill(r billing.EnteredRate) {
	p.from.SetText(r.From)
	p.to.SetText(r.To)
	p.period.SetText(r.Period)
	p.rate.SetText(r.Rate.String())
	p.source.SetText(r.Source)
	if c := fyne.CurrentApp().Driver().CanvasForObject(p.rate); c != nil {
		c.Focus(p.rate)
	}
}

func (p *ratesPanel) onChanged() {
	p.touched = true
	p.check()
}

// draft reads the form into a rate, the rate's text through the parser
// the command line uses.
func (p *ratesPanel) draft() (billing.EnteredRate, error) {
	r := billing.EnteredRate{From: p.from.Text, To: p.to.Text, Period: p.period.Text, Source: p.source.Text}.Normalize()
	var parseErr error
	if strings.TrimSpace(p.rate.Text) != "" {
		v, err := money.ParseTyped(p.rate.Text)
		if err != nil {
			parseErr = customer.Problem{Field: billing.RateFieldRate, Message: "rate " + err.Error()}
		}
		r.Rate = v
	}
	err := r.Validate()
	if parseErr != nil {
		ps := problemsOf(err)
		var kept customer.Problems
		for _, x := range ps {
			if x.Field != billing.RateFieldRate {
				kept = append(kept, x)
			}
		}
		err = append(kept, parseErr.(customer.Problem))
	}
	return r, err
}

// check validates what is typed, shows each problem beside its field
// once something was typed, says which stored rate it would replace and
// enables Save.
func (p *ratesPanel) check() (billing.EnteredRate, bool) {
	r, err := p.draft()
	ps := problemsOf(err)
	shown := showTyped(p.fields, ps)
	ok := len(ps) == 0
	enableWhen(p.save, ok)
	p.replaces.Hide()
	for _, old := range p.rates {
		if ok && old.From == r.From && old.To == r.To && old.Period == r.Period && !(old.Rate.Equal(r.Rate) && old.Source == r.Source) {
			p.replaces.SetText(view.RateReplaces(old))
			p.replaces.Show()
		}
	}
	if text := formStatus(p.order, p.fields, ps, shown); text != "" && p.touched {
		p.say(text, widget.DangerImportance)
	} else if p.touched {
		p.status.Hide()
	}
	return r, ok
}

// onSave records the rate; the form keeps what was typed on a refusal.
func (p *ratesPanel) onSave() {
	r, ok := p.check()
	if !ok {
		return
	}
	saved, err := p.state.db.PutRate(r, p.state.now())
	if err != nil {
		p.say("The rate was not saved: "+err.Error(), widget.DangerImportance)
		return
	}
	p.touched = false
	for _, e := range []*widget.Entry{p.rate, p.source} {
		e.SetText("")
	}
	clearTyped(p.fields)
	p.state.dataChanged()
	p.say(view.RateSet(saved), widget.SuccessImportance)
}

// onDelete deletes a rate after a confirmation, and says so.
func (p *ratesPanel) onDelete(r billing.EnteredRate) {
	d := dialog.NewConfirm("Delete exchange rate", view.DeleteRateQuestion(r), func(yes bool) {
		if !yes {
			return
		}
		if err := p.state.db.DeleteRate(r.From, r.To, r.Period, p.state.now()); err != nil {
			p.say("The rate was not deleted: "+err.Error(), widget.DangerImportance)
			return
		}
		p.state.dataChanged()
		p.say(view.RateDeleted(r.From, r.To, r.Period), widget.SuccessImportance)
	}, p.state.win)
	d.SetConfirmText("Delete")
	p.notice = d
	d.Show()
}

func (p *ratesPanel) say(text string, imp widget.Importance) {
	p.status.Importance = imp
	p.status.SetText(text)
	p.status.Show()
}
