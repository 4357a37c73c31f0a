//go:build !ci && !android && !ios && !mobile && !js && !wasm && !tamago && !noos && !tinygo

package ui

import (
	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// screenSize is the size of the primary screen in the window's units,
// zero when it cannot be known. Fyne 2.7 does not say how large the
// screen is, so this asks GLFW, which Fyne's desktop driver runs on; call
// it on the main goroutine once the app runs (from OnStarted).
func screenSize(c fyne.Canvas) fyne.Size {
	m := glfw.GetPrimaryMonitor()
	if m == nil {
		return fyne.Size{}
	}
	mode := m.GetVideoMode()
	scale := c.Scale()
	if mode == nil || scale <= 0 {
		return fyne.Size{}
	}
	return fyne.NewSize(float32(mode.Width)/scale, float32(mode.Height)/scale)
}
