package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/customer"
	"rebill/engine/money"
	"rebill/ui/view"
)

// creditsTab is the Credits tab of a customer: the reseller's credit
// grants and the invoices that used them, the balance, and Grant credit….
type creditsTab struct {
	state *appState
	cust  customer.Customer

	// ledger is the grants and uses as listed (view.NewLedger).
	ledger view.Ledger

	balance    *widget.Label
	grantBtn   *widget.Button
	grantTable *dataTable
	useTable   *dataTable
	grantsNone *widget.Label
	usesNone   *widget.Label
	status     *widget.Label
	content    fyne.CanvasObject

	// grant is the open Grant credit dialog.
	grant *grantDialog
	// onChanged tells the screen that the ledger changed.
	onChanged func()
}

func newCreditsTab(st *appState, onChanged func()) *creditsTab {
	t := &creditsTab{state: st, onChanged: onChanged}
	t.balance = widget.NewLabel("")
	t.balance.TextStyle = fyne.TextStyle{Bold: true}
	t.balance.Wrapping = fyne.TextWrapWord
	t.grantBtn = widget.NewButtonWithIcon("Grant credit…", theme.ContentAddIcon(), t.onGrant)
	t.grantBtn.Importance = widget.HighImportance
	t.grantTable = newDataTable([]column{
		{title: "Credit"},
		{title: "Granted on"},
		{title: "Amount", align: fyne.TextAlignTrailing},
		{title: "Reason", min: 120, shrink: true},
		{title: "Usable until"},
		{title: "Remaining", align: fyne.TextAlignTrailing},
	}, func(row, col int) cell { return cellOf(t.ledger.Grants[row].Cells[col]) })
	t.useTable = newDataTable([]column{
		{title: "Invoice"},
		{title: "Month billed"},
		{title: "Credit"},
		{title: "Amount used", align: fyne.TextAlignTrailing},
		{title: "Recorded on"},
	}, func(row, col int) cell { return cellOf(t.ledger.Uses[row].Cells[col]) })
	t.grantsNone = lowNote("No credit granted yet. Grant credit to give this customer a balance: invoices use it oldest expiry first, and what is left carries over.")
	t.usesNone = lowNote("No credit used yet: when an issued invoice uses credit, it is listed here with its invoice number.")
	t.status = widget.NewLabel("")
	t.status.Wrapping = fyne.TextWrapWord

	top := container.NewBorder(nil, nil, nil, t.grantBtn, t.balance)
	grants := container.NewBorder(container.NewVBox(formSection("Credit granted"), t.grantsNone), nil, nil, nil, t.grantTable.view)
	uses := container.NewBorder(container.NewVBox(formSection("Credit used by invoices"), t.usesNone), nil, nil, nil, t.useTable.view)
	split := container.NewVSplit(grants, uses)
	split.Offset = 0.55
	t.content = container.NewBorder(container.NewVBox(top, widget.NewSeparator()), t.status, nil, nil, split)
	return t
}

// load shows a customer's ledger.
func (t *creditsTab) load(c customer.Customer) {
	if t.cust.ID != c.ID {
		t.status.SetText("")
	}
	t.cust = c
	t.refresh()
}

// month is the month whose invoices the balance is for: the month
// billed next (customer.BilledMonth), not the calendar's.
func (t *creditsTab) month() string {
	return customer.BilledMonth(t.state.now(), newestPeriod(t.state.db))
}

// refresh reloads the ledger and the balance.
func (t *creditsTab) refresh() {
	gs, us, err := t.state.db.Ledger(t.cust.ID)
	if err != nil {
		t.status.SetText("Could not read the credits: " + err.Error())
	}
	t.ledger = view.NewLedger(gs, us, t.month())
	t.grantTable.setRows(len(gs))
	t.useTable.setRows(len(us))
	showWhen(t.grantsNone, len(gs) == 0)
	showWhen(t.grantTable.table, len(gs) > 0)
	showWhen(t.usesNone, len(us) == 0)
	showWhen(t.useTable.table, len(us) > 0)

	bs, err := t.state.db.CreditBalances(t.cust.ID, t.month())
	if err != nil {
		t.balance.SetText("Could not compute the balance: " + err.Error())
		return
	}
	t.balance.SetText(view.Balance(bs, t.month()))
}

