package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"rebill/engine/access"
	"rebill/store"
	"rebill/ui/api"
	"rebill/ui/view"
)

// The billing API from the command line: `rebill serve` runs it without a
// window (the window runs the same server when Settings > Billing API is
// on), `rebill api-key` manages its keys as Settings does.

// interrupted is what stops `rebill serve`: Ctrl+C or SIGTERM. Tests
// replace it with a context they cancel.
var interrupted = func() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// serveDoc is what serve --json prints once it listens.
type serveDoc struct {
	URL      string `json:"url"`
	Address  string `json:"address"`
	Loopback bool   `json:"loopback"`
	Docs     string `json:"docs"`
}

// runServe serves the billing API until interrupted. It holds the
// database like any command, so a window or another command on the same
// database is refused meanwhile, and it is refused while one runs.
func runServe(e *env, args []string) error {
	fs, asJSON := newFlags(e, "serve", "serve [--addr 127.0.0.1:8787] [--json]")
	addr := fs.String("addr", "", "address and port to listen on (default: those of Settings > Billing API, else 127.0.0.1:8787); another address than 127.0.0.1 lets other computers connect")
	if err := noPositional(fs, args, "give the address with --addr HOST:PORT"); err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		if *addr == "" {
			s, err := db.APISettings()
			if err != nil {
				return err
			}
			*addr = s.Addr()
		}
		ctx, stop := interrupted()
		defer stop()
		run, err := api.Listen(*addr, api.New(db, e.clock, e.stderr))
		if err != nil {
			return err
		}
		doc := serveDoc{URL: run.URL(), Address: run.Addr(), Loopback: run.Loopback(), Docs: run.URL() + "/docs"}
		if *asJSON {
			if err := e.printJSON(doc); err != nil {
				run.Close()
				return err
			}
		} else {
			fmt.Fprintf(e.stdout, "Serving the billing API of %s at %s (documentation: %s). Stop with Ctrl+C.\n", db.Path(), doc.URL, doc.Docs)
		}
		if !doc.Loopback {
			fmt.Fprintf(e.stderr, "rebill serve: %s can be reached from other computers; every request still needs an API key. Use --addr 127.0.0.1:PORT for this computer only.\n", doc.Address)
		}
		if keys, err := db.APIKeys(); err == nil && !anyActive(keys) {
			fmt.Fprintln(e.stderr, "rebill serve: there is no API key yet, so every request is refused: create one with rebill api-key create --name NAME [--write].")
		}
		select {
		case <-ctx.Done():
			return run.Close()
		case err := <-run.Done():
			return err
		}
	})
}

func anyActive(keys []access.Key) bool {
	for _, k := range keys {
		if k.Active() {
			return true
		}
	}
	return false
}

func apiKeyVerbs() []subcommand {
	return []subcommand{
		{"create", "create --name NAME [--write] [--json]   (prints the key once)", runAPIKeyCreate},
		{"list", "list [--json]", listing[keyDoc]{
			load: func(db *store.DB) ([]keyDoc, error) {
				keys, err := db.APIKeys()
				docs := make([]keyDoc, 0, len(keys))
				for _, k := range keys {
					docs = append(docs, keyDocOf(k))
				}
				return docs, err
			},
			empty:  "No API keys. Create one with rebill api-key create --name NAME [--write].",
			header: "ID\tNAME\tSCOPE\tKEY\tCREATED\tLAST USED\tSTATE",
			row: func(k keyDoc) []string {
				return []string{strconv.FormatUint(k.ID, 10), k.Name, string(k.Scope), k.Hint + "…", k.Created.Format(time.DateOnly),
					dayOrNever(k.LastUsed), keyState(k)}
			},
		}.run},
		{"revoke", "revoke ID [--json]", runAPIKeyRevoke},
	}
}

func runAPIKey(e *env, args []string) error {
	return dispatch(e, "api-key", apiKeyVerbs(), args)
}

// keyDoc is an API key as the CLI prints it: never its hash.
type keyDoc struct {
	ID       uint64       `json:"id"`
	Name     string       `json:"name"`
	Scope    access.Scope `json:"scope"`
	Hint     string       `json:"hint"`
	Created  time.Time    `json:"created"`
	LastUsed *time.Time   `json:"last_used"`
	Revoked  *time.Time   `json:"revoked"`
}

func keyDocOf(k access.Key) keyDoc {
	d := keyDoc{ID: k.ID, Name: k.Name, Scope: k.Scope, Hint: k.Hint, Created: k.Created}
	if !k.LastUsed.IsZero() {
		d.LastUsed = &k.LastUsed
	}
	if !k.Revoked.IsZero() {
		d.Revoked = &k.Revoked
	}
	return d
}

func dayOrNever(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return view.Moment(*t)
}

func keyState(k keyDoc) string {
	if k.Revoked == nil {
		return "active"
	}
	return "revoked " + k.Revoked.Format(time.DateOnly)
}

// createdKeyDoc is what create --json prints: the key, this once.
type createdKeyDoc struct {
	Key string `json:"key"`
	keyDoc
}

func runAPIKeyCreate(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	name := fs.String("name", "", "who uses the key, e.g. \"PSA sync\" (required)")
	write := fs.Bool("write", false, "a read-write key: it also sees drafts, and approves, closes, voids and credits invoices")
	if err := noPositional(fs, args, "name the key with --name"); err != nil {
		return err
	}
	if *name == "" {
		return errors.New("--name is required: say who uses the key, e.g. --name \"PSA sync\"")
	}
	scope := access.Read
	if *write {
		scope = access.ReadWrite
	}
	return e.withDB(func(db *store.DB) error {
		k, secret, err := db.CreateAPIKey(*name, scope, e.now())
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(createdKeyDoc{Key: secret, keyDoc: keyDocOf(k)})
		}
		what := "read-only: it never sees drafts"
		if *write {
			what = "read-write: it also approves, closes, voids and credits invoices"
		}
		fmt.Fprintf(e.stdout, "Created API key %d (%s), %s. The key, shown only this once:\n\n  %s\n\nSend it as the header Authorization: Bearer KEY. Revoke it with rebill api-key revoke %d.\n", k.ID, k.Name, what, secret, k.ID)
		return nil
	})
}

func runAPIKeyRevoke(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	arg, err := parseOne(fs, args, "key id")
	if err != nil {
		return err
	}
	id, err := strconv.ParseUint(arg, 10, 64)
	if err != nil {
		return fmt.Errorf("%q is not a key id: rebill api-key list shows the ids", arg)
	}
	return e.withDB(func(db *store.DB) error {
		k, err := db.RevokeAPIKey(id, e.now())
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(keyDocOf(k))
		}
		fmt.Fprintf(e.stdout, "Revoked API key %d (%s): requests with it are refused from now on.\n", k.ID, k.Name)
		return nil
	})
}
