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
	"rebill/ui/view"
)

// customersScreen is the customer list, grouped and searchable, beside the
// selected customer's Profile, Accounts, Credits and History.
type customersScreen struct {
	state *appState

	search    *widget.Entry
	tree      *widget.Tree
	listEmpty *widget.Label
	addBtn    *widget.Button
	importBtn *widget.Button
	exportBtn *widget.Button
	importMap *widget.Button
	exportMap *widget.Button

	header      *tipLabel
	subheader   *tipLabel
	tabs        *container.AppTabs
	profileItem *container.TabItem
	others      []*container.TabItem
	form        *customerForm
	accounts    *accountsTab
	credits     *creditsTab
	history     *historyTab
	detail      fyne.CanvasObject
	detailEmpty *fyne.Container
	content     fyne.CanvasObject

	customers []customer.Customer
	byID      map[string]customer.Customer
	// model is the list as shown: the groups of the customers that
	// match the search (view.NewCustomerTree).
	model view.CustomerTree
	// selected is the customer shown on the right, "" for none or a new
	// one.
	selected string
	// reselecting is set while the tree is made to agree with selected.
	reselecting bool
	// notice is the last dialog shown, for tests.
	notice dialog.Dialog
}

func newCustomersScreen(st *appState) *customersScreen {
	s := &customersScreen{state: st}
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder("Search name, id, group, contact…")
	s.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	s.search.OnChanged = func(string) { s.onSearch() }

	s.tree = widget.NewTree(s.childIDs, s.isBranch, s.createNode, s.updateNode)
	s.tree.OnSelected = s.onSelected
	s.listEmpty = lowNote("")

	s.addBtn = widget.NewButtonWithIcon("Add customer", theme.ContentAddIcon(), s.onAddCustomer)
	s.addBtn.Importance = widget.HighImportance
	s.importBtn = widget.NewButtonWithIcon("Import CSV…", theme.FileIcon(), s.onImportCustomers)
	s.exportBtn = widget.NewButtonWithIcon("Export CSV…", theme.DocumentSaveIcon(), s.onExportCustomers)
	s.importMap = widget.NewButtonWithIcon("Import CSV…", theme.FileIcon(), s.onImportMappings)
	s.exportMap = widget.NewButtonWithIcon("Export CSV…", theme.DocumentSaveIcon(), s.onExportMappings)

	s.form = newCustomerForm(st, s.onSaved)
	s.accounts = newAccountsTab(st, s.onLedgerChanged)
	s.credits = newCreditsTab(st, s.onLedgerChanged)
	s.history = newHistoryTab(st)
	s.profileItem = container.NewTabItemWithIcon("Profile", theme.AccountIcon(), s.form.content)
	s.others = []*container.TabItem{
		container.NewTabItemWithIcon("Accounts", theme.StorageIcon(), s.accounts.content),
		container.NewTabItemWithIcon("Credits", theme.ContentAddIcon(), s.credits.content),
		container.NewTabItemWithIcon("History", theme.HistoryIcon(), s.history.content),
	}
	s.tabs = container.NewAppTabs(append([]*container.TabItem{s.profileItem}, s.others...)...)
	s.tabs.OnSelected = s.onTab

	s.header = newTipLabel("")
	s.header.TextStyle = fyne.TextStyle{Bold: true}
	s.header.SizeName = theme.SizeNameSubHeadingText
	s.subheader = newTipLabel("")
	s.subheader.Importance = widget.LowImportance
	s.detail = container.NewBorder(container.NewVBox(s.header, s.subheader), nil, nil, nil, s.tabs)
	emptyText := widget.NewLabel("Select a customer in the list to see and edit its profile, the cloud accounts it owns, its credits and its history.")
	emptyText.Wrapping = fyne.TextWrapWord
	s.detailEmpty = container.NewVBox(emptyText)

	csvRow := func(title string, imp, exp *widget.Button) fyne.CanvasObject {
		l := widget.NewLabel(title)
		l.Importance = widget.LowImportance
		return container.NewVBox(l, container.NewGridWithColumns(2, imp, exp))
	}
	left := container.NewBorder(
		container.NewVBox(s.addBtn, s.search),
		container.NewVBox(widget.NewSeparator(), csvRow("Customers file (CSV)", s.importBtn, s.exportBtn),
			csvRow("Account mappings file (CSV)", s.importMap, s.exportMap)),
		nil, nil,
		container.NewStack(s.tree, container.NewVBox(s.listEmpty)))
	split := container.NewHSplit(left, container.NewStack(s.detail, s.detailEmpty))
	split.Offset = 0.3
	s.content = split

	st.onDataChanged(s.refresh)
	s.refresh()
	s.showDetail(false)
	return s
}

