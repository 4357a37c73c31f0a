package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"rebill/engine/email"
	"rebill/engine/invoice"
	"rebill/store"
	"rebill/store/mailer"
	"rebill/ui/view"
)

// Sending invoices (rebill invoices send) and the SMTP settings (rebill
// smtp): the store composes, delivers through the mailer and records;
// these parse flags and choose the deliverer.

// passwordEnv is where a session gives the SMTP password when the
// computer has no keyring (a headless Linux, a CI job).
const passwordEnv = "REBILL_SMTP_PASSWORD"

// smtpPassword is the SMTP login's password: the keyring's, else
// $REBILL_SMTP_PASSWORD; a server without a user needs none.
func smtpPassword(s email.Server) (string, error) {
	if s.User == "" {
		return "", nil
	}
	if p, ok := mailer.StoredPassword(s); ok {
		return p, nil
	}
	if p := os.Getenv(passwordEnv); p != "" {
		return p, nil
	}
	return "", fmt.Errorf("no SMTP password for %s@%s: save it in the keyring (rebill smtp set --password-stdin) or, where there is no keyring, give it to this session in $%s", s.User, s.Host, passwordEnv)
}

// smtpDeliverer is the SMTP deliverer of the configured server, or an
// error saying how to send without one.
func smtpDeliverer(db *store.DB) (store.Deliver, error) {
	srv, err := db.SMTPServer()
	if err != nil {
		return nil, err
	}
	if !srv.Configured() {
		return nil, errors.New("no SMTP server is configured: write the message as a file with --eml FILE (or --eml-dir DIR for a month), which your mail program opens and sends, or configure one: rebill smtp set --host HOST --user USER --password-stdin")
	}
	pw, err := smtpPassword(srv)
	if err != nil {
		return nil, err
	}
	return mailer.SMTP{Server: srv, Password: pw}.Deliver, nil
}

func runInvoicesSend(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	eml := fs.String("eml", "", "write the message to this .eml file instead of sending it by SMTP")
	month := fs.String("month", "", "send every issued document of this month not sent yet, YYYY-MM")
	emlDir := fs.String("eml-dir", "", "with --month: write one .eml file per document into this folder instead of sending by SMTP")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case *month == "" && len(pos) != 1:
		return errors.New("name one invoice (rebill invoices send ID|NUMBER) or a month (--month YYYY-MM)")
	case *month != "" && len(pos) > 0:
		return errors.New("give either an invoice or --month, not both")
	case *month != "" && *eml != "":
		return errors.New("--eml writes one message: with --month, use --eml-dir DIR")
	}
	return e.withDB(func(db *store.DB) error {
		if *month != "" {
			return e.sendMonth(db, *month, *emlDir, *asJSON)
		}
		var deliver store.Deliver
		if *eml != "" {
			deliver = mailer.EML{Path: *eml}.Deliver
		} else if deliver, err = smtpDeliverer(db); err != nil {
			return err
		}
		res, err := db.SendInvoice(store.SendRequest{Invoice: pos[0], Deliver: deliver, Now: e.now()})
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(res)
		}
		e.printSent(res.Invoice.Label(), res.Sending, *eml)
		return nil
	})
}

func (e *env) printSent(label string, s invoice.Sending, file string) {
	if s.Via == invoice.SentAsFile {
		fmt.Fprintf(e.stdout, "Wrote %s: %s to %s with %s; open it in your mail program to send it. Recorded on the %s and in the audit log.\n",
			file, capital(label), s.To, strings.Join(s.Attachments, ", "), strings.SplitN(label, " ", 2)[0])
		return
	}
	fmt.Fprintf(e.stdout, "Sent %s to %s with %s at %s. Recorded on the document and in the audit log.\n",
		label, s.To, strings.Join(s.Attachments, ", "), view.Moment(s.At))
}

func (e *env) sendMonth(db *store.DB, month, dir string, asJSON bool) error {
	var deliver func(invoice.Invoice) store.Deliver
	if dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return fmt.Errorf("--eml-dir %s is not a folder: create it first", dir)
		}
		deliver = func(inv invoice.Invoice) store.Deliver {
			return mailer.EML{Path: filepath.Join(dir, inv.Number+".eml")}.Deliver
		}
	} else {
		d, err := smtpDeliverer(db)
		if err != nil {
			return err
		}
		deliver = func(invoice.Invoice) store.Deliver { return d }
	}
	out, err := db.SendMonth(month, deliver, e.now())
	if err != nil {
		return err
	}
	failed := 0
	for _, s := range out {
		if s.Error != "" {
			failed++
		}
	}
	if asJSON {
		if err := e.printJSON(out); err != nil {
			return err
		}
	} else {
		var rows [][]string
		for _, s := range out {
			switch {
			case s.Sent != nil:
				rows = append(rows, []string{s.Number, "sent", s.Sent.To + " (" + s.Sent.Via + ")"})
			case s.Skipped != "":
				rows = append(rows, []string{s.Number, "skipped", s.Skipped})
			default:
				rows = append(rows, []string{s.Number, "FAILED", s.Error})
			}
		}
		if len(rows) == 0 {
			fmt.Fprintf(e.stdout, "No issued documents in %s.\n", month)
		} else {
			e.table("DOCUMENT\tOUTCOME\tDETAIL", rows)
		}
	}
	if failed > 0 {
		fmt.Fprintf(e.stderr, "rebill invoices send: %d of %d could not be sent; fix what each says and run the command again (sent ones are skipped)\n", failed, len(out))
		return exitError{1}
	}
	return nil
}

