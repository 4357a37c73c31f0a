package email

import (
	"fmt"
	"strings"
)

// TLS modes of an SMTP server.
const (
	// TLSStartTLS connects in plain text and upgrades with STARTTLS
	// before authenticating (port 587): refused if the server offers none.
	TLSStartTLS = "starttls"
	// TLSImplicit speaks TLS from the first byte (port 465).
	TLSImplicit = "tls"
	// TLSNone never encrypts: only for a relay on this computer or a
	// trusted network; the password is then never sent.
	TLSNone = "none"
)

// Server is the SMTP server the accountant configured in Settings. The
// password is not part of it: it lives in the operating system's keyring
// (or is asked once per session), never in the database.
type Server struct {
	Host string `json:"host"`
	Port int    `json:"port"`
	User string `json:"user,omitempty"`
	TLS  string `json:"tls"`
	// From is the sender's address; empty takes the reseller profile's
	// e-mail address.
	From string `json:"from,omitempty"`
}

// Configured reports whether invoices go out by SMTP; without a server
// they are written as .eml files for the mail program.
func (s Server) Configured() bool { return strings.TrimSpace(s.Host) != "" }

// Normalize fills the defaults: STARTTLS, and its usual port (587; 465
// for implicit TLS, 25 without).
func (s Server) Normalize() Server {
	s.Host, s.User, s.From = strings.TrimSpace(s.Host), strings.TrimSpace(s.User), strings.TrimSpace(s.From)
	s.TLS = strings.ToLower(strings.TrimSpace(s.TLS))
	if s.TLS == "" {
		s.TLS = TLSStartTLS
	}
	if s.Port == 0 {
		s.Port = map[string]int{TLSStartTLS: 587, TLSImplicit: 465, TLSNone: 25}[s.TLS]
	}
	return s
}

// Validate checks a server before it is saved, naming the field to fix.
// An empty host is valid: it switches SMTP off.
func (s Server) Validate() error {
	if !s.Configured() {
		return nil
	}
	switch {
	case strings.ContainsAny(s.Host, " /:@"):
		return fmt.Errorf("SMTP host %q is not a host name: write e.g. smtp.example.com (the port apart)", s.Host)
	case s.Port < 1 || s.Port > 65535:
		return fmt.Errorf("SMTP port %d is not a port number (587 for STARTTLS, 465 for TLS)", s.Port)
	case s.TLS != TLSStartTLS && s.TLS != TLSImplicit && s.TLS != TLSNone:
		return fmt.Errorf("SMTP TLS mode %q is not one of starttls, tls, none", s.TLS)
	case s.TLS == TLSNone && s.User != "":
		return fmt.Errorf("SMTP without TLS would send the password of %s in clear: choose starttls or tls, or leave the user empty for a relay that needs none", s.User)
	}
	if s.From != "" {
		if _, err := ParseAddress("the sender", s.From); err != nil {
			return err
		}
	}
	return nil
}
