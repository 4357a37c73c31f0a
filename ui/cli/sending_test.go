package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"rebill/store/mailer/mailtest"
)

// attachmentsOf reads a message back: its To and Subject headers and its
// attachments' bytes by file name.
func attachmentsOf(t *testing.T, data []byte) (to, subject string, files map[string][]byte) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	mr := multipart.NewReader(msg.Body, params["boundary"])
	files = map[string][]byte{}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if p.FileName() != "" {
			raw, _ := io.ReadAll(p)
			body, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(raw)))
			if err != nil {
				t.Fatal(err)
			}
			files[p.FileName()] = body
		}
	}
	return msg.Header.Get("To"), msg.Header.Get("Subject"), files
}

// exportedSHA is the SHA-256 the audit log recorded for the last export
// of a document in a format: an attachment sent must be that document.
func exportedSHA(t *testing.T, db, number, format string) string {
	t.Helper()
	var entries []struct {
		Action string          `json:"action"`
		After  json.RawMessage `json:"after"`
	}
	ok(t, db, &entries, "audit", "list", "--invoice", number)
	sha := ""
	for _, e := range entries {
		var ex struct {
			Format string `json:"format"`
			SHA256 string `json:"sha256"`
		}
		if e.Action == "export" && json.Unmarshal(e.After, &ex) == nil && ex.Format == format {
			sha = ex.SHA256
		}
	}
	return sha
}

// sentAsExported checks a message's attachments: one per file name the
// customer's e-invoice choice asks for, each the document the audit log
// recorded in that format.
func sentAsExported(t *testing.T, db, number string, files map[string][]byte, want map[string]string) {
	t.Helper()
	if len(files) != len(want) {
		t.Errorf("%s: attachments %d, want %v", number, len(files), want)
	}
	for name, format := range want {
		sum := sha256.Sum256(files[name])
		if files[name] == nil || hex.EncodeToString(sum[:]) != exportedSHA(t, db, number, format) {
			t.Errorf("%s: attachment %s (%d bytes) is not its %s export", number, name, len(files[name]), format)
		}
	}
}

// Sending the sample's September: ACME's invoice as an .eml file, then
// the month by SMTP to a server started here (no network), which skips
// ACME's; each message to the customer's billing address with the PDF
// the audit log recorded.
func TestSendCommands(t *testing.T) {
	db := invoicesDB(t)
	var any1 any
	ok(t, db, &any1, "invoices", "generate", "--period", "2026-09", "--all", "--credits", "--tax", "--marketplace")
	ok(t, db, &any1, "invoices", "approve", "--all", "--period", "2026-09")
	var invs []invoiceJSON
	ok(t, db, &invs, "invoices", "list", "--period", "2026-09")
	number := map[string]string{}
	for _, inv := range invs {
		number[inv.CustomerID] = *inv.Number
	}

	fails(t, db, 1, "no SMTP server is configured: write the message as a file with --eml FILE", "invoices", "send", number["ACME"])

	eml := filepath.Join(t.TempDir(), "acme.eml")
	out, errs, code := cli(t, db, "invoices", "send", number["ACME"], "--eml", eml)
	if code != 0 || !strings.Contains(out, "to ap@acme-retail.example") {
		t.Fatalf("send --eml: %d %q %q", code, out, errs)
	}
	data, err := os.ReadFile(eml)
	if err != nil {
		t.Fatal(err)
	}
	// ACME wants Peppol UBL: the PDF and the XML.
	to, subject, files := attachmentsOf(t, data)
	if to != `"Acme Retail Ltd" <ap@acme-retail.example>` || subject != "Invoice "+number["ACME"]+" from Nimbus Cloud Partners Ltd" {
		t.Errorf("the .eml: to %q subject %q", to, subject)
	}
	sentAsExported(t, db, number["ACME"], files, map[string]string{number["ACME"] + ".pdf": "pdf", number["ACME"] + ".xml": "ubl"})
	var shown struct {
		Sent []struct {
			To  string `json:"to"`
			Via string `json:"via"`
			At  string `json:"at"`
		} `json:"sent"`
	}
	ok(t, db, &shown, "invoices", "show", number["ACME"])
	if len(shown.Sent) != 1 || shown.Sent[0].To != "ap@acme-retail.example" || shown.Sent[0].Via != "eml" || shown.Sent[0].At != "2026-10-05T09:30:00Z" {
		t.Errorf("recorded sending %+v", shown.Sent)
	}

	srv := mailtest.Start(t)
	var set any
	ok(t, db, &set, "smtp", "set", "--host", srv.Host, "--port", strconv.Itoa(srv.Port), "--tls", "none")
	fails(t, db, 1, "would send the password of me in clear", "smtp", "set", "--host", srv.Host, "--tls", "none", "--user", "me")
	ok(t, db, &set, "smtp", "test")
	var month []struct {
		Number  string `json:"number"`
		Skipped string `json:"skipped"`
		Error   string `json:"error"`
	}
	ok(t, db, &month, "invoices", "send", "--month", "2026-09")
	if len(month) != len(invs) {
		t.Fatalf("send --month: %+v", month)
	}
	got := srv.Messages()
	if len(got) != len(invs)-1 {
		t.Fatalf("the server got %d messages, want %d (ACME's was sent as a file)", len(got), len(invs)-1)
	}
	emails := map[string]string{"CONTOSO": "factures@contoso.example", "FABRIKAM": "rechnung@fabrikam.example",
		"GLOBEX": "payables@globex.example", "INITECH": "accounts@initech.example", "UMBRELLA": "billing@umbrella.example"}
	// CONTOSO wants Factur-X, which is its PDF; FABRIKAM XRechnung beside
	// the PDF; the others the PDF alone.
	einv := map[string]string{"CONTOSO": "facturx", "FABRIKAM": "xrechnung"}
	for _, m := range got {
		to, subject, files := attachmentsOf(t, m.Data)
		var cust, num string
		for c, n := range number {
			if _, ok := files[n+".pdf"]; ok {
				cust, num = c, n
			}
		}
		if cust == "" || len(m.To) != 1 || m.To[0] != emails[cust] || !strings.Contains(to, emails[cust]) ||
			subject != "Invoice "+num+" from Nimbus Cloud Partners Ltd" {
			t.Errorf("message to %v (%q), subject %q, attachments of %q", m.To, to, subject, num)
			continue
		}
		want := map[string]string{num + ".pdf": "pdf"}
		switch einv[cust] {
		case "facturx":
			want[num+".pdf"] = "facturx"
		case "xrechnung":
			want[num+".xml"] = "xrechnung"
		}
		sentAsExported(t, db, num, files, want)
	}
	for _, s := range month {
		if (s.Number == number["ACME"]) != (s.Skipped != "") || s.Error != "" {
			t.Errorf("%+v", s)
		}
	}
}

