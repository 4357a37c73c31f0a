package view

// Tone is how a text stands out. The screens turn it into their toolkit's
// importance (its colour), so that a view-model says "warning" without
// knowing Fyne.
type Tone int

// Tones, from the plainest.
const (
	// Normal is the text colour.
	Normal Tone = iota
	// Low is grey: what needs nothing, explanations.
	Low
	// High is the accent colour: the selection.
	High
	// Success is green: settled, done.
	Success
	// Warning is orange: look twice.
	Warning
	// Danger is red: overdue, refused, failed.
	Danger
)

// Cell is one cell of a table as a screen shows it.
type Cell struct {
	Text string
	Tone Tone
	Bold bool
	// Full is the whole of what Text shortens, shown on a click or a
	// hover: an amount's exact figure behind its cents. "" when Text is
	// all there is.
	Full string
}
