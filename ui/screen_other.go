//go:build ci || android || ios || mobile || js || wasm || tamago || noos || tinygo

package ui

import "fyne.io/fyne/v2"

// screenSize is not known off the desktop driver: a zero size bounds
// nothing.
func screenSize(fyne.Canvas) fyne.Size { return fyne.Size{} }
