package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/billing"
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
		name, minimum, bands, from, until *widget.Entry
		save                              *widget.Button
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
		p.plans, p.status)
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

// onEdit opens a version's figures for editing.
func (p *supportPanel) onEdit(id string) {
	ps, err := p.state.db.SupportPlans()
	if err != nil {
		p.status.SetText(err.Error())
		return
	}
	sp, ok := ps.ByID(id)
	if !ok {
		return
	}
	e := &p.edit
	entry := func(v, placeholder string) *widget.Entry {
		w := widget.NewEntry()
		w.SetText(v)
		w.SetPlaceHolder(placeholder)
		return w
	}
	e.name = entry(sp.Name, "as the statement prints it")
	e.minimum = entry(sp.Minimum.String(), "0")
	e.bands = entry(billing.FormatBands(sp.Bands), "0-10000=10;10000-=7")
	e.from = entry(sp.From, "YYYY-MM, empty: since always")
	e.until = entry(sp.Until, "YYYY-MM, empty: open-ended")
	problem := widget.NewLabel("")
	problem.Wrapping = fyne.TextWrapWord
	form := newForm(
		newFormField("Name", e.name, ""),
		newFormField("Minimum", e.minimum, "Monthly minimum in "+orText(sp.Currency, "the invoice currency")+"."),
		newFormField("Bands", e.bands, billing.BandsExample+"."),
		newFormField("From", e.from, "First month the version prices."),
		newFormField("Until", e.until, "Last month the version prices."),
	)
	d := dialog.NewCustomWithoutButtons("Support plan "+sp.ID, container.NewVBox(form, problem), p.state.win)
	e.save = widget.NewButtonWithIcon("Save and confirm", theme.DocumentSaveIcon(), func() {
		ok := p.update(id, func(sp *billing.SupportPlan) error {
			m, err := money.ParseTyped(strings.TrimSpace(e.minimum.Text))
			if err != nil {
				return err
			}
			bands, err := billing.ParseBands(e.bands.Text)
			if err != nil {
				return err
			}
			sp.Name, sp.Minimum, sp.Bands = strings.TrimSpace(e.name.Text), m, bands
			sp.From, sp.Until = strings.TrimSpace(e.from.Text), strings.TrimSpace(e.until.Text)
			return nil
		})
		if !ok {
			problem.SetText(p.status.Text)
			return
		}
		d.Hide()
	})
	e.save.Importance = widget.HighImportance
	d.SetButtons([]fyne.CanvasObject{widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), d.Hide), e.save})
	d.Resize(fyne.NewSize(640, 480))
	d.Show()
}

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
