package ui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/store"
	"rebill/ui/view"
)

// backupPanel is Backup…, Restore… and the automatic backups' count in
// Settings > Database: the same use cases as rebill backup, rebill
// restore and rebill backups --keep. Restore checks the backup in a copy
// first, says what it would replace, and asks before replacing.
type backupPanel struct {
	state *appState

	backup   *widget.Button
	restore  *widget.Button
	status   *widget.Label
	keep     *widget.Entry
	keepF    *formField
	saveKeep *widget.Button
	// confirm is the open "Restore this backup?" question, if any.
	confirm dialog.Dialog
	content fyne.CanvasObject
}

func newBackupPanel(st *appState) *backupPanel {
	p := &backupPanel{state: st}
	p.backup = widget.NewButtonWithIcon("Backup…", theme.DocumentSaveIcon(), p.onBackup)
	p.restore = widget.NewButtonWithIcon("Restore…", theme.HistoryIcon(), p.onRestore)
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.keep = widget.NewEntry()
	p.keep.OnChanged = func(string) { p.checkKeep() }
	p.saveKeep = widget.NewButton("Keep this many", p.onSaveKeep)
	p.keepF = newFormField("Automatic backups", container.NewBorder(nil, nil, nil, p.saveKeep, p.keep),
		"A copy of the database is kept from before each import and each approval that changed something, in the backups folder beside it ("+st.db.BackupDir()+"); the newest are kept, the oldest removed. 0 turns them off.")
	intro := lowNote("Backup writes a copy of the whole database to a file you choose, while Rebill keeps running. Restore checks a backup fully before it replaces anything, and keeps the database it replaces in the backups folder. The same as rebill backup and rebill restore.")
	p.content = container.NewVBox(intro, container.NewHBox(p.backup, p.restore), p.status, newForm(p.keepF))
	p.loadKeep()
	return p
}

func (p *backupPanel) view() fyne.CanvasObject { return p.content }

func (p *backupPanel) loadKeep() {
	s, err := p.state.db.BackupSettings()
	if err != nil {
		p.keepF.setProblems([]string{err.Error()})
		return
	}
	p.keep.SetText(strconv.Itoa(s.Keep))
	p.checkKeep()
}

// checkKeep shows a problem with the count as it is typed.
func (p *backupPanel) checkKeep() (int, bool) {
	n, err := store.ParseKeepBackups(p.keep.Text)
	if err != nil {
		p.keepF.setProblems([]string{err.Error()})
		p.saveKeep.Disable()
		return 0, false
	}
	p.keepF.setProblems(nil)
	p.saveKeep.Enable()
	return n, true
}

func (p *backupPanel) onSaveKeep() {
	n, ok := p.checkKeep()
	if !ok {
		return
	}
	s, err := p.state.db.SetKeepBackups(n, p.state.now())
	if err != nil {
		p.setStatus(err.Error(), widget.DangerImportance)
		return
	}
	if s.Keep == 0 {
		p.setStatus("Automatic backups are off.", widget.SuccessImportance)
		return
	}
	if s.Keep == 1 {
		p.setStatus("The newest automatic backup is kept.", widget.SuccessImportance)
		return
	}
	p.setStatus(fmt.Sprintf("The newest %d automatic backups are kept.", s.Keep), widget.SuccessImportance)
}

func (p *backupPanel) setStatus(text string, imp widget.Importance) {
	p.status.Importance = imp
	p.status.SetText(sentence(text))
}

// onBackup asks for the folder to write the backup in. A folder, not a
// file: Fyne's save dialog truncates the file it returns, and a file
// picked by mistake could be the database itself. The backup is named
// with the time, and never replaces a file.
func (p *backupPanel) onBackup() {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			p.setStatus(err.Error(), widget.DangerImportance)
			return
		}
		if dir == nil {
			return
		}
		p.backupTo(filepath.Join(dir.Path(), backupName(p.state.now())))
	}, p.state.win)
	d.Resize(dialogSize(p.state.win))
	d.Show()
}

// backupName names a backup the accountant takes by the time it is taken.
func backupName(now time.Time) string {
	return "rebill-backup-" + now.Format("2006-01-02-150405") + ".db"
}

