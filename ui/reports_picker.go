package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/customer"
)

// Node ids of the report's customer picker: the whole list, a group by its
// key (customer.GroupNode.Key; the customers without a group under
// pickNoGroup) or one customer by id.
const (
	pickAll      = "all"
	pickGroup    = "group:"
	pickCustomer = "customer:"
	pickNoGroup  = "group:\x00"
)

// reportPick is what the picker has selected: every customer, a group or
// one customer.
type reportPick struct {
	node string
	// label names the selection for headings ("All customers", "EMEA",
	// "Acme Retail Ltd").
	label string
	// ids are the customers it covers, in list order.
	ids []string
}

// single reports whether one customer is selected, and which.
func (p reportPick) single() (string, bool) {
	if strings.HasPrefix(p.node, pickCustomer) {
		return strings.TrimPrefix(p.node, pickCustomer), true
	}
	return "", false
}

// reportPicker is the customer tree of the Reports screen: all customers,
// their groups (expandable, nested as the group paths say) and the
// customers. Picking a node reports the customers it covers through
// onPicked. Every node also has a check box choosing customers to invoice,
// apart from the node picked for the report: a group's box checks all of
// its customers, and shows a partial mark when only some are. The Options
// menu (All, None, Generate invoices…) is the one accountants know from
// their distributor's platform.
type reportPicker struct {
	tree *widget.Tree
	view fyne.CanvasObject
	// onPicked runs on the UI goroutine when the selection changes.
	onPicked func(reportPick)
	// onGenerate runs when the accountant asks to generate invoices for
	// the checked customers.
	onGenerate func()

	options  *widget.Button
	menu     *fyne.Menu
	chosen   *tipLabel
	generate *widget.Button
	// checked holds the customers checked for invoicing, by id.
	checked map[string]bool

	customers []customer.Customer
	byID      map[string]customer.Customer
	children  map[string][]string
	// covered lists, per node, the customers under it.
	covered map[string][]string
	// groups are the group nodes, by node id.
	groups   map[string]*customer.GroupNode
	selected string
}

