package ui

import (
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/customer"
)

// Node ids of the report's customer picker: the whole list, a group by its
// path ("EMEA", "EMEA / Enterprise"; the customers without a group under
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
// onPicked. It is its own type so that invoice generation can give every
// node a check box and ask for the checked customers, without touching
// the screen's report logic.
type reportPicker struct {
	tree *widget.Tree
	view fyne.CanvasObject
	// onPicked runs on the UI goroutine when the selection changes.
	onPicked func(reportPick)

	customers []customer.Customer
	byID      map[string]customer.Customer
	children  map[string][]string
	// covered lists, per node, the customers under it.
	covered  map[string][]string
	selected string
}

func newReportPicker() *reportPicker {
	p := &reportPicker{}
	p.tree = widget.NewTree(
		func(uid widget.TreeNodeID) []widget.TreeNodeID { return p.children[uid] },
		func(uid widget.TreeNodeID) bool { return uid == "" || !strings.HasPrefix(uid, pickCustomer) },
		func(branch bool) fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, widget.NewIcon(theme.AccountIcon()), nil, l)
		},
		p.updateNode)
	p.tree.OnSelected = p.onSelected
	title := widget.NewLabelWithStyle("Customers", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.view = container.NewBorder(title, nil, nil, nil, p.tree)
	p.setCustomers(nil)
	return p
}

// setCustomers rebuilds the tree, keeping the selection when its node
// still exists (else selecting every customer).
func (p *reportPicker) setCustomers(cs []customer.Customer) {
	p.customers = cs
	p.byID = map[string]customer.Customer{}
	p.children = map[string][]string{"": {pickAll}}
	p.covered = map[string][]string{}
	seen := map[string]bool{}
	addChild := func(parent, child string) {
		if !seen[parent+"\n"+child] {
			seen[parent+"\n"+child] = true
			p.children[parent] = append(p.children[parent], child)
		}
	}
	for _, c := range cs {
		p.byID[c.ID] = c
		node := pickCustomer + c.ID
		p.covered[pickAll] = append(p.covered[pickAll], c.ID)
		p.covered[node] = []string{c.ID}
		parent := pickAll
		path := c.GroupPath()
		if len(path) == 0 {
			addChild(pickAll, pickNoGroup)
			p.covered[pickNoGroup] = append(p.covered[pickNoGroup], c.ID)
			parent = pickNoGroup
		}
		for i := range path {
			g := pickGroup + strings.Join(path[:i+1], customer.GroupSeparator)
			addChild(parent, g)
			p.covered[g] = append(p.covered[g], c.ID)
			parent = g
		}
		addChild(parent, node)
	}
	// Customers without a group come last, as in the customer list.
	kids := p.children[pickAll]
	sort.SliceStable(kids, func(i, j int) bool { return kids[j] == pickNoGroup && kids[i] != pickNoGroup })
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
}

func (p *reportPicker) updateNode(uid widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
	box := o.(*fyne.Container)
	label := box.Objects[0].(*widget.Label)
	icon := box.Objects[1].(*widget.Icon)
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
	path := strings.Split(strings.TrimPrefix(uid, pickGroup), customer.GroupSeparator)
	return path[len(path)-1]
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
	default:
		pk.label = "Group " + strings.TrimPrefix(uid, pickGroup)
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
