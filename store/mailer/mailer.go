// Package mailer delivers the messages engine/email composes: through the
// SMTP server configured in Settings (net/smtp; STARTTLS, implicit TLS or
// none), or as an .eml file the accountant's mail program opens and
// sends. It also keeps the SMTP password where it belongs: in the
// operating system's keyring (macOS Keychain, Windows Credential
// Manager, the Secret Service on Linux), never in the database, which is
// copied by every backup. Where there is no keyring, the password is
// asked each session and kept in memory only.
package mailer

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/zalando/go-keyring"

	"rebill/engine/email"
	"rebill/engine/invoice"
)

// SMTP delivers through a server.
type SMTP struct {
	Server   email.Server
	Password string // "" for a server that needs no login
	// TLSConfig overrides the TLS settings (tests trust their own
	// certificate); nil verifies the server's certificate for its host.
	TLSConfig *tls.Config
	Timeout   time.Duration // 0: 30 seconds
}

// Deliver sends the message to its recipient and reports
// invoice.SentBySMTP.
func (s SMTP) Deliver(m email.Message) (string, error) {
	data, err := m.Bytes()
	if err != nil {
		return "", err
	}
	c, err := s.connect()
	if err != nil {
		return "", err
	}
	defer c.Close()
	if err := c.Mail(m.From.Address); err != nil {
		return "", fmt.Errorf("the SMTP server refused the sender %s: %w", m.From.Address, err)
	}
	if err := c.Rcpt(m.To.Address); err != nil {
		return "", fmt.Errorf("the SMTP server refused the recipient %s: %w", m.To.Address, err)
	}
	w, err := c.Data()
	if err != nil {
		return "", err
	}
	if _, err := w.Write(data); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", fmt.Errorf("the SMTP server did not accept the message: %w", err)
	}
	return invoice.SentBySMTP, c.Quit()
}

// Check connects, secures the connection and logs in as a delivery
// would, then leaves without sending anything: Settings' "Test".
func (s SMTP) Check() error {
	c, err := s.connect()
	if err != nil {
		return err
	}
	defer c.Close()
	return c.Quit()
}

// connect opens a session ready for MAIL FROM: connected (TLS from the
// start, or upgraded with STARTTLS as the server's mode says) and logged
// in when there is a user.
func (s SMTP) connect() (*smtp.Client, error) {
	srv := s.Server.Normalize()
	addr := net.JoinHostPort(srv.Host, strconv.Itoa(srv.Port))
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	cfg := s.TLSConfig
	if cfg == nil {
		cfg = &tls.Config{ServerName: srv.Host, MinVersion: tls.VersionTLS12}
	}
	var conn net.Conn
	var err error
	d := &net.Dialer{Timeout: timeout}
	if srv.TLS == email.TLSImplicit {
		conn, err = tls.DialWithDialer(d, "tcp", addr, cfg)
	} else {
		conn, err = d.Dial("tcp", addr)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot reach the SMTP server %s: %w; check the host and port (rebill smtp show)", addr, err)
	}
	conn.SetDeadline(time.Now().Add(timeout))
	c, err := smtp.NewClient(conn, srv.Host)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("the SMTP server %s did not greet: %w", addr, err)
	}
	fail := func(err error) (*smtp.Client, error) { c.Close(); return nil, err }
	if srv.TLS == email.TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return fail(fmt.Errorf("the SMTP server %s offers no STARTTLS: choose TLS mode tls (port 465) or ask its administrator", addr))
		}
		if err := c.StartTLS(cfg); err != nil {
			return fail(fmt.Errorf("STARTTLS with %s failed: %w", addr, err))
		}
	}
	if srv.User != "" {
		if srv.TLS == email.TLSNone {
			return fail(errors.New("refusing to send the SMTP password without TLS: choose starttls or tls"))
		}
		if err := c.Auth(smtp.PlainAuth("", srv.User, s.Password, srv.Host)); err != nil {
			return fail(fmt.Errorf("the SMTP server refused the login of %s: %w; check the user and password (rebill smtp set)", srv.User, err))
		}
	}
	return c, nil
}

// EML writes the message as an .eml file (RFC 5322), which mail programs
// open as a message ready to send; it reports invoice.SentAsFile. The file
// is written beside its final name and moved into place when complete.
type EML struct {
	Path string
}

// Deliver writes the file.
func (e EML) Deliver(m email.Message) (string, error) {
	data, err := m.Bytes()
	if err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(e.Path), ".rebill-*.eml")
	if err != nil {
		return "", fmt.Errorf("writing %s: %w", e.Path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", fmt.Errorf("writing %s: %w", e.Path, err)
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	if err := os.Rename(tmp.Name(), e.Path); err != nil {
		return "", fmt.Errorf("writing %s: %w", e.Path, err)
	}
	return invoice.SentAsFile, nil
}

// keyringService names Rebill's entries in the keyring.
const keyringService = "Rebill SMTP"

// keyringUser is the entry of one login: user at host.
func keyringUser(s email.Server) string { return s.User + "@" + s.Host }

// ErrNoKeyring says the operating system offers no keyring here (a
// Linux without a Secret Service, a headless session): the password is
// asked each session instead.
var ErrNoKeyring = errors.New("this computer offers no keyring to keep the SMTP password")

// SavePassword keeps the login's password in the keyring.
func SavePassword(s email.Server, password string) error {
	if err := keyring.Set(keyringService, keyringUser(s), password); err != nil {
		return fmt.Errorf("%w (%v): Rebill will ask for the password once per session instead", ErrNoKeyring, err)
	}
	return nil
}

// StoredPassword reads the login's password from the keyring; ok is
// false when there is none (or no keyring).
func StoredPassword(s email.Server) (string, bool) {
	p, err := keyring.Get(keyringService, keyringUser(s))
	return p, err == nil
}

// ForgetPassword removes the login's password from the keyring.
func ForgetPassword(s email.Server) {
	_ = keyring.Delete(keyringService, keyringUser(s)) // nothing to forget is fine
}
