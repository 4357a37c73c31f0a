package ui

import "fyne.io/fyne/v2/widget"

// findEntry is the Customers screen's search, which Find (Ctrl+F) focuses.
func (s *customersScreen) findEntry() *widget.Entry { return s.search }
