package ui

import (
	"errors"
	"strings"
	"testing"
)

// TestDisplayProblem: on Linux and the BSDs the window needs DISPLAY or
// WAYLAND_DISPLAY, else Run says so instead of the graphics library
// panicking; macOS and Windows are never refused.
func TestDisplayProblem(t *testing.T) {
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	for _, tc := range []struct {
		goos string
		vars map[string]string
		want error
	}{
		{"linux", nil, errNoDisplay},
		{"linux", map[string]string{"DISPLAY": ":0"}, nil},
		{"linux", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, nil},
		{"freebsd", map[string]string{"HOME": "/home/a"}, errNoDisplay},
		{"darwin", nil, nil},
		{"windows", nil, nil},
	} {
		if got := displayProblem(tc.goos, env(tc.vars)); !errors.Is(got, tc.want) {
			t.Errorf("%s with %v: %v, want %v", tc.goos, tc.vars, got, tc.want)
		}
	}
	if msg := errNoDisplay.Error(); !strings.Contains(msg, "rebill help") {
		t.Errorf("the refusal %q does not say where the commands are", msg)
	}
}

// TestWindowFailureIsASentence: a panic while the window opens becomes
// Run's error, naming the cause and the commands.
func TestWindowFailureIsASentence(t *testing.T) {
	err := windowFailure("NotInitialized: The GLFW library is not initialized")
	want := "the window could not be opened: NotInitialized: The GLFW library is not initialized; the commands still work (rebill help lists them)"
	if err.Error() != want {
		t.Errorf("%q, want %q", err, want)
	}
}
