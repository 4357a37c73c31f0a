package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"rebill/ui/view"
)

// billingPanel is Settings > Billing rules: rounding and the provider's
// tax, the settings `rebill settings set rounding|provider-tax` changes.
// Each choice is saved at once through the same store use case
// (SetBillingSetting), with its change-log entry.
type billingPanel struct {
	state              *appState
	rounding, provider *widget.Select
	status             *widget.Label
	loading            bool
	content            fyne.CanvasObject
}

func newBillingPanel(st *appState, cols *labelColumn) *billingPanel {
	p := &billingPanel{state: st}
	p.rounding = widget.NewSelect(view.ChoiceLabels(view.RoundingChoices), func(label string) {
		p.onSetting("rounding", "Rounding", view.RoundingChoices, label)
	})
	p.provider = widget.NewSelect(view.ChoiceLabels(view.ProviderTaxChoices), func(label string) {
		p.onSetting("provider-tax", "The provider's tax", view.ProviderTaxChoices, label)
	})
	p.status = wrapped(widget.MediumImportance)
	p.status.Hide()
	p.content = container.NewVBox(cols.form(
		newFormField("Rounding", p.rounding, "How amounts are rounded to the cent at each rounding point (service line, discount, support, tax, total)."),
		newFormField("Provider's tax", p.provider, "What statements do with the Tax lines of the provider's file: replace them by each customer's tax rates, or charge them as they are."),
	), p.status)
	st.onDataChanged(p.load)
	p.load()
	return p
}

func (p *billingPanel) view() fyne.CanvasObject { return p.content }

// load shows the stored settings.
func (p *billingPanel) load() {
	s, err := p.state.db.BillingSettings()
	if err != nil {
		p.say("Could not read the billing settings: "+err.Error(), widget.DangerImportance)
		return
	}
	p.loading = true
	p.rounding.SetSelected(view.ChoiceLabel(view.RoundingChoices, string(s.Rounding)))
	p.provider.SetSelected(view.ChoiceLabel(view.ProviderTaxChoices, string(s.ProviderTax)))
	p.loading = false
}

// onSetting saves a choice; a refusal is shown and the stored value put
// back.
func (p *billingPanel) onSetting(key, name string, choices []view.Choice, label string) {
	if p.loading {
		return
	}
	if _, err := p.state.db.SetBillingSetting(key, view.ChoiceValue(choices, label), p.state.now()); err != nil {
		p.say(name+" was not saved: "+err.Error(), widget.DangerImportance)
		p.load()
		return
	}
	p.say(view.SettingSaved(name, label), widget.SuccessImportance)
	p.state.dataChanged()
}

func (p *billingPanel) say(text string, imp widget.Importance) {
	p.status.Importance = imp
	p.status.SetText(text)
	p.status.Show()
}
