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
	"rebill/ui/view"
)

// productTypesPanel is Settings > Invoice sections: which section of the
// invoice a product code's lines go to, as `rebill producttypes` sets,
// lists and removes them, through the same store use cases.
type productTypesPanel struct {
	state *appState

	code, from *widget.Entry
	section    *widget.Select
	fields     map[string]*formField
	order      []*formField
	save       *widget.Button
	status     *widget.Label
	list       *fyne.Container
	touched    bool
	content    fyne.CanvasObject
	// notice is the last dialog shown, for tests.
	notice dialog.Dialog
}

func newProductTypesPanel(st *appState, cols *labelColumn) *productTypesPanel {
	p := &productTypesPanel{state: st, fields: map[string]*formField{}}
	p.code = widget.NewEntry()
	p.code.SetPlaceHolder("as in the billing file, e.g. AmazonSageMaker")
	p.code.OnChanged = func(string) { p.onChanged() }
	p.section = widget.NewSelect(view.OverridableTypes(), func(string) { p.onChanged() })
	p.from = widget.NewEntry()
	p.from.SetPlaceHolder("YYYY-MM; empty: after the latest issued invoice")
	p.from.OnChanged = func(string) { p.onChanged() }
	field := fieldAdder(p.fields, &p.order)
	form := cols.form(
		field("code", "Product code", p.code, ""),
		field("section", "Section", p.section, "The invoice section its lines go to."),
		field("from", "From", p.from, "Months before keep the section they were invoiced with."),
	)
	p.save = widget.NewButtonWithIcon("Save section", theme.DocumentSaveIcon(), p.onSave)
	p.save.Importance = widget.HighImportance
	p.save.Disable()
	p.status = wrapped(widget.MediumImportance)
	p.status.Hide()
	p.list = container.NewVBox()
	p.content = container.NewVBox(
		lowNote("Each provider's product code has a built-in section (Compute, Storage, ...). Put a code in another section here."),
		form, container.NewBorder(nil, nil, nil, p.save, p.status), p.list)
	st.onDataChanged(p.load)
	p.load()
	return p
}

func (p *productTypesPanel) view() fyne.CanvasObject { return p.content }

// load lists the overrides.
func (p *productTypesPanel) load() {
	list, err := p.state.db.ProductTypes()
	if err != nil {
		p.say("Could not read the product sections: "+err.Error(), widget.DangerImportance)
		return
	}
	p.list.RemoveAll()
	if len(list) == 0 {
		p.list.Add(lowNote("No overrides: every product code is in its built-in section."))
	}
	for _, o := range list {
		o := o
		line := widget.NewLabel(view.OverrideLine(o))
		line.Wrapping = fyne.TextWrapWord
		back := widget.NewButtonWithIcon("Back to built-in…", theme.DeleteIcon(), func() { p.onDelete(o) })
		p.list.Add(container.NewBorder(nil, nil, nil, container.NewVBox(back), line))
	}
	p.list.Refresh()
}

func (p *productTypesPanel) onChanged() {
	p.touched = true
	p.check()
}

// check validates what is typed by the engine's rules, each problem
// beside its field, and enables Save.
func (p *productTypesPanel) check() (code string, t billing.ProductType, from string, ok bool) {
	code, from = strings.TrimSpace(p.code.Text), strings.TrimSpace(p.from.Text)
	var ps customer.Problems
	t, err := billing.ParseProductType(p.section.Selected)
	if err != nil {
		ps = append(ps, customer.Problem{Field: "section", Message: "choose the section its lines go to"})
	} else if _, err := billing.NewOverride(code, t); err != nil {
		ps = append(ps, customer.Problem{Field: "code", Message: err.Error()})
	}
	if from != "" {
		if err := customer.CheckMonth("from", from); err != nil {
			ps = append(ps, customer.Problem{Field: "from", Message: err.Error()})
		}
	}
	text := formStatus(p.order, p.fields, ps, showTyped(p.fields, ps))
	if p.touched {
		showFormStatus(p.status, text)
	}
	ok = len(ps) == 0
	enableWhen(p.save, ok)
	return code, t, from, ok
}

// onSave records the section; on a refusal what was typed stays.
func (p *productTypesPanel) onSave() {
	code, t, from, ok := p.check()
	if !ok {
		return
	}
	o, err := p.state.db.SetProductTypeFrom(code, t, from, p.state.now())
	if err != nil {
		p.say("Not saved: "+err.Error(), widget.DangerImportance)
		return
	}
	p.touched = false
	p.code.SetText("")
	p.from.SetText("")
	clearTyped(p.fields)
	p.state.dataChanged()
	p.say(view.ProductTypeSet(o), widget.SuccessImportance)
}

// onDelete puts a code back in its built-in section after a
// confirmation, and says so.
func (p *productTypesPanel) onDelete(o billing.ProductTypeOverride) {
	d := dialog.NewConfirm("Back to the built-in section", view.ProductTypeDeleteQuestion(o), func(yes bool) {
		if !yes {
			return
		}
		back, err := p.state.db.DeleteProductType(o.Code, p.state.now())
		if err != nil {
			p.say("Not changed: "+err.Error(), widget.DangerImportance)
			return
		}
		p.state.dataChanged()
		p.say(view.ProductTypeDeleted(o.Code, back), widget.SuccessImportance)
	}, p.state.win)
	d.SetConfirmText("Put back")
	p.notice = d
	d.Show()
}

func (p *productTypesPanel) say(text string, imp widget.Importance) {
	p.status.Importance = imp
	p.status.SetText(text)
	p.status.Show()
}
