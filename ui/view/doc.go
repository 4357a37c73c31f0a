// Package view holds what the window's screens show, computed without
// Fyne: the rows of their tables, their headings, notes and warnings, and
// the month-on-month change, worded from what the store's use cases and
// the engine return. A screen builds its view-model here and only binds it
// to widgets, so tests drive the words and figures directly, without a
// window.
//
// It decides nothing: every rule (which invoice a preview compares with,
// which change is worth a second look, what unmapping removes) is the
// engine's, and every read is the screen's, through the store. Nor does it
// do money math: amounts are the engine's, written with thousands
// separators and never rounded, converted or added up here.
//
// The files follow the screens: invoices.go (the Invoices list),
// invoice.go (one invoice), generate.go (the Generate dialog), reports.go,
// statement.go and trace.go (the Reports screen), customers.go,
// accounts.go, ledger.go and profile.go (the Customers screen and its
// tabs), imports.go (the Import screen), settings.go; format.go and
// tone.go are what they share. deps_test.go proves the package reaches no
// Fyne.
package view
