package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
	bolt "go.etcd.io/bbolt"

	"rebill/store"
)

// TestCheckFromSettings: Settings checks the database on request; after a
// byte of a stored row block flips in the file, it lists the damaged
// delivery with what to do.
func TestCheckFromSettings(t *testing.T) {
	h := newHarness(t)
	s := h.imports()
	s.addPaths([]string{writeFile(t, t.TempDir(), "september.csv", september)})
	test.Tap(s.importBtn)
	h.state.show("Settings")
	check := findButton(t, h.win.Content(), "Check the database")
	test.Tap(check)
	if !h.shows("No problems found. Checked the file's structure; 1 delivery (1 stored row set, 1 row block, 2 rows)") {
		t.Errorf("after checking a sound database: %q", h.texts())
	}

	// Behind the window's back, a byte flips on disk.
	path := h.db.Path()
	h.db.Close()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		slices := tx.Bucket([]byte("slices"))
		k, _ := slices.Cursor().First()
		rows := slices.Bucket(k).Bucket([]byte("rows"))
		bk, v := rows.Cursor().First()
		v = append([]byte(nil), v...)
		v[len(v)/2] ^= 0x10
		return rows.Put(bk, v)
	})
	b.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h.state.db = db

	test.Tap(check)
	for _, want := range []string{
		"1 problem found.",
		"AWS payer 111122223333 for 2024-09 (delivery 1, import 1, file ",
		"Its row block 0 is damaged: its checksum does not match its bytes.",
		"What to do: import that file again to replace its rows, or restore the database from a backup.",
	} {
		if !h.shows(want) {
			t.Errorf("no %q in %q", want, h.texts())
		}
	}
	if check.Disabled() {
		t.Error("the button stays disabled after the check")
	}
}
