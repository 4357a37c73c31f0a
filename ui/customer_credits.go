package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/customer"
	"rebill/engine/money"
)

// creditsTab is the Credits tab of a customer: the reseller's credit
// grants and the invoices that used them, the balance, and Grant credit….
type creditsTab struct {
	state *appState
	cust  customer.Customer

	grants []customer.Grant
	uses   []customer.Use
	places int32

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
	}, t.grantCell)
	t.useTable = newDataTable([]column{
		{title: "Invoice"},
		{title: "Month billed"},
		{title: "Credit"},
		{title: "Amount used", align: fyne.TextAlignTrailing},
		{title: "Recorded on"},
	}, t.useCell)
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

// month is the month whose invoices the balance is for: this one.
func (t *creditsTab) month() string { return customer.MonthOf(t.state.now()) }

// refresh reloads the ledger and the balance.
func (t *creditsTab) refresh() {
	gs, us, err := t.state.db.Ledger(t.cust.ID)
	if err != nil {
		t.status.SetText("Could not read the credits: " + err.Error())
	}
	t.grants, t.uses = gs, us
	t.places = 2
	for _, g := range gs {
		t.places = max(t.places, decimals(g.Amount))
	}
	for _, u := range us {
		t.places = max(t.places, decimals(u.Amount))
	}
	t.grantTable.setRows(len(gs))
	t.useTable.setRows(len(us))
	showWhen(t.grantsNone, len(gs) == 0)
	showWhen(t.grantTable.table, len(gs) > 0)
	showWhen(t.usesNone, len(us) == 0)
	showWhen(t.useTable.table, len(us) > 0)

	bs, err := t.state.db.CreditBalances(t.cust.ID, t.month())
	switch {
	case err != nil:
		t.balance.SetText("Could not compute the balance: " + err.Error())
	case len(bs) == 0:
		t.balance.SetText("No credit balance.")
	default:
		parts := make([]string, len(bs))
		for i, b := range bs {
			parts[i] = amount(b.Currency, b.Amount, 2)
		}
		t.balance.SetText(fmt.Sprintf("Balance for invoices of %s: %s", t.month(), strings.Join(parts, ", ")))
	}
}

func (t *creditsTab) grantCell(row, col int) cell {
	g := t.grants[row]
	switch col {
	case 0:
		return cell{text: "#" + strconv.FormatUint(g.ID, 10)}
	case 1:
		return cell{text: g.Granted.Local().Format("2006-01-02")}
	case 2:
		return cell{text: amount(g.Currency, g.Amount, t.places)}
	case 3:
		return cell{text: g.Reason}
	case 4:
		if g.Expires == "" {
			return cell{text: "never expires"}
		}
		if !g.UsableIn(t.month()) {
			return cell{text: g.Expires + " (expired)", importance: widget.WarningImportance}
		}
		return cell{text: g.Expires}
	case 5:
		return cell{text: amount(g.Currency, customer.Remaining(g, t.uses), t.places), bold: true}
	}
	return cell{}
}

func (t *creditsTab) useCell(row, col int) cell {
	u := t.uses[row]
	switch col {
	case 0:
		return cell{text: u.Invoice}
	case 1:
		return cell{text: u.Period}
	case 2:
		return cell{text: "#" + strconv.FormatUint(u.Grant, 10)}
	case 3:
		currency := ""
		for _, g := range t.grants {
			if g.ID == u.Grant {
				currency = g.Currency
			}
		}
		return cell{text: amount(currency, u.Amount, t.places)}
	case 4:
		return cell{text: u.At.Local().Format("2006-01-02")}
	}
	return cell{}
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
	g.tab.status.Importance = widget.SuccessImportance
	g.tab.status.SetText(fmt.Sprintf("Granted %s to %s (credit #%d).", amount(saved.Currency, saved.Amount, 2), g.tab.cust.ID, saved.ID))
	g.tab.refresh()
	if g.tab.onChanged != nil {
		g.tab.onChanged()
	}
}
