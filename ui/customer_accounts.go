package ui

import (
	"errors"
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/store"
	"rebill/ui/view"
)

// accountsTab is the Accounts tab of a customer: the cloud accounts it
// owns month by month, a form to map another one, and the accounts of the
// newest imported month that nobody owns, each assignable in one click.
type accountsTab struct {
	state *appState
	cust  customer.Customer

	mappings     []customer.Mapping
	mappingList  *widget.List
	mappingsNone *widget.Label
	mappingsHead *fyne.Container

	account, from, until                *widget.Entry
	accountField, fromField, untilField *formField
	add                                 *widget.Button
	touched                             bool

	period     string
	unassigned []store.AccountCost
	// seen are the newest month's accounts, for the provider of each
	// account the customer owns.
	seen []store.AccountCost
	// unassignedRows are the unassigned accounts as listed.
	unassignedRows  [][3]string
	unassignedHead  *widget.Label
	unassignedList  *widget.List
	unassignedNone  *widget.Label
	unassignedTitle *fyne.Container
	assignGap       *canvas.Rectangle

	status  *widget.Label
	content fyne.CanvasObject

	// onChanged tells the screen that mappings changed.
	onChanged func()
	// endMonth and endConfirm belong to the open End mapping dialog.
	endMonth   *widget.Entry
	endConfirm *widget.Button
}

func newAccountsTab(st *appState, onChanged func()) *accountsTab {
	t := &accountsTab{state: st, onChanged: onChanged}
	t.mappingList = widget.NewList(
		func() int { return len(t.mappings) },
		func() fyne.CanvasObject {
			end := widget.NewButtonWithIcon("End mapping…", theme.ContentRemoveIcon(), nil)
			return container.NewBorder(nil, nil, nil, end, container.NewGridWithColumns(4, widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel("")))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(t.mappings) {
				return
			}
			m := t.mappings[id]
			row := o.(*fyne.Container)
			cells := row.Objects[0].(*fyne.Container).Objects
			cells[0].(*widget.Label).SetText(m.Account)
			cells[1].(*widget.Label).SetText(view.AccountProvider(m.Account, t.seen))
			cells[2].(*widget.Label).SetText(m.From)
			cells[3].(*widget.Label).SetText(view.Until(m.Until))
			row.Objects[1].(*widget.Button).OnTapped = func() { t.onEndMapping(m) }
		})
	t.mappingList.OnSelected = func(widget.ListItemID) { t.mappingList.UnselectAll() }
	t.mappingsNone = lowNote("")
	t.mappingsHead = container.NewBorder(nil, nil, nil, buttonGap("End mapping…", theme.ContentRemoveIcon()),
		container.NewGridWithColumns(4, columnTitle("Account"), columnTitle("Provider"), columnTitle("From"), columnTitle("Until")))

	t.account = widget.NewEntry()
	t.account.SetPlaceHolder("e.g. 123456789012 or a subscription GUID")
	t.from = widget.NewEntry()
	t.from.SetPlaceHolder("YYYY-MM or YYYY-MM-DD")
	t.until = widget.NewEntry()
	t.until.SetPlaceHolder("open-ended")
	for _, e := range []*widget.Entry{t.account, t.from, t.until} {
		e.OnChanged = func(string) { t.touched = true; t.checkMapping() }
	}
	// The hints make one paragraph under the three fields: under each
	// narrow field they would wrap to a column of words and push the
	// window past a 700 px screen.
	t.accountField = newFormField("Account", t.account, "")
	t.fromField = newFormField("From", t.from, "")
	t.untilField = newFormField("Until", t.until, "")
	formHint := widget.NewLabel("Account: the AWS account id, Azure subscription id, Google Cloud project id, Oracle Cloud compartment or tenancy OCID (any provider's FOCUS SubAccountId). " +
		"From: the first month the customer owns it, or first day (YYYY-MM-DD) for an account moved inside a month: that month is split by usage date. " +
		"Until: the last month (or day) it owns it; empty for open-ended.")
	formHint.Importance = widget.LowImportance
	formHint.Wrapping = fyne.TextWrapWord
	formHint.SizeName = theme.SizeNameCaptionText
	t.add = widget.NewButtonWithIcon("Add mapping", theme.ContentAddIcon(), t.onAddMapping)
	t.add.Importance = widget.HighImportance

	t.unassignedHead = columnTitle("")
	t.unassignedHead.Wrapping = fyne.TextWrapWord
	t.unassignedList = widget.NewList(
		func() int { return len(t.unassigned) },
		func() fyne.CanvasObject {
			assign := widget.NewButtonWithIcon("Assign", theme.ConfirmIcon(), nil)
			cost := widget.NewLabel("")
			cost.Alignment = fyne.TextAlignTrailing
			// The account and where it was seen elide in a narrow window,
			// whole in their tip.
			return container.NewBorder(nil, nil, nil, assign, container.NewGridWithColumns(3, newTipLabel(""), newTipLabel(""), cost))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(t.unassigned) {
				return
			}
			a := t.unassigned[id]
			row := o.(*fyne.Container)
			cells := row.Objects[0].(*fyne.Container).Objects
			cells[0].(*tipLabel).SetText(t.unassignedRows[id][0])
			cells[1].(*tipLabel).SetText(t.unassignedRows[id][1])
			cells[2].(*widget.Label).SetText(t.unassignedRows[id][2])
			btn := row.Objects[1].(*widget.Button)
			btn.SetText(view.AssignLabel(t.cust.ID))
			btn.OnTapped = func() { t.onAssign(a) }
			if customer.OfferedForAssignment(a.Account, a.Payer) {
				btn.Show()
			} else {
				btn.Hide()
			}
		})
	t.unassignedList.OnSelected = func(widget.ListItemID) { t.unassignedList.UnselectAll() }
	t.unassignedNone = lowNote("")
	t.assignGap = canvas.NewRectangle(color.Transparent)
	t.unassignedTitle = container.NewBorder(nil, nil, nil, t.assignGap,
		container.NewGridWithColumns(3, columnTitle("Account"), columnTitle("Seen under"), columnTitleRight("Unblended cost")))

	t.status = widget.NewLabel("")
	t.status.Wrapping = fyne.TextWrapWord

	addForm := container.NewBorder(nil, nil, nil, captioned(" ", container.NewVBox(t.add)),
		container.New(&weightLayout{[]float32{2, 1, 1}}, captioned("Account", t.accountField.box), captioned("From", t.fromField.box), captioned("Until", t.untilField.box)))
	owned := container.NewBorder(container.NewVBox(formSection("Accounts this customer owns"), t.mappingsHead, t.mappingsNone), nil, nil, nil, t.mappingList)
	free := container.NewBorder(container.NewVBox(widget.NewSeparator(), t.unassignedHead, t.unassignedTitle, t.unassignedNone), nil, nil, nil, t.unassignedList)
	split := container.NewVSplit(owned, free)
	split.Offset = 0.45
	t.content = container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), formSection("Map another account"), addForm, formHint, t.status), nil, nil, split)
	return t
}