// TestSMTPSetChangesOnlyWhatIsGiven: smtp set changes the settings given
// and keeps the others, so that changing the sender (what a refusal to
// send advises) does not switch SMTP off; --host ” does, and with SMTP
// off a sender alone is refused, saying where the .eml files' sender
// comes from.
func TestSMTPSetChangesOnlyWhatIsGiven(t *testing.T) {
	db := tempDB(t)
	type shown struct {
		SMTP struct {
			Host, User, TLS, From string
			Port                  int
		} `json:"smtp"`
	}
	show := func() string {
		var s shown
		ok(t, db, &s, "smtp", "show")
		m := s.SMTP
		return fmt.Sprintf("%s:%d %s user %q from %q", m.Host, m.Port, m.TLS, m.User, m.From)
	}
	fails(t, db, 1, "SMTP is off: give the server with --host HOST", "smtp", "set", "--from", "billing@nimbus.example")
	if got := show(); got != `:0  user "" from ""` {
		t.Errorf("a refused set saved %s", got)
	}
	var set any
	ok(t, db, &set, "smtp", "set", "--host", "mail.nimbus.example", "--user", "billing")
	for _, step := range []struct {
		args []string
		want string
	}{
		{nil, `mail.nimbus.example:587 starttls user "billing" from ""`},
		{[]string{"--from", "invoices@nimbus.example"}, `mail.nimbus.example:587 starttls user "billing" from "invoices@nimbus.example"`},
		// Another mode takes its usual port unless one is given.
		{[]string{"--tls", "tls"}, `mail.nimbus.example:465 tls user "billing" from "invoices@nimbus.example"`},
		{[]string{"--port", "2465"}, `mail.nimbus.example:2465 tls user "billing" from "invoices@nimbus.example"`},
		{[]string{"--user", ""}, `mail.nimbus.example:2465 tls user "" from "invoices@nimbus.example"`},
		{[]string{"--host", ""}, `:0  user "" from ""`},
	} {
		if step.args != nil {
			ok(t, db, &set, append([]string{"smtp", "set"}, step.args...)...)
		}
		if got := show(); got != step.want {
			t.Errorf("after smtp set %q: %s, want %s", step.args, got, step.want)
		}
	}
}
