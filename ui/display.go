package ui

import (
	"errors"
	"fmt"
)

// errNoDisplay is why the window cannot open on a Unix desktop without a
// display server: an SSH session or a container, where the accountant
// meant a command.
var errNoDisplay = errors.New("there is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set): start Rebill from a desktop session, or run one of its commands (rebill help lists them)")

// displayProblem says why the window could not open on this system, nil
// when it can try: on Linux and the BSDs the window needs an X11 or
// Wayland display, named by the environment (getenv); macOS and Windows
// always have one. Asked before the window is made, it turns what would
// be a graphics library's panic into a sentence.
func displayProblem(goos string, getenv func(string) string) error {
	switch goos {
	case "linux", "freebsd", "netbsd", "openbsd", "dragonfly":
		if getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
			return errNoDisplay
		}
	}
	return nil
}

// windowFailure turns a panic of the graphics library while the window
// opens (no OpenGL driver, a display that refuses the connection) into
// Run's error, so the accountant reads one sentence instead of a Go
// stack.
func windowFailure(recovered any) error {
	return fmt.Errorf("the window could not be opened: %v; the commands still work (rebill help lists them)", recovered)
}