func newReportPicker() *reportPicker {
	p := &reportPicker{checked: map[string]bool{}}
	p.tree = widget.NewTree(
		func(uid widget.TreeNodeID) []widget.TreeNodeID { return p.children[uid] },
		func(uid widget.TreeNodeID) bool { return uid == "" || !strings.HasPrefix(uid, pickCustomer) },
		func(branch bool) fyne.CanvasObject {
			return container.NewBorder(nil, nil, container.NewHBox(widget.NewCheck("", nil), widget.NewIcon(theme.AccountIcon())), nil, newTipLabel(""))
		},
		p.updateNode)
	p.tree.OnSelected = p.onSelected
	p.menu = fyne.NewMenu("",
		fyne.NewMenuItem("All", p.onSelectAll),
		fyne.NewMenuItem("None", p.onSelectNone),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Generate invoices…", p.onGenerateTapped),
	)
	p.options = widget.NewButtonWithIcon("Options", theme.MoreVerticalIcon(), p.onOptions)
	p.options.Importance = widget.LowImportance
	p.chosen = newTipLabel("")
	p.chosen.Importance = widget.LowImportance
	p.generate = widget.NewButtonWithIcon("Generate invoices…", theme.DocumentCreateIcon(), p.onGenerateTapped)
	p.generate.Importance = widget.HighImportance
	title := widget.NewLabelWithStyle("Customers", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	top := container.NewBorder(nil, nil, nil, p.options, title)
	bottom := container.NewVBox(widget.NewSeparator(), p.chosen, p.generate)
	p.view = container.NewBorder(top, bottom, nil, nil, p.tree)
	p.setCustomers(nil)
	return p
}

// onOptions opens the Options menu under its button.
func (p *reportPicker) onOptions() {
	c := fyne.CurrentApp().Driver().CanvasForObject(p.options)
	if c == nil {
		return
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(p.options)
	widget.ShowPopUpMenuAtPosition(p.menu, c, pos.AddXY(0, p.options.Size().Height))
}

// onSelectAll checks every customer for invoicing.
func (p *reportPicker) onSelectAll() { p.check(pickAll, true) }

// onSelectNone clears the customers checked for invoicing.
func (p *reportPicker) onSelectNone() { p.check(pickAll, false) }

func (p *reportPicker) onGenerateTapped() {
	if len(p.checkedIDs()) > 0 && p.onGenerate != nil {
		p.onGenerate()
	}
}

// check checks or clears every customer under a node.
func (p *reportPicker) check(uid string, on bool) {
	for _, id := range p.covered[uid] {
		if on {
			p.checked[id] = true
		} else {
			delete(p.checked, id)
		}
	}
	p.tree.Refresh()
	p.showChecked()
}

// checkedIDs are the customers checked for invoicing, in list order.
func (p *reportPicker) checkedIDs() []string {
	var ids []string
	for _, c := range p.customers {
		if p.checked[c.ID] {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// checkState tells whether all, or only some, of a node's customers are
// checked.
func (p *reportPicker) checkState(uid string) (all, some bool) {
	ids := p.covered[uid]
	n := 0
	for _, id := range ids {
		if p.checked[id] {
			n++
		}
	}
	return len(ids) > 0 && n == len(ids), n > 0
}

// showChecked says how many customers are checked and enables the
// Generate action when there are some.
func (p *reportPicker) showChecked() {
	n := len(p.checkedIDs())
	switch {
	case len(p.customers) == 0:
		p.chosen.SetText("No customers to invoice yet")
	case n == 0:
		p.chosen.SetText("Check customers to invoice them")
	default:
		p.chosen.SetText(count(int64(n)) + " of " + plural(len(p.customers), "customer", "customers") + " checked")
	}
	gen := p.menu.Items[len(p.menu.Items)-1]
	if n == 0 {
		p.generate.Disable()
		gen.Disabled = true
	} else {
		p.generate.Enable()
		gen.Disabled = false
	}
	p.menu.Items[0].Disabled = len(p.customers) == 0
	p.menu.Items[1].Disabled = n == 0
}

// setCustomers rebuilds the tree, keeping the selection when its node
// still exists (else selecting every customer) and the check marks of the
// customers that still exist.
func (p *reportPicker) setCustomers(cs []customer.Customer) {
	p.customers = cs
	p.byID = map[string]customer.Customer{}
	for _, c := range cs {
		p.byID[c.ID] = c
	}
	for id := range p.checked {
		if _, ok := p.byID[id]; !ok {
			delete(p.checked, id)
		}
	}
	// The groups are the engine's (customer.NewGroupTree): the same
	// customers as selecting the group by name anywhere else.
	tree := customer.NewGroupTree(cs)
	p.children = map[string][]string{"": {pickAll}}
	p.covered = map[string][]string{}
	p.groups = map[string]*customer.GroupNode{}
	for _, c := range cs {
		node := pickCustomer + c.ID
		p.covered[pickAll] = append(p.covered[pickAll], c.ID)
		p.covered[node] = []string{c.ID}
	}
	var addGroup func(parent string, g *customer.GroupNode)
	addGroup = func(parent string, g *customer.GroupNode) {
		uid := pickGroup + g.Key
		p.groups[uid] = g
		p.children[parent] = append(p.children[parent], uid)
		p.covered[uid] = g.IDs
		for _, sub := range g.Groups {
			addGroup(uid, sub)
		}
		for _, c := range g.Customers {
			p.children[uid] = append(p.children[uid], pickCustomer+c.ID)
		}
	}
	for _, g := range tree.Groups {
		addGroup(pickAll, g)
	}
	// Customers without a group come last, as in the customer list.
	if len(tree.Ungrouped) > 0 {
		p.children[pickAll] = append(p.children[pickAll], pickNoGroup)
		for _, c := range tree.Ungrouped {
			p.children[pickNoGroup] = append(p.children[pickNoGroup], pickCustomer+c.ID)
			p.covered[pickNoGroup] = append(p.covered[pickNoGroup], c.ID)
		}
	}
	p.tree.Refresh()
	p.tree.OpenBranch(pickAll)
	for node := range p.children {
		if strings.HasPrefix(node, pickGroup) {
			p.tree.OpenBranch(node)
		}
	}
	if _, ok := p.covered[p.selected]; !ok || p.selected == "" {
		p.selected = pickAll
	}
	p.tree.Select(p.selected)
	p.showChecked()
}

func (p *reportPicker) updateNode(uid widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
	box := o.(*fyne.Container)
	label := box.Objects[0].(*tipLabel)
	label.OnTapped = func() { p.tree.Select(uid) }
	lead := box.Objects[1].(*fyne.Container)
	check := lead.Objects[0].(*widget.Check)
	icon := lead.Objects[1].(*widget.Icon)
	// The template is reused for other nodes: set the mark without
	// running the previous node's handler, then bind this node's.
	check.OnChanged = nil
	all, some := p.checkState(uid)
	check.Checked, check.Partial = all, some && !all
	check.Refresh()
	check.OnChanged = func(on bool) { p.check(uid, on) }
	n := len(p.covered[uid])
	switch {
	case uid == pickAll:
		icon.SetResource(theme.HomeIcon())
		label.TextStyle = fyne.TextStyle{Bold: true}
		label.SetText("All customers (" + count(int64(n)) + ")")
	case strings.HasPrefix(uid, pickCustomer):
		c := p.byID[strings.TrimPrefix(uid, pickCustomer)]
		icon.SetResource(theme.AccountIcon())
		label.TextStyle = fyne.TextStyle{}
		label.SetText(c.Name)
	default:
		icon.SetResource(theme.FolderIcon())
		label.TextStyle = fyne.TextStyle{}
		label.SetText(p.groupLabel(uid) + " (" + count(int64(n)) + ")")
	}
}

// groupLabel is a group node's last level, "No group" for the customers
// without one.
func (p *reportPicker) groupLabel(uid string) string {
	if uid == pickNoGroup {
		return "No group"
	}
	if g := p.groups[uid]; g != nil {
		return g.Name
	}
	return ""
}

func (p *reportPicker) onSelected(uid widget.TreeNodeID) {
	p.selected = uid
	if p.onPicked != nil {
		p.onPicked(p.pick())
	}
}

// pick describes the current selection.
func (p *reportPicker) pick() reportPick {
	uid := p.selected
	pk := reportPick{node: uid, ids: p.covered[uid]}
	switch {
	case uid == pickAll:
		pk.label = "All customers"
	case strings.HasPrefix(uid, pickCustomer):
		c := p.byID[strings.TrimPrefix(uid, pickCustomer)]
		pk.label = c.Name
	case uid == pickNoGroup:
		pk.label = "Customers without a group"
	case p.groups[uid] != nil:
		pk.label = "Group " + p.groups[uid].Path
	}
	return pk
}

// selectCustomer picks one customer, as when the accountant opens a row of
// a group's summary.
func (p *reportPicker) selectCustomer(id string) {
	if _, ok := p.byID[id]; ok {
		p.tree.ScrollTo(pickCustomer + id)
		p.tree.Select(pickCustomer + id)
	}
}
