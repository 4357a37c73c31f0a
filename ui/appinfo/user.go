package appinfo

import "os/user"

// User names who runs Rebill (the system account), for the histories that
// record a deliberate choice: Rebill has no accounts of its own, and on
// one laptop the system user is who chose.
func User() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}