func (s *customersScreen) view() fyne.CanvasObject { return s.content }

// refresh reloads the customers and, unless the form holds unsaved
// edits, the customer shown.
func (s *customersScreen) refresh() {
	cs, err := s.state.db.Customers()
	if err != nil {
		s.listEmpty.SetText("Could not read the customers: " + err.Error())
		s.listEmpty.Show()
		return
	}
	s.customers = cs
	s.byID = map[string]customer.Customer{}
	for _, c := range cs {
		s.byID[c.ID] = c
	}
	s.form.setGroups(customer.NewGroupTree(cs).Names())
	s.rebuild()
	if s.selected != "" {
		c, ok := s.byID[s.selected]
		if !ok {
			s.selected = ""
			s.showDetail(false)
			return
		}
		s.showHeader(c)
		if !s.form.hasChanges() {
			s.form.load(c)
		}
		s.accounts.load(c)
		s.credits.load(c)
		s.history.load(c)
	}
}

// rebuild makes the tree from the customers that match the search.
func (s *customersScreen) rebuild() {
	s.model = view.NewCustomerTree(s.customers, s.search.Text)
	s.listEmpty.SetText(s.model.Empty)
	showWhen(s.listEmpty, s.model.Matches == 0)
	showWhen(s.tree, s.model.Matches > 0)
	s.tree.Refresh()
	s.tree.OpenAllBranches()
	s.syncTree()
}

// syncTree makes the tree's selection agree with the customer shown.
func (s *customersScreen) syncTree() {
	s.reselecting = true
	defer func() { s.reselecting = false }()
	if s.selected != "" && s.visibleInTree(s.selected) {
		s.tree.Select(view.CustomerNode + s.selected)
		s.tree.ScrollTo(view.CustomerNode + s.selected)
	} else {
		s.tree.UnselectAll()
	}
}

func (s *customersScreen) visibleInTree(id string) bool {
	c, ok := s.byID[id]
	return ok && c.Matches(s.search.Text)
}

func (s *customersScreen) childIDs(uid widget.TreeNodeID) []widget.TreeNodeID {
	return s.model.Children[uid]
}

func (s *customersScreen) isBranch(uid widget.TreeNodeID) bool {
	return uid == "" || strings.HasPrefix(uid, view.GroupNode)
}

func (s *customersScreen) createNode(branch bool) fyne.CanvasObject {
	name := newTipLabel("")
	detail := widget.NewLabel("")
	detail.Importance = widget.LowImportance
	return container.NewBorder(nil, nil, nil, detail, name)
}

func (s *customersScreen) updateNode(uid widget.TreeNodeID, branch bool, o fyne.CanvasObject) {
	row := o.(*fyne.Container)
	name := row.Objects[0].(*tipLabel)
	detail := row.Objects[1].(*widget.Label)
	// A click on the name selects the node, as a click beside it does.
	name.OnTapped = func() { s.tree.Select(uid) }
	if branch {
		g, ok := s.model.Groups[uid]
		if !ok {
			return
		}
		name.TextStyle = fyne.TextStyle{Bold: true}
		name.SetText(g.Name)
		detail.SetText(fmt.Sprint(g.Count))
		return
	}
	id := strings.TrimPrefix(uid, view.CustomerNode)
	c := s.byID[id]
	name.TextStyle = fyne.TextStyle{}
	name.SetText(c.Name)
	detail.SetText(c.ID)
}