// onGrant opens the Grant credit dialog.
func (t *creditsTab) onGrant() {
	t.grant = newGrantDialog(t)
	t.grant.dialog.Show()
}

// grantDialog asks for a credit grant's amount, currency, reason and
// expiry, validated by the engine as they are typed.
type grantDialog struct {
	tab                              *creditsTab
	amount, reason, expires          *widget.Entry
	currency                         *widget.SelectEntry
	amountF, currencyF, reasonF, exF *formField
	confirm                          *widget.Button
	dialog                           *dialog.CustomDialog
	touched                          bool
}

func newGrantDialog(t *creditsTab) *grantDialog {
	g := &grantDialog{tab: t}
	g.amount = widget.NewEntry()
	g.amount.SetPlaceHolder("e.g. 200")
	g.currency = widget.NewSelectEntry(money.Currencies())
	g.currency.SetText(t.cust.Currency)
	g.reason = widget.NewEntry()
	g.reason.SetPlaceHolder("e.g. Migration incentive")
	g.expires = widget.NewEntry()
	g.expires.SetPlaceHolder("never")
	g.amountF = newFormField("Amount", g.amount, "")
	g.currencyF = newFormField("Currency", g.currency, "")
	g.reasonF = newFormField("Reason", g.reason, "Shown on the invoice that uses the credit.")
	g.exF = newFormField("Usable until", g.expires, "Last month (YYYY-MM) whose invoice may use it; empty: never expires.")
	for _, e := range []*widget.Entry{g.amount, g.reason, g.expires, &g.currency.Entry} {
		e.OnChanged = func(string) { g.touched = true; g.check() }
	}
	intro := lowNote(fmt.Sprintf("Credit for %s (%s), used by its invoices oldest expiry first.", t.cust.Name, t.cust.ID))
	g.dialog = dialog.NewCustomWithoutButtons("Grant credit", container.NewVBox(intro, newForm(g.amountF, g.currencyF, g.reasonF, g.exF)), t.state.win)
	g.confirm = widget.NewButtonWithIcon("Grant credit", theme.ConfirmIcon(), g.onConfirm)
	g.confirm.Importance = widget.HighImportance
	g.dialog.SetButtons([]fyne.CanvasObject{widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), g.dialog.Hide), g.confirm})
	g.dialog.Resize(fyne.NewSize(560, 420))
	g.check()
	return g
}

// draft is the grant the dialog describes; an amount that is not a
// number is reported as a problem of the amount field.
func (g *grantDialog) draft() (customer.Grant, customer.Problems) {
	gr := customer.Grant{Customer: g.tab.cust.ID, Currency: strings.ToUpper(strings.TrimSpace(g.currency.Text)),
		Reason: strings.TrimSpace(g.reason.Text), Expires: strings.TrimSpace(g.expires.Text)}
	amt, err := money.ParseTyped(g.amount.Text)
	if err != nil {
		return gr, customer.Problems{{Field: "amount", Message: "amount " + err.Error()}}
	}
	gr.Amount = amt
	return gr, problemsOf(gr.Validate())
}

// check validates as the accountant types.
func (g *grantDialog) check() bool {
	_, ps := g.draft()
	for name, f := range map[string]*formField{"amount": g.amountF, "currency": g.currencyF, "reason": g.reasonF, "expires": g.exF} {
		if g.touched {
			f.setProblems(ps.Of(name))
		} else {
			f.setProblems(nil)
		}
	}
	enableWhen(g.confirm, len(ps) == 0)
	return len(ps) == 0
}

// onConfirm records the grant.
func (g *grantDialog) onConfirm() {
	gr, ps := g.draft()
	if len(ps) > 0 {
		return
	}
	saved, err := g.tab.state.db.Grant(gr, g.tab.state.now())
	if err != nil {
		dialog.ShowError(err, g.tab.state.win)
		return
	}
	g.dialog.Hide()
	g.tab.refresh()
	g.tab.status.Importance = widget.SuccessImportance
	g.tab.status.SetText(view.Granted(saved, g.tab.ledger.Number(saved.ID)))
	if g.tab.onChanged != nil {
		g.tab.onChanged()
	}
}
