package cli

import (
	"errors"
	"flag"
	"fmt"

	"rebill/engine/document"
	"rebill/engine/invoice"
	"rebill/store"
	"rebill/ui/view"
)

// The check and audit head commands: the database's integrity as
// store.Check and the audit log's verified end report them.

func runCheck(e *env, args []string) error {
	fs, asJSON := newFlags(e, "check", "check [--json]")
	if err := noPositional(fs, args, ""); err != nil {
		return err
	}
	db, err := e.openExisting("there is nothing to check")
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := db.Check()
	if err != nil {
		return err
	}
	if *asJSON {
		if err := e.printJSON(rep); err != nil {
			return err
		}
	} else {
		printCheck(e, db.Path(), rep)
	}
	if !rep.OK() {
		return fmt.Errorf("%s in %s", problems(len(rep.Findings)), db.Path())
	}
	return nil
}

// printCheck writes each finding, or what was found sound.
func printCheck(e *env, path string, rep store.CheckReport) {
	if rep.OK() {
		fmt.Fprintf(e.stdout, "No problems found in %s.\nChecked %s.\n", path, rep.Checked.Summary())
		if h := document.AuditText(&rep.Checked.AuditHead); h != "" {
			fmt.Fprintf(e.stdout, "The audit log ends at: %s (keep this line outside the database).\n", h)
		}
		return
	}
	printFindings(e, path, rep.Findings)
	fmt.Fprintf(e.stdout, "\nChecked %s.\n", rep.Checked.Summary())
}

// printFindings writes each finding: what, where, what to do.
func printFindings(e *env, path string, fs []store.Finding) {
	fmt.Fprintf(e.stdout, "%s found in %s:\n", capitalised(problems(len(fs))), path)
	for i, f := range fs {
		fmt.Fprintf(e.stdout, "\n%d. [%s] %s\n   %s.\n   What to do: %s.\n", i+1, f.Area, f.Subject, f.Problem, f.Advice)
	}
}

func problems(n int) string { return view.Plural(n, "problem", "problems") }

func capitalised(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// auditHeadDoc is the JSON of audit head.
type auditHeadDoc struct {
	Seq  uint64 `json:"seq"`
	Hash string `json:"hash"`
}

// runAuditHead prints the audit log's end once the whole chain verifies:
// the value to keep outside the database (written down, sent, or as the
// exported PDFs and workbooks print it), so that a log rewritten
// consistently later still shows.
func runAuditHead(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	if err := noPositional(fs, args, ""); err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		head, err := db.VerifyAudit()
		var chain *invoice.ChainError
		if errors.As(err, &chain) {
			return fmt.Errorf("the invoice audit log does not verify (%w), so its end cannot be vouched for: run rebill check, and restore the database from a backup", err)
		}
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(auditHeadDoc{Seq: head.Seq, Hash: head.Hash})
		}
		if head.Seq == 0 {
			fmt.Fprintln(e.stdout, "The invoice audit log is empty.")
			return nil
		}
		fmt.Fprintln(e.stdout, document.AuditText(&head))
		return nil
	})
}
