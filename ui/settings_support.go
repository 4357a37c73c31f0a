package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/money"
	"rebill/ui/view"
)

// supportPanel is Settings > Support plans and provider discounts: the
// support base and provider discount settings, and the stored support
// plan versions, each editable and, for the presets still to confirm,
// confirmable. Every change goes through the store with its change-log
// entry.
type supportPanel struct {
	state *appState

	base, discounts *widget.Select
	plans           *fyne.Container
	status          *widget.Label
	// edit holds the open Edit dialog's inputs, for tests.
	edit struct {
		id, name, minimum, bands, from, until, currency *widget.Entry
		serves                                          *widget.CheckGroup
		save                                            *widget.Button
		form                                            *formDialog
	}
	loading bool
	content fyne.CanvasObject
}

func newSupportPanel(st *appState) *supportPanel {
	p := &supportPanel{state: st}
	p.base = widget.NewSelect(view.ChoiceLabels(view.SupportBaseChoices), func(label string) {
		p.onSetting("support-base", view.ChoiceValue(view.SupportBaseChoices, label))
	})
	p.discounts = widget.NewSelect(view.ChoiceLabels(view.DiscountModeChoices), func(label string) {
		p.onSetting("provider-discounts", view.ChoiceValue(view.DiscountModeChoices, label))
	})
	p.plans = container.NewVBox()
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	form := newForm(
		newFormField("Support base", p.base, "What support plans are computed on. AWS computes them on gross charges: before EDP, private pricing, bundled and SPP discounts, credits and refunds; Marketplace, tax and support excluded."),
		newFormField("Provider discounts", p.discounts, "What statements do with the payer's EDP, private pricing, bundled and SPP discounts, unless a customer says otherwise."),
	)
	p.content = container.NewVBox(form,
		lowNote("A customer's support plan (AWS Business, ...) is priced by the version below that covers the month: from 2027-01, AWS Business and Developer are priced by Business Support+, Enterprise On-Ramp by Enterprise. Check the versions marked to confirm against AWS's pricing page before invoicing January 2027."),
		p.plans, container.NewHBox(widget.NewButtonWithIcon("Add a version…", theme.ContentAddIcon(), p.onAdd)), p.status)
	st.onDataChanged(p.load)
	p.load()
	return p
}

func (p *supportPanel) view() fyne.CanvasObject { return p.content }

// load shows the stored settings and plans.
func (p *supportPanel) load() {
	s, err := p.state.db.BillingSettings()
	if err != nil {
		p.status.SetText("Could not read the billing settings: " + err.Error())
		return
	}
	p.loading = true
	p.base.SetSelected(view.ChoiceLabel(view.SupportBaseChoices, string(s.SupportBase)))
	p.discounts.SetSelected(view.ChoiceLabel(view.DiscountModeChoices, string(s.ProviderDiscounts)))
	p.loading = false
	ps, err := p.state.db.SupportPlans()
	if err != nil {
		p.status.SetText("Could not read the support plans: " + err.Error())
		return
	}
	p.plans.RemoveAll()
	for _, r := range view.PlanRows(ps) {
		r := r
		title := widget.NewLabelWithStyle(r.Name+" — "+r.Months+" — prices "+r.Serves+" — "+r.Status, fyne.TextAlignLeading, fyne.TextStyle{Bold: r.ToConfirm})
		title.Wrapping = fyne.TextWrapWord
		figures := widget.NewLabel("Minimum " + r.Minimum + "; " + r.Bands)
		figures.Wrapping = fyne.TextWrapWord
		buttons := container.NewHBox(widget.NewButtonWithIcon("Edit…", theme.DocumentCreateIcon(), func() { p.onEdit(r.ID) }))
		if r.ToConfirm {
			confirm := widget.NewButtonWithIcon("Confirm", theme.ConfirmIcon(), func() { p.onConfirm(r.ID) })
			buttons.Add(confirm)
		}
		p.plans.Add(container.NewBorder(nil, nil, nil, container.NewVBox(buttons), container.NewVBox(title, figures)))
	}
	p.plans.Refresh()
}

func (p *supportPanel) onSetting(key, value string) {
	if p.loading || value == "" {
		return
	}
	if _, err := p.state.db.SetBillingSetting(key, value, p.state.now()); err != nil {
		p.status.SetText(err.Error())
		return
	}
	p.status.SetText("Saved. Reports show it now; issued invoices keep what they were computed with.")
	p.state.dataChanged()
}

// onConfirm confirms a preset's figures as they are.
func (p *supportPanel) onConfirm(id string) {
	p.update(id, func(*billing.SupportPlan) error { return nil })
}

// update saves a change to a version; saving confirms its figures.
func (p *supportPanel) update(id string, change func(*billing.SupportPlan) error) bool {
	_, err := p.state.db.UpdateSupportPlan(id, func(sp *billing.SupportPlan) error {
		if err := change(sp); err != nil {
			return err
		}
		sp.ToConfirm = false
		return nil
	}, p.state.now())
	if err != nil {
		p.status.SetText(err.Error())
		return false
	}
	p.status.SetText("Support plan " + id + " saved and confirmed.")
	p.state.dataChanged()
	return true
}

// onEdit opens a version's figures for editing; saving confirms them.
func (p *supportPanel) onEdit(id string) {
	ps, err := p.state.db.SupportPlans()
	if err != nil {
		p.status.SetText(err.Error())
		return
	}
	if sp, ok := ps.ByID(id); ok {
		p.openPlan(sp, false)
	}
}

