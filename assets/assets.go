// Package assets holds the files built into the Rebill binary, such as the
// application icon, so the window needs nothing from disk to look right.
package assets

import _ "embed"

// Icon is the 512x512 application icon (PNG), also named in FyneApp.toml.
//
//go:embed icon.png
var Icon []byte

// DejaVuSans and DejaVuSansBold are the fonts documents (invoice PDFs) are
// printed in, embedded so that every machine renders them alike and names
// such as "Müller GmbH" and the signs € and ¥ always print. DejaVu covers
// Latin, Greek, Cyrillic and most currency signs; its licence is
// fonts/LICENSE-DejaVu.txt.
//
//go:embed fonts/DejaVuSans.ttf
var DejaVuSans []byte

// DejaVuSansBold is the bold weight of DejaVuSans.
//
//go:embed fonts/DejaVuSans-Bold.ttf
var DejaVuSansBold []byte
