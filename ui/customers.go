package ui

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/customer"
	"rebill/store"
)

// Tree node ids of the customer list: groups are "g:" and their key
// (customer.GroupNode.Key: "g:emea", "g:emea / enterprise"), customers
// "c:" and their id. The customers without a group gather under noGroup.
const (
	groupNode    = "g:"
	customerNode = "c:"
	noGroup      = "g:\x00none"
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

	header      *widget.Label
	subheader   *widget.Label
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
	children  map[string][]string
	// groups are the group nodes of the list, by node id.
	groups map[string]*customer.GroupNode
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

	s.header = widget.NewLabel("")
	s.header.TextStyle = fyne.TextStyle{Bold: true}
	s.header.SizeName = theme.SizeNameSubHeadingText
	s.header.Truncation = fyne.TextTruncateEllipsis
	s.subheader = widget.NewLabel("")
	s.subheader.Importance = widget.LowImportance
	s.subheader.Truncation = fyne.TextTruncateEllipsis
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
	query := s.search.Text
	var shown []customer.Customer
	for _, c := range s.customers {
		if c.Matches(query) {
			shown = append(shown, c)
		}
	}
	matches := len(shown)
	// The groups are the engine's (customer.NewGroupTree), as the
	// report's picker and --group on the command line see them.
	tree := customer.NewGroupTree(shown)
	s.children = map[string][]string{}
	s.groups = map[string]*customer.GroupNode{}
	var addGroup func(parent string, g *customer.GroupNode)
	addGroup = func(parent string, g *customer.GroupNode) {
		id := groupNode + g.Key
		s.groups[id] = g
		s.children[parent] = append(s.children[parent], id)
		for _, sub := range g.Groups {
			addGroup(id, sub)
		}
		for _, c := range g.Customers {
			s.children[id] = append(s.children[id], customerNode+c.ID)
		}
	}
	for _, g := range tree.Groups {
		addGroup("", g)
	}
	if len(tree.Ungrouped) > 0 {
		s.children[""] = append(s.children[""], noGroup)
		s.groups[noGroup] = &customer.GroupNode{Name: "No group"}
		for _, c := range tree.Ungrouped {
			s.children[noGroup] = append(s.children[noGroup], customerNode+c.ID)
			s.groups[noGroup].IDs = append(s.groups[noGroup].IDs, c.ID)
		}
	}
	switch {
	case len(s.customers) == 0:
		s.listEmpty.SetText("No customers yet. Add one, import a customers file (CSV), or load the sample data on the Import screen.")
	case matches == 0:
		s.listEmpty.SetText(fmt.Sprintf("No customer matches %q.", strings.TrimSpace(query)))
	}
	showWhen(s.listEmpty, matches == 0)
	showWhen(s.tree, matches > 0)
	s.tree.Refresh()
	s.tree.OpenAllBranches()
	s.syncTree()
}

// syncTree makes the tree's selection agree with the customer shown.
func (s *customersScreen) syncTree() {
	s.reselecting = true
	defer func() { s.reselecting = false }()
	if s.selected != "" && s.visibleInTree(s.selected) {
		s.tree.Select(customerNode + s.selected)
		s.tree.ScrollTo(customerNode + s.selected)
	} else {
		s.tree.UnselectAll()
	}
}

func (s *customersScreen) visibleInTree(id string) bool {
	c, ok := s.byID[id]
	return ok && c.Matches(s.search.Text)
}

func (s *customersScreen) childIDs(uid widget.TreeNodeID) []widget.TreeNodeID {
	return s.children[uid]
}

func (s *customersScreen) isBranch(uid widget.TreeNodeID) bool {
	return uid == "" || strings.HasPrefix(uid, groupNode)
}

func (s *customersScreen) createNode(branch bool) fyne.CanvasObject {
	name := widget.NewLabel("")
	name.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel("")
	detail.Importance = widget.LowImportance
	return container.NewBorder(nil, nil, nil, detail, name)
}