// onAdd opens an empty version to add, as `rebill support-plans add`.
func (p *supportPanel) onAdd() { p.openPlan(billing.SupportPlan{}, true) }

// openPlan is the form of one support plan version: checked as it is
// typed by the engine's rules (SupportPlan.Validate), each problem beside
// its field; it stays open, with what was typed, until the store saves it.
func (p *supportPanel) openPlan(sp billing.SupportPlan, isNew bool) {
	e := &p.edit
	entry := func(v, placeholder string) *widget.Entry {
		w := widget.NewEntry()
		w.SetText(v)
		w.SetPlaceHolder(placeholder)
		return w
	}
	e.id = entry(sp.ID, "e.g. partner-support-2027")
	if !isNew {
		e.id.Disable()
	}
	e.name = entry(sp.Name, "as the statement prints it")
	minimum := ""
	if !isNew {
		minimum = sp.Minimum.String()
	}
	e.minimum = entry(minimum, "0")
	e.bands = entry(billing.FormatBands(sp.Bands), "0-10000=10;10000-=7")
	e.from = entry(sp.From, "YYYY-MM, empty: since always")
	e.until = entry(sp.Until, "YYYY-MM, empty: open-ended")
	e.currency = entry(sp.Currency, "empty: the invoice currency")
	var settings []string
	for _, s := range customer.SupportPlans {
		if s != customer.SupportNone {
			settings = append(settings, string(s))
		}
	}
	e.serves = widget.NewCheckGroup(settings, nil)
	e.serves.Horizontal = true
	for _, s := range sp.Serves {
		e.serves.Selected = append(e.serves.Selected, string(s))
	}
	draft := func() (billing.SupportPlan, error) {
		q := sp
		q.ID, q.Name = strings.TrimSpace(e.id.Text), strings.TrimSpace(e.name.Text)
		q.From, q.Until = strings.TrimSpace(e.from.Text), strings.TrimSpace(e.until.Text)
		q.Currency = strings.ToUpper(strings.TrimSpace(e.currency.Text))
		q.Serves = nil
		for _, s := range e.serves.Selected {
			q.Serves = append(q.Serves, customer.SupportPlan(s))
		}
		// What the parsers cannot read is reported with the engine's
		// first refusal of the rest, each beside its field.
		var ps customer.Problems
		q.Minimum = decimal.Zero
		if t := strings.TrimSpace(e.minimum.Text); t != "" {
			m, err := money.ParseTyped(t)
			if err != nil {
				ps = append(ps, customer.Problem{Field: billing.PlanFieldMinimum, Message: "minimum " + err.Error()})
			}
			q.Minimum = m
		}
		bands, err := billing.ParseBands(e.bands.Text)
		if err != nil {
			ps = append(ps, customer.Problem{Field: billing.PlanFieldBands, Message: err.Error()})
		}
		q.Bands = bands
		for _, v := range problemsOf(q.Validate()) {
			if len(ps.Of(v.Field)) == 0 {
				ps = append(ps, v)
			}
		}
		if len(ps) == 0 {
			return q, nil
		}
		return q, ps
	}
	submit := func() (func(), error) {
		q, err := draft()
		if err != nil {
			return nil, err
		}
		if isNew {
			err = p.state.db.AddSupportPlan(q, p.state.now())
		} else {
			_, err = p.state.db.UpdateSupportPlan(sp.ID, func(x *billing.SupportPlan) error {
				*x = q
				x.ToConfirm = false // saved from the pricing page: its figures are confirmed
				return nil
			}, p.state.now())
		}
		if err != nil {
			return nil, err
		}
		return func() {
			p.status.SetText(view.PlanSaved(q.ID, isNew))
			p.state.dataChanged()
		}, nil
	}
	keys := []string{billing.PlanFieldID, billing.PlanFieldName, billing.PlanFieldServes, billing.PlanFieldMinimum,
		billing.PlanFieldBands, billing.PlanFieldCurrency, billing.PlanFieldFrom, billing.PlanFieldUntil}
	fields := []*formField{
		newFormField("Id", e.id, "Letters, digits, '-' and '_'; it cannot change once added."),
		newFormField("Name", e.name, ""),
		newFormField("Prices", e.serves, "The customers' support settings this version prices."),
		newFormField("Minimum", e.minimum, "Monthly minimum in "+orText(sp.Currency, "the invoice currency")+"."),
		newFormField("Bands", e.bands, billing.BandsExample+"."),
		newFormField("Currency", e.currency, "Of the minimum and the band bounds."),
		newFormField("From", e.from, "First month the version prices."),
		newFormField("Until", e.until, "Last month the version prices."),
	}
	title, ok := "Support plan "+sp.ID, "Save and confirm"
	if isNew {
		title, ok = "New support plan version", "Add support plan"
	}
	fd := newFormDialog(title, ok, p.state.win, keys, fields, func() error { _, err := draft(); return err }, submit)
	for _, w := range []*widget.Entry{e.id, e.name, e.minimum, e.bands, e.from, e.until, e.currency} {
		w.OnChanged = func(string) { fd.changed() }
	}
	e.serves.OnChanged = func([]string) { fd.changed() }
	e.form, e.save = fd, fd.ok
	fd.d.Resize(fyne.NewSize(680, 560))
	fd.d.Show()
}

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
