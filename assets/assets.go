// Package assets holds the files built into the Rebill binary, such as the
// application icon, so the window needs nothing from disk to look right.
package assets

import _ "embed"

// Icon is the 512x512 application icon (PNG), also named in FyneApp.toml.
//
//go:embed icon.png
var Icon []byte