func (s *customersScreen) updateNode(uid widget.TreeNodeID, branch bool, o fyne.CanvasObject) {
	row := o.(*fyne.Container)
	name := row.Objects[0].(*widget.Label)
	detail := row.Objects[1].(*widget.Label)
	if branch {
		g := s.groups[uid]
		if g == nil {
			return
		}
		name.TextStyle = fyne.TextStyle{Bold: true}
		name.SetText(g.Name)
		detail.SetText(fmt.Sprint(len(g.IDs)))
		return
	}
	id := strings.TrimPrefix(uid, customerNode)
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
	id := strings.TrimPrefix(uid, customerNode)
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
	who := "the new customer"
	if !s.form.isNew {
		who = s.form.saved.Name + " (" + s.form.saved.ID + ")"
	}
	d := dialog.NewConfirm("Discard changes?", "Your changes to "+who+" are not saved. Discard them?", then, s.state.win)
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
	sub := c.ID
	if c.Group != "" {
		sub += "  ·  " + c.Group
	}
	sub += "  ·  invoiced in " + c.Currency
	s.subheader.SetText(sub)
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
		s.subheader.SetText(fmt.Sprintf("Starts with your default currency (%s) and payment terms (%d days).", p.DefaultCurrency, p.DefaultTermsDays))
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

// The CSV files. Fyne's dialogs pick the file; reading and writing run in
// the background and report back through fyne.Do.

func (s *customersScreen) onImportCustomers() { s.openCSV(s.importCustomers) }

func (s *customersScreen) onImportMappings() { s.openCSV(s.importMappings) }

func (s *customersScreen) onExportCustomers() {
	s.saveCSV("customers.csv", s.exportCustomers)
}

func (s *customersScreen) onExportMappings() {
	s.saveCSV("account-mappings.csv", s.exportMappings)
}

// importCustomers imports a customers file: every customer is added or
// updated, or, when any row is bad, none is.
func (s *customersScreen) importCustomers(r io.ReadCloser, name string) {
	s.importCSV(r, name, "customers", func(r io.Reader) (store.ImportReport, error) {
		return s.state.db.ImportCustomersCSV(r, s.state.now())
	})
}

// importMappings imports an account mappings file: the mappings of every
// account it names are replaced, or, when any row is bad, none is.
func (s *customersScreen) importMappings(r io.ReadCloser, name string) {
	s.importCSV(r, name, "account mappings", func(r io.Reader) (store.ImportReport, error) {
		return s.state.db.ImportMappingsCSV(r, s.state.now())
	})
}

func (s *customersScreen) exportCustomers(w io.WriteCloser, path string) {
	s.exportCSV(w, path, "customers", s.state.db.ExportCustomersCSV)
}

func (s *customersScreen) exportMappings(w io.WriteCloser, path string) {
	s.exportCSV(w, path, "account mappings", s.state.db.ExportMappingsCSV)
}

// openCSV picks a CSV file and hands it to imp.
func (s *customersScreen) openCSV(imp func(r io.ReadCloser, name string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(err, s.state.win)
			return
		}
		if r == nil {
			return
		}
		imp(r, r.URI().Name())
	}, s.state.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv"}))
	d.Resize(dialogSize(s.state.win))
	d.Show()
}

// importCSV imports a file in the background; the store takes it whole
// or, when any row is bad, not at all.
func (s *customersScreen) importCSV(r io.ReadCloser, name, what string, imp func(io.Reader) (store.ImportReport, error)) {
	s.state.run(func() {
		defer r.Close()
		rep, err := imp(r)
		fyne.Do(func() {
			if err != nil {
				s.showImportError(name, what, err)
				return
			}
			parts := []string{fmt.Sprintf("%d added", rep.Added), fmt.Sprintf("%d updated", rep.Updated), fmt.Sprintf("%d unchanged", rep.Unchanged)}
			if rep.Removed > 0 {
				parts = append(parts, fmt.Sprintf("%d replaced", rep.Removed))
			}
			s.notice = dialog.NewInformation("Imported "+name, sentence(what)+": "+strings.Join(parts, ", ")+".", s.state.win)
			s.notice.Show()
			s.refresh()
			s.state.dataChanged()
		})
	})
}

// showImportError lists every bad row of a refused file with its line,
// column and reason. Reasons go in as plain text segments: column names
// such as payment_terms_days must not be read as markup.
func (s *customersScreen) showImportError(name, what string, err error) {
	intro := widget.NewLabel(fmt.Sprintf("Nothing was imported: the %s stay as they were. Correct %s and import it again.", what, name))
	intro.Wrapping = fyne.TextWrapWord
	var segs []widget.RichTextSegment
	var rows customer.RowErrors
	if errors.As(err, &rows) {
		intro.SetText(fmt.Sprintf("Nothing was imported: %s has %s. Correct them in your spreadsheet and import the file again; the %s stay as they were.",
			name, plural(len(rows), "problem", "problems"), what))
		where := widget.RichTextStyleStrong
		where.Inline = false
		for _, e := range rows {
			head := fmt.Sprintf("Line %d", e.Line)
			if e.Column != "" {
				head += ", column " + e.Column
			}
			segs = append(segs,
				&widget.TextSegment{Text: head, Style: where},
				&widget.TextSegment{Text: sentence(e.Reason), Style: widget.RichTextStyleParagraph})
		}
	} else {
		segs = append(segs, &widget.TextSegment{Text: sentence(err.Error()), Style: widget.RichTextStyleParagraph})
	}
	list := widget.NewRichText(segs...)
	list.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("Could not import "+name, "Close", container.NewBorder(intro, nil, nil, nil, container.NewVScroll(list)), s.state.win)
	d.Resize(fyne.NewSize(680, 460))
	s.notice = d
	d.Show()
}

// saveCSV picks where to write a CSV file and hands it to export.
func (s *customersScreen) saveCSV(name string, export func(w io.WriteCloser, path string)) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowError(err, s.state.win)
			return
		}
		if w == nil {
			return
		}
		export(w, w.URI().Path())
	}, s.state.win)
	d.SetFileName(name)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv"}))
	d.Resize(dialogSize(s.state.win))
	d.Show()
}

// exportCSV writes a file in the background.
func (s *customersScreen) exportCSV(w io.WriteCloser, path, what string, export func(io.Writer) error) {
	s.state.run(func() {
		err := export(w)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		fyne.Do(func() {
			if err != nil {
				dialog.ShowError(fmt.Errorf("the %s were not exported: %w", what, err), s.state.win)
				return
			}
			s.notice = dialog.NewInformation("Exported", fmt.Sprintf("The %s are in %s. Importing this file back changes nothing.", what, path), s.state.win)
			s.notice.Show()
		})
	})
}

// newLongTextDialog shows long content in a dialog that scrolls.
func newLongTextDialog(title string, content fyne.CanvasObject, w fyne.Window) dialog.Dialog {
	d := dialog.NewCustom(title, "Close", container.NewVScroll(content), w)
	d.Resize(fyne.NewSize(620, 420))
	return d
}