// onSearch filters the list as the accountant types.
func (s *customersScreen) onSearch() { s.rebuild() }

// onSelected shows the customer picked in the list; picking a group opens
// or closes it.
func (s *customersScreen) onSelected(uid widget.TreeNodeID) {
	if s.reselecting {
		return
	}
	if s.isBranch(uid) {
		s.tree.ToggleBranch(uid)
		s.syncTree()
		return
	}
	id := strings.TrimPrefix(uid, view.CustomerNode)
	if id == s.selected && !s.form.isNew {
		return
	}
	s.confirmLeave(func(ok bool) {
		if !ok {
			s.syncTree()
			return
		}
		s.selectCustomer(id)
	})
}

// confirmLeave asks before unsaved edits of the form are thrown away.
func (s *customersScreen) confirmLeave(then func(bool)) {
	if !s.detail.Visible() || !s.form.hasChanges() {
		then(true)
		return
	}
	d := dialog.NewConfirm("Discard changes?", view.DiscardQuestion(s.form.isNew, s.form.saved), then, s.state.win)
	d.SetConfirmText("Discard")
	d.SetDismissText("Keep editing")
	s.notice = d
	d.Show()
}

// selectCustomer shows a customer on the right.
func (s *customersScreen) selectCustomer(id string) {
	c, ok := s.byID[id]
	if !ok {
		return
	}
	s.selected = id
	s.showHeader(c)
	s.form.load(c)
	s.accounts.load(c)
	s.credits.load(c)
	s.history.load(c)
	for _, item := range s.others {
		s.tabs.EnableItem(item)
	}
	s.showDetail(true)
	s.syncTree()
}

func (s *customersScreen) showHeader(c customer.Customer) {
	s.header.SetText(c.Name)
	s.subheader.SetText(view.CustomerSubheading(c))
}

func (s *customersScreen) showDetail(on bool) {
	showWhen(s.detail, on)
	showWhen(s.detailEmpty, !on)
}

// onTab refreshes the tab brought to the front.
func (s *customersScreen) onTab(item *container.TabItem) {
	if s.selected == "" {
		return
	}
	switch item {
	case s.others[0]:
		s.accounts.refresh()
	case s.others[1]:
		s.credits.refresh()
	case s.others[2]:
		s.history.refresh()
	}
}

// onAddCustomer opens an empty Profile form with the reseller's default
// currency and payment terms.
func (s *customersScreen) onAddCustomer() {
	s.confirmLeave(func(ok bool) {
		if !ok {
			return
		}
		p, err := s.state.db.Profile()
		if err != nil {
			dialog.ShowError(err, s.state.win)
			return
		}
		s.selected = ""
		s.syncTree()
		s.header.SetText("New customer")
		s.subheader.SetText(view.NewCustomerSubheading(p))
		s.form.loadNew(p.Defaults().New())
		s.tabs.Select(s.profileItem)
		for _, item := range s.others {
			s.tabs.DisableItem(item)
		}
		s.showDetail(true)
		if c := fyne.CurrentApp().Driver().CanvasForObject(s.form.id); c != nil {
			c.Focus(s.form.id)
		}
	})
}

// onSaved shows the customer just saved, selected in its group.
func (s *customersScreen) onSaved(id string) {
	s.selected = id
	s.refresh()
	s.selectCustomer(id)
	s.state.dataChanged()
}

// onLedgerChanged follows a change of mappings or credits.
func (s *customersScreen) onLedgerChanged() {
	s.history.refresh()
	s.state.dataChanged()
}
