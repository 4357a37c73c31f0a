package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// rebillBin is the rebill binary the tests of this file run as a user
// does: built once by TestMain from this module.
var rebillBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "rebill-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rebillBin = filepath.Join(dir, "rebill")
	if runtime.GOOS == "windows" {
		rebillBin += ".exe"
	}
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	args := append([]string{"build", "-o", rebillBin}, buildFlags...)
	cmd := exec.Command(goTool, append(args, ".")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building rebill: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// rebill runs the built binary with env added to the test's environment.
func rebill(t *testing.T, env []string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := exec.Command(rebillBin, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	return out.String(), errb.String(), err
}

// TestCLIPrintsNoLocaleErrors: a command never opens a window, so it must
// not print Fyne's complaints about a locale it cannot parse, whatever the
// environment says.
func TestCLIPrintsNoLocaleErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "rebill.db")
	for _, env := range [][]string{
		{"LANG=C", "LC_ALL=", "LC_MESSAGES=", "LANGUAGE="},
		{"LANG=C.UTF-8", "LC_ALL=", "LC_MESSAGES=", "LANGUAGE="},
		{"LANG=POSIX", "LC_ALL=", "LC_MESSAGES=", "LANGUAGE="},
		{"LANG=en_US.UTF-8", "LC_ALL=C", "LC_MESSAGES=", "LANGUAGE="},
		{"LANG=xx_YY", "LC_ALL=", "LC_MESSAGES=", "LANGUAGE="},
		{"LANG=de_DE.UTF-8", "LC_ALL=", "LC_MESSAGES=", "LANGUAGE=zz:fr"},
		{"LANG=", "LC_ALL=", "LC_MESSAGES=", "LANGUAGE="},
	} {
		t.Run(fmt.Sprint(env), func(t *testing.T) {
			for _, args := range [][]string{{"version"}, {"--db", db, "periods", "--json"}} {
				_, stderr, err := rebill(t, env, args...)
				if err != nil || stderr != "" {
					t.Errorf("rebill %v: %v, stderr:\n%s", args, err, stderr)
				}
			}
		})
	}
}
