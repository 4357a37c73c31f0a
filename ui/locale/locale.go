// Package locale makes the process's locale environment one that Fyne can
// parse, before Fyne reads it.
//
// Fyne reads the user's language from LC_ALL, LC_MESSAGES, LANG and
// LANGUAGE while its packages initialise, and logs an error on stderr for
// a value that is no language tag: the C and POSIX locales that scripts,
// containers and CI run under ("C.UTF-8"), or an unknown language. Every
// CLI command would then print Fyne errors although it never opens a
// window, and a script reading stderr would see noise. Fyne falls back to
// English for such values anyway, so this package sets that fallback
// itself: main imports it first, and Go initialises it before Fyne's
// language package (a test of the built binary checks that order).
package locale

import (
	"os"
	"strings"

	"golang.org/x/text/language"
)

// Fallback is the locale an unusable value is replaced with: what Fyne
// would use after logging its error.
const Fallback = "en_US.UTF-8"

func init() {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v, ok := os.LookupEnv(name); ok && v != "" && !Usable(v) {
			os.Setenv(name, Fallback)
		}
	}
	if v := os.Getenv("LANGUAGE"); v != "" {
		var kept []string
		for _, l := range strings.Split(v, ":") {
			if Usable(l) {
				kept = append(kept, l)
			}
		}
		if len(kept) == 0 {
			os.Unsetenv("LANGUAGE")
		} else {
			os.Setenv("LANGUAGE", strings.Join(kept, ":"))
		}
	}
}

// Usable tells whether a POSIX locale value ("de_DE.UTF-8", "fr",
// "pt-BR") names a language Fyne can parse. C and POSIX do not.
func Usable(v string) bool {
	tag, _, _ := strings.Cut(v, ".")
	tag, _, _ = strings.Cut(tag, "@")
	tag = strings.ReplaceAll(tag, "_", "-")
	if tag == "" || tag == "C" || tag == "POSIX" {
		return false
	}
	_, err := language.Parse(tag)
	return err == nil
}
