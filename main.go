// Rebill turns cloud providers' billing files into reviewed, approved
// customer invoices, offline. Without arguments it opens the window; with a
// command it runs the scriptable CLI over the same engine and store.
package main

import (
	_ "embed"
	"fmt"
	"os"
	"strconv"
	"time"

	"rebill/ui"
	"rebill/ui/appinfo"
	"rebill/ui/cli"
	// First of Rebill's packages to initialise: it makes the locale one
	// Fyne can parse before Fyne reads it.
	_ "rebill/ui/locale"
)

// appToml is the single source of the app's id, name and version.
//
//go:embed FyneApp.toml
var appToml string

// version and build number a release is given at link time (make package:
// -ldflags "-X main.version=0.2.0 -X main.build=143"), so that numbering a
// release edits no tracked file; empty, FyneApp.toml's are used.
var version, build string

func main() {
	meta := appinfo.Parse(appToml)
	if version != "" {
		meta.Version = version
	}
	if n, err := strconv.Atoi(build); err == nil && n > 0 {
		meta.Build = n
	}
	dbPath, rest, err := cli.GlobalFlags(os.Args[1:])
	if err != nil || len(rest) > 0 {
		attachConsole()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "rebill:", err)
		os.Exit(2)
	}
	if len(rest) > 0 {
		os.Exit(cli.Run(os.Args[1:], meta, time.Now, os.Stdout, os.Stderr))
	}
	if err := ui.Run(meta, dbPath); err != nil {
		fmt.Fprintln(os.Stderr, "rebill:", err)
		os.Exit(1)
	}
}
