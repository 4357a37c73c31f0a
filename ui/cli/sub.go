package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"rebill/store"
	"rebill/ui/view"
	"strings"
	"text/tabwriter"
	"time"

	"rebill/engine/customer"
)

// subcommand is one verb of a command with verbs (customers, credits,
// profile, accounts). run gets its flag set, with --json declared and the
// usage line set, to add its own flags to and parse.
type subcommand struct {
	name  string
	usage string // after "rebill COMMAND "
	run   func(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error
}

// dispatch runs the verb named by args[0], or explains the verbs.
func dispatch(e *env, command string, subs []subcommand, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		w := e.stderr
		if len(args) > 0 {
			w = e.stdout
		}
		subUsage(w, command, subs)
		if len(args) == 0 {
			return exitError{2}
		}
		return nil
	}
	for _, s := range subs {
		if s.name == args[0] {
			fs, asJSON := newFlags(e, command+" "+s.name, command+" "+s.usage)
			return s.run(e, fs, asJSON, args[1:])
		}
	}
	names := make([]string, len(subs))
	for i, s := range subs {
		names[i] = s.name
	}
	return fmt.Errorf("unknown subcommand %q: use one of %s (rebill %s help)", args[0], strings.Join(names, ", "), command)
}

func subUsage(w io.Writer, command string, subs []subcommand) {
	fmt.Fprintf(w, "Usage:\n")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, s := range subs {
		fmt.Fprintf(tw, "  rebill %s %s\n", command, s.usage)
	}
	tw.Flush()
}

// now is the time a command runs, from the clock Run was given: the store
// stamps changes with it; rules never read a clock themselves.
func (e *env) now() time.Time { return e.clock() }

// thisMonth is the current YYYY-MM month, the default of --period where a
// command looks at credit or ownership "now".
func (e *env) thisMonth() string { return customer.MonthOf(e.now()) }

// onePositional checks that a verb got exactly one positional argument.
// parseOne parses flags and the single positional argument a command takes.
func parseOne(fs *flag.FlagSet, args []string, what string) (string, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return "", err
	}
	return onePositional(pos, what)
}

// noPositional parses the flags of a command that takes every value as a
// flag, refusing a stray argument rather than ignoring it; hint, when
// given, says which flag the argument was meant for.
func noPositional(fs *flag.FlagSet, args []string, hint string) error {
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return nil
	}
	if hint == "" {
		return fmt.Errorf("unexpected argument %q", pos[0])
	}
	return fmt.Errorf("unexpected argument %q: %s", pos[0], hint)
}

func onePositional(pos []string, what string) (string, error) {
	if len(pos) != 1 {
		if len(pos) == 0 {
			return "", fmt.Errorf("expected one %s, got none", what)
		}
		return "", fmt.Errorf("expected one %s, got %s: %s", what, view.Plural(len(pos), "argument", "arguments"), strings.Join(pos, " "))
	}
	return pos[0], nil
}

// checkMonthFlag validates an optional YYYY-MM flag value.
func checkMonthFlag(flagName, v string) error {
	if v == "" {
		return nil
	}
	return customer.CheckMonth("--"+flagName, v)
}

// writeFileAtomic writes a file through a temporary file in the same
// folder, so that an export never leaves half a file behind.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	f, commit, abort, err := createAtomic(path)
	if err != nil {
		return err
	}
	defer abort()
	if err := write(f); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return commit()
}

// createAtomic opens a temporary file in path's folder: commit closes it
// and moves it to path, abort removes it unless it was committed.
func createAtomic(path string) (f *os.File, commit func() error, abort func(), err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil, nil, fmt.Errorf("cannot write %s: the folder %s does not exist", path, dir)
	case errors.Is(err, fs.ErrPermission):
		return nil, nil, nil, fmt.Errorf("cannot write %s: no permission to write in the folder %s", path, dir)
	case err != nil:
		return nil, nil, nil, fmt.Errorf("cannot write %s: %w", path, err)
	}
	done := false
	commit = func() error {
		// A temporary file is private (0600); the export is a file like
		// any other, readable as the one it replaces was, else 0644.
		mode := os.FileMode(0o644)
		if st, err := os.Stat(path); err == nil {
			mode = st.Mode().Perm()
		}
		if err := tmp.Chmod(mode); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		if err := tmp.Close(); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		if err := os.Rename(tmp.Name(), path); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		done = true
		return nil
	}
	abort = func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}
	return tmp, commit, abort, nil
}

// importFailure is the JSON of a CSV import refused because of bad rows.
type importFailure struct {
	File   string              `json:"file"`
	Status string              `json:"status"`
	Errors []customer.RowError `json:"errors"`
}

// reportImportError prints the bad rows of a refused CSV import as JSON
// (with --json) and returns the error for stderr.
func (e *env) reportImportError(asJSON bool, file string, err error) error {
	var rows customer.RowErrors
	if asJSON && errors.As(err, &rows) {
		if perr := e.printJSON(importFailure{File: file, Status: "failed", Errors: rows}); perr != nil {
			return perr
		}
	}
	return err
}

// listing is a command that prints every stored value of one kind: as a
// JSON array, or as a table with a hint when there is none yet.
type listing[T any] struct {
	load   func(*store.DB) ([]T, error)
	empty  string // printed when there is nothing, saying how to add some
	header string // tab-separated column titles
	row    func(T) []string
}

func (l listing[T]) run(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	if _, err := parse(fs, args); err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		list, err := l.load(db)
		if err != nil {
			return err
		}
		if *asJSON {
			if list == nil {
				list = []T{}
			}
			return e.printJSON(list)
		}
		if len(list) == 0 {
			fmt.Fprintln(e.stdout, l.empty)
			return nil
		}
		rows := make([][]string, 0, len(list))
		for _, v := range list {
			rows = append(rows, l.row(v))
		}
		e.table(l.header, rows)
		return nil
	})
}

// showing is a command that loads one stored value, named by its single
// argument (or by none), and prints it.
type showing[T any] struct {
	what  string // what the argument names, "" when the command takes none
	load  func(db *store.DB, arg string) (T, error)
	print func(e *env, v T, asJSON bool) error
}

func (c showing[T]) run(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	arg := ""
	if c.what != "" {
		a, err := parseOne(fs, args, c.what)
		if err != nil {
			return err
		}
		arg = a
	} else if _, err := parse(fs, args); err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		v, err := c.load(db, arg)
		if err != nil {
			return err
		}
		return c.print(e, v, *asJSON)
	})
}