// columnTitle is a column title.
func columnTitle(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}

func columnTitleRight(text string) *widget.Label {
	l := columnTitle(text)
	l.Alignment = fyne.TextAlignTrailing
	return l
}

// buttonGap takes the room of a button, so that column titles line up
// with rows that end in one.
func buttonGap(text string, icon fyne.Resource) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(widget.NewButtonWithIcon(text, icon, nil).MinSize())
	return r
}

// captioned puts a small caption over an input.
func captioned(caption string, o fyne.CanvasObject) fyne.CanvasObject {
	l := widget.NewLabel(caption)
	l.Importance = widget.LowImportance
	return container.NewBorder(l, nil, nil, nil, o)
}

// load shows the accounts of a customer.
func (t *accountsTab) load(c customer.Customer) {
	if t.cust.ID != c.ID {
		t.touched = false
		t.account.SetText("")
		t.until.SetText("")
		t.from.SetText(t.defaultFrom())
		t.touched = false
		t.status.SetText("")
	}
	t.cust = c
	t.assignGap.SetMinSize(widget.NewButtonWithIcon(view.AssignLabel(c.ID), theme.ConfirmIcon(), nil).MinSize())
	t.refresh()
}

// defaultFrom is the month a new mapping starts from, as the store
// starts one given without it (store.MappingStart).
func (t *accountsTab) defaultFrom() string {
	from, err := t.state.db.MappingStart(t.state.now())
	if err != nil {
		return customer.MonthOf(t.state.now())
	}
	return from
}

// refresh reloads the mappings and the unassigned accounts.
func (t *accountsTab) refresh() {
	ms, err := t.state.db.MappingsOf(t.cust.ID)
	if err != nil {
		t.setStatus("Could not read the account mappings: "+err.Error(), widget.DangerImportance)
	}
	t.mappings = ms
	t.mappingList.Refresh()
	t.mappingsNone.SetText(view.NoMappings(t.cust))
	showWhen(t.mappingsNone, len(ms) == 0)
	showWhen(t.mappingsHead, len(ms) > 0)

	t.period = newestPeriod(t.state.db)
	t.unassigned, t.seen = nil, nil
	if t.period != "" {
		// Mappings name no provider: an account's is the data's.
		t.seen, _ = t.state.db.AccountCosts(t.period)
		t.unassigned, err = t.state.db.Unassigned(t.period)
		if err != nil {
			t.setStatus("Could not read the unassigned accounts: "+err.Error(), widget.DangerImportance)
		}
	}
	head, none, rows := view.Unassigned(t.period, t.unassigned)
	t.unassignedHead.SetText(head)
	t.unassignedNone.SetText(none)
	t.unassignedRows = rows
	t.unassignedList.Refresh()
	showWhen(t.unassignedNone, len(t.unassigned) == 0)
	showWhen(t.unassignedTitle, len(t.unassigned) > 0)
	t.checkMapping()
}

