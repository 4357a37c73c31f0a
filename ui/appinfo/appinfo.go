// Package appinfo reads the application's identity from FyneApp.toml, the
// only place the app id and version are written.
package appinfo

import (
	"bufio"
	"strconv"
	"strings"
)

// Meta is the application's identity.
type Meta struct {
	ID, Name, Version string
	Build             int
}

// Parse reads the [Details] section of a FyneApp.toml.
func Parse(toml string) Meta {
	var m Meta
	section := ""
	sc := bufio.NewScanner(strings.NewReader(toml))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[]")
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok || section != "Details" {
			continue
		}
		key, value = strings.TrimSpace(key), strings.Trim(strings.TrimSpace(value), `"`)
		switch key {
		case "ID":
			m.ID = value
		case "Name":
			m.Name = value
		case "Version":
			m.Version = value
		case "Build":
			m.Build, _ = strconv.Atoi(value)
		}
	}
	return m
}
