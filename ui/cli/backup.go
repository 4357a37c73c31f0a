package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"

	"rebill/store"
	"rebill/ui/view"
)

// The backup, restore and backups commands: store.Backup, PrepareRestore
// with Restore, and the automatic backups' folder and setting.

func runBackup(e *env, args []string) error {
	fs, asJSON := newFlags(e, "backup", "backup FILE [--overwrite] [--json]")
	overwrite := fs.Bool("overwrite", false, "replace FILE if it exists")
	file, err := parseOne(fs, args, "the file to write the backup to")
	if err != nil {
		return err
	}
	db, err := e.openExisting("there is nothing to back up")
	if errors.Is(err, store.ErrInUse) {
		return fmt.Errorf("%w; while the window is open, back up from its Settings > Database (Backup…), which copies the database as it runs", err)
	}
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := db.Backup(file, *overwrite)
	if errors.Is(err, store.ErrExists) {
		return fmt.Errorf("%s already exists: name another file, or add --overwrite to replace it", file)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return e.printJSON(res)
	}
	fmt.Fprintf(e.stdout, "Backed up %s to %s (%s bytes, schema %d).\nRestore it with: rebill restore %s\n", db.Path(), res.File, strconv.FormatInt(res.Bytes, 10), res.Schema, res.File)
	return nil
}

// runRestore checks the backup in a copy beside the database, says what
// it would replace, and replaces only with --yes when the database holds
// anything.
func runRestore(e *env, args []string) error {
	fs, asJSON := newFlags(e, "restore", "restore FILE [--yes] [--json]")
	yes := fs.Bool("yes", false, "replace a database that holds data (it is kept in the backups folder)")
	file, err := parseOne(fs, args, "the backup file to restore")
	if err != nil {
		return err
	}
	db, err := e.open()
	if errors.Is(err, store.ErrInUse) {
		return fmt.Errorf("%w; nothing was replaced: while the window is open, restore from its Settings > Database (Restore…)", err)
	}
	damaged := errors.Is(err, store.ErrDamagedFile)
	if err != nil && !damaged {
		return err
	}
	if db != nil {
		defer db.Close()
	}
	c, err := store.PrepareRestore(e.dbPath, file)
	if err != nil {
		return err
	}
	var res store.RestoreResult
	if damaged {
		if !*yes {
			c.Discard()
			return fmt.Errorf("the database %s is damaged; restoring %s (%s, checked: no problems found) replaces it and keeps the damaged file in %s: run again with --yes to restore",
				e.dbPath, file, c.Contents.Summary(), filepath.Join(filepath.Dir(e.dbPath), "backups"))
		}
		res, err = store.RestoreOverDamaged(e.dbPath, c, e.now())
	} else {
		current, err := db.Contents()
		if err != nil {
			c.Discard()
			return err
		}
		if !current.Empty() && !*yes {
			c.Discard()
			return fmt.Errorf("the database %s holds %s; restoring %s (%s, checked: no problems found) replaces it, and keeps it in %s: run again with --yes to restore, or back it up first with rebill backup FILE",
				db.Path(), current.Summary(), file, c.Contents.Summary(), db.BackupDir())
		}
		res, err = db.Restore(c, e.now())
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return e.printJSON(res)
	}
	fmt.Fprintf(e.stdout, "Restored %s into %s: it holds %s, and checked with no problems.\n", res.From, res.Database, res.Restored.Summary())
	if res.Migrated {
		fmt.Fprintf(e.stdout, "The backup was written by an earlier Rebill (schema %d) and was upgraded to schema %d; the backup file itself is unchanged.\n", res.Schema, store.SchemaVersion())
	}
	if res.KeptAs != "" {
		what := "The database it replaced (holding " + res.Replaced.Summary() + ")"
		switch {
		case damaged:
			what = "The damaged database it replaced"
		case res.Replaced.Empty():
			what = "The empty database it replaced"
		}
		fmt.Fprintf(e.stdout, "%s is kept as %s.\n", what, res.KeptAs)
	}
	return nil
}

// backupsDoc is the JSON of the backups command.
type backupsDoc struct {
	Folder  string             `json:"folder"`
	Keep    int                `json:"keep"`
	Backups []store.AutoBackup `json:"backups"`
}

// runBackups lists the backups folder and shows or sets how many
// automatic backups are kept.
func runBackups(e *env, args []string) error {
	fs, asJSON := newFlags(e, "backups", "backups [--keep N] [--json]")
	keep := fs.Int("keep", -1, "how many automatic backups to keep (0 turns them off)")
	if err := noPositional(fs, args, "rebill backups lists them and takes no argument; --keep N sets how many are kept"); err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		s, err := db.BackupSettings()
		if err != nil {
			return err
		}
		if fs.Lookup("keep").Value.String() != "-1" {
			if s, err = db.SetKeepBackups(*keep, e.now()); err != nil {
				return err
			}
		}
		bs, err := db.ListBackups()
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(backupsDoc{Folder: db.BackupDir(), Keep: s.Keep, Backups: bs})
		}
		if s.Keep == 0 {
			fmt.Fprintln(e.stdout, "Automatic backups are off (rebill backups --keep 10 turns them on).")
		} else {
			fmt.Fprintf(e.stdout, "An automatic backup is kept from before each import and each approval that changed something; the newest %d are kept.\n", s.Keep)
		}
		fmt.Fprintf(e.stdout, "Folder: %s\n", db.BackupDir())
		if len(bs) == 0 {
			fmt.Fprintln(e.stdout, "No backups yet.")
			return nil
		}
		rows := make([][]string, len(bs))
		for i, b := range bs {
			rows[i] = []string{view.Moment(b.Taken), "before " + b.Trigger, view.ByteSize(b.Bytes), filepath.Base(b.File)}
		}
		e.table("TAKEN\tTRIGGER\tSIZE\tFILE", rows)
		return nil
	})
}