// newestPeriod is the newest imported month, or "".
func newestPeriod(db *store.DB) string {
	ps, err := db.Periods()
	if err != nil {
		return ""
	}
	newest := ""
	for _, p := range ps {
		newest = max(newest, p.Period)
	}
	return newest
}

func (t *accountsTab) setStatus(text string, imp widget.Importance) {
	t.status.Importance = imp
	t.status.SetText(text)
}

// draftMapping is the mapping the form describes.
func (t *accountsTab) draftMapping() customer.Mapping {
	return customer.Mapping{Account: strings.TrimSpace(t.account.Text), Customer: t.cust.ID,
		From: strings.TrimSpace(t.from.Text), Until: strings.TrimSpace(t.until.Text)}
}

// checkMapping validates the new mapping as it is typed.
func (t *accountsTab) checkMapping() {
	ps := problemsOf(t.draftMapping().Validate())
	show := t.touched
	for name, f := range map[string]*formField{"account": t.accountField, "from": t.fromField, "until": t.untilField} {
		if show {
			f.setProblems(ps.Of(name))
		} else {
			f.setProblems(nil)
		}
	}
	enableWhen(t.add, len(ps) == 0)
}

// onAddMapping maps the account to the customer. An account that belongs
// to someone in one of those months is refused, naming the owner.
// A first month or day inside another customer's mapping moves the
// account (customer.Place), after the accountant confirms it.
func (t *accountsTab) onAddMapping() {
	m := t.draftMapping()
	if m.From != "" {
		existing, _ := t.state.db.AccountMappings(m.Account)
		if _, mv, err := customer.Place(existing, m); err == nil && mv != nil {
			t.confirmMove(m, *mv)
			return
		}
	}
	t.addMapping(m)
}

// confirmMove asks before moving an account from its owner, naming both
// customers and the day each one's ownership ends and starts.
func (t *accountsTab) confirmMove(m customer.Mapping, mv customer.Move) {
	title, msg := view.MoveQuestion(mv, t.customerName(mv.Before.Customer), t.customerName(mv.New.Customer))
	label := widget.NewLabel(msg)
	label.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(title, "Move", "Cancel", label, func(ok bool) {
		if ok {
			t.addMapping(m)
		}
	}, t.state.win)
	d.Resize(fyne.NewSize(560, 260))
	d.Show()
}

// customerName is "Name (ID)" for a customer, or its id when it cannot be
// read.
func (t *accountsTab) customerName(id string) string {
	if c, err := t.state.db.Customer(id); err == nil {
		return c.Name + " (" + c.ID + ")"
	}
	return id
}

// addMapping records the mapping (moving the account when it starts
// inside another customer's mapping) and says what it did.
func (t *accountsTab) addMapping(m customer.Mapping) {
	mv, err := t.state.db.MapMoving(m, t.state.now())
	if err != nil {
		t.showMapError(m, err)
		return
	}
	t.touched = false
	t.account.SetText("")
	t.until.SetText("")
	t.touched = false
	t.checkMapping()
	if mv != nil {
		t.setStatus(mv.String(), widget.SuccessImportance)
	} else {
		t.setStatus(view.Mapped(m), widget.SuccessImportance)
	}
	t.changed()
}

// showMapError explains a refused mapping; an overlap names the customer
// that owns the account and the months, a month already invoiced names
// the invoice.
func (t *accountsTab) showMapError(m customer.Mapping, err error) {
	var oe *customer.OverlapError
	var me *invoice.MoveError
	if errors.As(err, &me) {
		t.showInvoiced(me)
		return
	}
	if !errors.As(err, &oe) {
		dialog.ShowError(fmt.Errorf("account %s was not mapped: %w", m.Account, err), t.state.win)
		return
	}
	msg := widget.NewLabel(view.Overlap(m, oe, t.customerName(oe.Existing.Customer)))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("Account already mapped", "Close", msg, t.state.win)
	d.Resize(fyne.NewSize(560, 260))
	d.Show()
}

// onAssign gives an unassigned account to the customer in one click,
// for the months its other mappings leave free (customer.Assignment).
func (t *accountsTab) onAssign(a store.AccountCost) {
	existing, _ := t.state.db.AccountMappings(a.Account)
	m := customer.Assignment(existing, a.Account, t.cust.ID, t.defaultFrom(), t.period)
	if err := t.state.db.Map(m, t.state.now()); err != nil {
		t.showMapError(m, err)
		return
	}
	t.setStatus(view.Mapped(m), widget.SuccessImportance)
	t.changed()
}

func (t *accountsTab) changed() {
	t.refresh()
	if t.onChanged != nil {
		t.onChanged()
	}
}
