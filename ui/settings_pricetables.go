package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/ui/view"
)

// priceTablesPanel is Settings > Volume price tables: the tables `rebill
// price-tables` lists and sets, a usage type's tiers at a time, by the
// engine's rules (ParseTiers, PriceTable.WithRate and Validate) and the
// store's SetPriceTable.
type priceTablesPanel struct {
	state *appState

	name                                     *widget.SelectEntry
	currency, note, usageType, product, unit *widget.Entry
	tiers                                    *widget.Entry
	fields                                   map[string]*formField
	order                                    []*formField
	save                                     *widget.Button
	status                                   *widget.Label
	list                                     *fyne.Container
	tables                                   []billing.PriceTable
	touched                                  bool
	content                                  fyne.CanvasObject
}

func newPriceTablesPanel(st *appState, cols *labelColumn) *priceTablesPanel {
	p := &priceTablesPanel{state: st, fields: map[string]*formField{}}
	entry := func(placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		e.OnChanged = func(string) { p.onChanged() }
		return e
	}
	p.name = widget.NewSelectEntry(nil)
	p.name.SetPlaceHolder("a table, or a new name")
	p.name.OnChanged = func(string) { p.onName() }
	p.currency = entry("the files' currency; a new table: USD")
	p.note = entry("where the prices come from, to check them against")
	p.usageType = entry(`e.g. TimedStorage-ByteHrs, or "*DataTransfer-Out-Bytes" for every region`)
	p.product = entry("e.g. AmazonS3; empty: any product")
	p.unit = entry("e.g. GB-Mo")
	p.tiers = entry(billing.TiersExample)
	field := fieldAdder(p.fields, &p.order)
	form := cols.form(
		field(billing.TableFieldName, "Table", p.name, ""),
		field(billing.TableFieldCurrency, "Currency", p.currency, ""),
		field("note", "Note", p.note, ""),
		field(billing.TableFieldUsageType, "Usage type", p.usageType, "The tiers below replace this usage type's tiers in the table, or are added to it."),
		field("product", "Product code", p.product, ""),
		field("unit", "Unit", p.unit, "The unit of the file's usage amounts and of the tiers."),
		field(billing.TableFieldTiers, "Tiers", p.tiers, "FROM-TO=PRICE, separated by ';', the last open-ended: "+billing.TiersExample+"."),
	)
	p.save = widget.NewButtonWithIcon("Save tiers", theme.DocumentSaveIcon(), p.onSave)
	p.save.Importance = widget.HighImportance
	p.save.Disable()
	p.status = wrapped(widget.MediumImportance)
	p.status.Hide()
	p.list = container.NewVBox()
	p.content = container.NewVBox(
		lowNote("Volume price tables price a customer's own usage through tiers (as AWS prices S3 storage): check them against the provider's price list."),
		p.list, form, container.NewBorder(nil, nil, nil, p.save, p.status))
	st.onDataChanged(p.load)
	p.load()
	return p
}

func (p *priceTablesPanel) view() fyne.CanvasObject { return p.content }

// load lists the stored tables and offers their names.
func (p *priceTablesPanel) load() {
	ts, err := p.state.db.PriceTables()
	if err != nil {
		p.say("Could not read the price tables: "+err.Error(), widget.DangerImportance)
		return
	}
	p.tables = ts
	p.list.RemoveAll()
	var names []string
	for _, t := range ts {
		names = append(names, t.Name)
		title, rates := view.PriceTableLines(t)
		l := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Wrapping = fyne.TextWrapWord
		p.list.Add(l)
		for _, r := range rates {
			p.list.Add(lowNote(r))
		}
	}
	if len(ts) == 0 {
		p.list.Add(lowNote("No price tables."))
	}
	p.name.SetOptions(names)
	p.list.Refresh()
}

// table is the stored table named, if any.
func (p *priceTablesPanel) table(name string) (billing.PriceTable, bool) {
	for _, t := range p.tables {
		if t.Name == name {
			return t, true
		}
	}
	return billing.PriceTable{}, false
}

// onName shows a stored table's currency and note when one is chosen.
func (p *priceTablesPanel) onName() {
	if t, ok := p.table(strings.TrimSpace(p.name.Text)); ok {
		p.currency.SetText(t.Currency)
		p.note.SetText(t.Note)
	}
	p.onChanged()
}

func (p *priceTablesPanel) onChanged() {
	p.touched = true
	p.check()
}

// draft is the table as it would be saved: the stored one (or a new one
// in USD, as the command line starts it) with the usage type's tiers.
func (p *priceTablesPanel) draft() (billing.PriceTable, bool, error) {
	name := strings.TrimSpace(p.name.Text)
	t, ok := p.table(name)
	if !ok {
		t = billing.PriceTable{Name: name, Currency: "USD"}
	}
	if c := strings.ToUpper(strings.TrimSpace(p.currency.Text)); c != "" {
		t.Currency = c
	}
	if n := strings.TrimSpace(p.note.Text); n != "" {
		t.Note = n
	}
	ts, err := billing.ParseTiers(p.tiers.Text)
	if err != nil {
		return t, false, customer.Problem{Field: billing.TableFieldTiers, Message: err.Error()}
	}
	ut := strings.TrimSpace(p.usageType.Text)
	added := true
	for _, r := range t.Rates {
		if r.UsageType == ut && r.ProductCode == strings.TrimSpace(p.product.Text) {
			added = false
		}
	}
	t = t.WithRate(billing.TieredRate{ProductCode: strings.TrimSpace(p.product.Text), UsageType: ut, Unit: strings.TrimSpace(p.unit.Text), Tiers: ts})
	return t, added, t.Validate()
}

// check validates what is typed, the problem beside its field, and
// enables Save.
func (p *priceTablesPanel) check() (billing.PriceTable, bool, bool) {
	t, added, err := p.draft()
	ps := problemsOf(err)
	text := formStatus(p.order, p.fields, ps, showTyped(p.fields, ps))
	if p.touched {
		showFormStatus(p.status, text)
	}
	enableWhen(p.save, err == nil)
	return t, added, err == nil
}

// onSave stores the table; what was typed stays on a refusal.
func (p *priceTablesPanel) onSave() {
	t, added, ok := p.check()
	if !ok {
		return
	}
	if err := p.state.db.SetPriceTable(t, p.state.now()); err != nil {
		p.say("Not saved: "+err.Error(), widget.DangerImportance)
		return
	}
	p.touched = false
	ut := strings.TrimSpace(p.usageType.Text)
	p.state.dataChanged()
	p.say(view.PriceTableSaved(t, ut, added), widget.SuccessImportance)
}

func (p *priceTablesPanel) say(text string, imp widget.Importance) {
	p.status.Importance = imp
	p.status.SetText(text)
	p.status.Show()
}