func smtpVerbs() []subcommand {
	return []subcommand{
		{"set", "set [--host HOST] [--port N] [--tls starttls|tls|none] [--user U] [--from ADDRESS] [--password-stdin] [--json]   (changes the settings given; --host '' switches SMTP off)", runSMTPSet},
		{"show", "show [--json]", runSMTPShow},
		{"test", "test [--json]   (connects and logs in, sends nothing)", runSMTPTest},
	}
}

func runSMTP(e *env, args []string) error { return dispatch(e, "smtp", smtpVerbs(), args) }

func runSMTPSet(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	host := fs.String("host", "", "the SMTP server's host name; empty switches SMTP off (messages are written as .eml files)")
	port := fs.Int("port", 0, "its port (default 587 for starttls, 465 for tls, 25 for none)")
	mode := fs.String("tls", "", "starttls, tls (implicit, port 465) or none (a local relay only); starttls for a new server")
	user := fs.String("user", "", "the login, if the server needs one")
	from := fs.String("from", "", "the sender address (default: the reseller profile's e-mail)")
	pwStdin := fs.Bool("password-stdin", false, "read the password from standard input and keep it in the operating system's keyring")
	if err := noPositional(fs, args, ""); err != nil {
		return err
	}
	// Only the flags given change the saved server: changing the sender
	// must not switch SMTP off.
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	return e.withDB(func(db *store.DB) error {
		srv, err := db.ChangeSMTPServer(func(s *email.Server) error {
			if !s.Configured() && !given["host"] && (given["port"] || given["tls"] || given["user"] || given["from"]) {
				return errors.New("SMTP is off: give the server with --host HOST; without SMTP, invoices are written as .eml files whose sender is the profile's e-mail (rebill profile set email ADDRESS)")
			}
			if given["host"] {
				s.Host = *host
			}
			if given["tls"] {
				s.TLS = *mode
				if !given["port"] {
					s.Port = 0 // the new mode's usual port
				}
			}
			if given["port"] {
				s.Port = *port
			}
			if given["user"] {
				s.User = *user
			}
			if given["from"] {
				s.From = *from
			}
			return nil
		}, e.now())
		if err != nil {
			return err
		}
		kept := ""
		if *pwStdin {
			b, err := io.ReadAll(io.LimitReader(os.Stdin, 4096))
			if err != nil {
				return err
			}
			if err := mailer.SavePassword(srv, strings.TrimRight(string(b), "\r\n")); err != nil {
				kept = fmt.Sprintf("The password was not kept: %v; give it to each session in $%s.", err, passwordEnv)
			} else {
				kept = "The password is in the operating system's keyring (never in the database)."
			}
		}
		if *asJSON {
			return e.printJSON(map[string]any{"smtp": srv, "password": kept})
		}
		e.printSMTP(srv)
		if kept != "" {
			fmt.Fprintln(e.stdout, kept)
		}
		return nil
	})
}

func (e *env) printSMTP(srv email.Server) {
	if !srv.Configured() {
		fmt.Fprintln(e.stdout, "SMTP is off: invoices are written as .eml files (rebill invoices send ID --eml FILE).")
		return
	}
	user := srv.User
	if user == "" {
		user = "(no login)"
	}
	from := srv.From
	if from == "" {
		from = "(the profile's e-mail)"
	}
	fmt.Fprintf(e.stdout, "SMTP server %s port %d, TLS %s, user %s, sender %s.\n", srv.Host, srv.Port, srv.TLS, user, from)
}

func runSMTPShow(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	if err := noPositional(fs, args, ""); err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		srv, err := db.SMTPServer()
		if err != nil {
			return err
		}
		_, stored := mailer.StoredPassword(srv)
		if *asJSON {
			return e.printJSON(map[string]any{"smtp": srv, "password_in_keyring": stored})
		}
		e.printSMTP(srv)
		if srv.User != "" {
			fmt.Fprintf(e.stdout, "Password in the keyring: %v.\n", stored)
		}
		return nil
	})
}

func runSMTPTest(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	if err := noPositional(fs, args, ""); err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		srv, err := db.SMTPServer()
		if err != nil {
			return err
		}
		if !srv.Configured() {
			return errors.New("no SMTP server is configured: rebill smtp set --host HOST ...")
		}
		pw, err := smtpPassword(srv)
		if err != nil {
			return err
		}
		if err := (mailer.SMTP{Server: srv, Password: pw}).Check(); err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(map[string]any{"ok": true, "host": srv.Host, "port": srv.Port})
		}
		fmt.Fprintf(e.stdout, "Connected to %s:%d (TLS %s) and logged in: ready to send.\n", srv.Host, srv.Port, srv.TLS)
		return nil
	})
}