// backupTo writes the backup in the background.
func (p *backupPanel) backupTo(path string) {
	p.backup.Disable()
	p.setStatus("Writing the backup…", widget.MediumImportance)
	p.state.run(func() {
		res, err := p.state.db.Backup(path, false)
		fyne.Do(func() {
			p.backup.Enable()
			if errors.Is(err, store.ErrExists) {
				p.setStatus(path+" already exists and was left as it was: take the backup again in a moment, or choose another folder.", widget.DangerImportance)
				return
			}
			if err != nil {
				p.setStatus(err.Error(), widget.DangerImportance)
				return
			}
			p.setStatus(fmt.Sprintf("Backed up to %s (%s). Restore it with Restore… or rebill restore.", res.File, view.ByteSize(res.Bytes)), widget.SuccessImportance)
		})
	})
}

// onRestore asks which backup to restore, starting in the backups folder.
func (p *backupPanel) onRestore() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			p.setStatus(err.Error(), widget.DangerImportance)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		p.restoreFrom(path)
	}, p.state.win)
	if l, err := storage.ListerForURI(storage.NewFileURI(p.state.db.BackupDir())); err == nil {
		d.SetLocation(l)
	}
	d.SetFilter(storage.NewExtensionFileFilter([]string{".db"}))
	d.Resize(dialogSize(p.state.win))
	d.Show()
}

// restoreFrom checks the backup in the background, then asks.
func (p *backupPanel) restoreFrom(path string) {
	p.restore.Disable()
	p.setStatus("Checking the backup "+path+"…", widget.MediumImportance)
	p.state.run(func() {
		c, err := store.PrepareRestore(p.state.db.Path(), path)
		var current store.Contents
		if err == nil {
			if current, err = p.state.db.Contents(); err != nil {
				c.Discard()
			}
		}
		fyne.Do(func() {
			p.restore.Enable()
			if err != nil {
				p.setStatus("Nothing was restored: "+err.Error(), widget.DangerImportance)
				return
			}
			p.ask(c, current)
		})
	})
}

// ask says what the restore replaces, with what, and restores on yes.
func (p *backupPanel) ask(c *store.Candidate, current store.Contents) {
	text := fmt.Sprintf("The backup %s holds %s, and checked with no problems.\n\nRestoring it replaces the database %s, which holds %s. That database is kept in %s, named with today's time.",
		c.From, c.Contents.Summary(), p.state.db.Path(), current.Summary(), p.state.db.BackupDir())
	if c.Migrated {
		text += fmt.Sprintf("\n\nThe backup was written by an earlier Rebill (schema %d): the restored copy is upgraded; the backup file is not changed.", c.Schema)
	}
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	p.setStatus("", widget.MediumImportance)
	p.confirm = dialog.NewCustomConfirm("Restore this backup?", "Restore", "Cancel", msg, func(yes bool) {
		p.confirm = nil
		if !yes {
			c.Discard()
			p.setStatus("Nothing was restored.", widget.MediumImportance)
			return
		}
		p.restoreNow(c)
	}, p.state.win)
	p.confirm.Resize(fyne.NewSize(min(640, p.state.win.Canvas().Size().Width-40), 320))
	p.confirm.Show()
}

// restoreNow replaces the database and reports what it did.
func (p *backupPanel) restoreNow(c *store.Candidate) {
	p.restore.Disable()
	p.setStatus("Restoring…", widget.MediumImportance)
	p.state.run(func() {
		res, err := p.state.db.Restore(c, p.state.now())
		fyne.Do(func() {
			p.restore.Enable()
			if err != nil {
				p.setStatus("Nothing was restored: "+err.Error(), widget.DangerImportance)
				return
			}
			p.setStatus(fmt.Sprintf("Restored %s: the database now holds %s. The database it replaced (%s) is kept as %s.",
				filepath.Base(res.From), res.Restored.Summary(), res.Replaced.Summary(), res.KeptAs), widget.SuccessImportance)
			p.loadKeep()
			p.state.dataChanged()
		})
	})
}
