package ui

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/access"
	"rebill/ui/api"
)

// freePort returns a loopback port nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func (h *harness) apiPanel() *apiPanel {
	h.t.Cleanup(h.state.api.stop)
	h.state.show("Settings")
	return h.settings().api
}

func TestBillingAPIOnAndOff(t *testing.T) {
	h := newHarness(t)
	p := h.apiPanel()
	if p.enabled.Checked || p.address.Text != "127.0.0.1" || p.port.Text != "8787" || !strings.Contains(p.status.Text, "is off") {
		t.Fatalf("defaults: on %v, %s:%s, %q", p.enabled.Checked, p.address.Text, p.port.Text, p.status.Text)
	}
	port := strconv.Itoa(freePort(t))
	p.enabled.SetChecked(true)
	p.port.SetText(port)
	test.Tap(p.apply)
	url := "http://127.0.0.1:" + port
	if !strings.Contains(p.status.Text, "listens at "+url+", for this computer only") {
		t.Errorf("status %q", p.status.Text)
	}
	if !strings.Contains(h.shell.footer.Text, "Billing API at "+url) || h.shell.footer.Importance == widget.WarningImportance {
		t.Errorf("footer %q (importance %v)", h.shell.footer.Text, h.shell.footer.Importance)
	}
	resp, err := http.Get(url + "/api/v1/customers")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("without a key: %d", resp.StatusCode)
	}
	if s, _ := h.db.APISettings(); !s.Enabled || s.Port != mustAtoi(t, port) {
		t.Errorf("saved %+v", s)
	}

	p.enabled.SetChecked(false)
	test.Tap(p.apply)
	if _, err := http.Get(url + "/openapi.json"); err == nil {
		t.Error("the API still answers once switched off")
	}
	if !strings.Contains(p.status.Text, "is off") || strings.Contains(h.shell.footer.Text, "Billing API") {
		t.Errorf("off: status %q, footer %q", p.status.Text, h.shell.footer.Text)
	}
}

func mustAtoi(t *testing.T, s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBillingAPIOnOtherComputers: an address other than loopback is the
// accountant's explicit choice, and the status bar says so. (The test
// server itself binds loopback: no test listens beyond this computer.)
func TestBillingAPIOnOtherComputers(t *testing.T) {
	h := newHarness(t)
	h.state.api.listen = func(_ string, s *api.Server) (*api.Running, error) { return api.Listen("127.0.0.1:0", s) }
	p := h.apiPanel()
	p.enabled.SetChecked(true)
	p.address.SetText("0.0.0.0")
	test.Tap(p.apply)
	if !strings.Contains(h.shell.footer.Text, "Billing API at http://0.0.0.0:8787, reachable from other computers") ||
		h.shell.footer.Importance != widget.WarningImportance {
		t.Errorf("footer %q (importance %v)", h.shell.footer.Text, h.shell.footer.Importance)
	}
	if !strings.Contains(p.status.Text, "reachable from other computers on your network") {
		t.Errorf("status %q", p.status.Text)
	}
}

func TestBillingAPIRefusals(t *testing.T) {
	h := newHarness(t)
	p := h.apiPanel()
	p.enabled.SetChecked(true)
	p.address.SetText("nas.local")
	if !p.apply.Disabled() || !strings.Contains(p.addressField.problems(), "is not an IP address") {
		t.Errorf("a host name: apply enabled %v, problem %q", !p.apply.Disabled(), p.addressField.problems())
	}
	p.address.SetText("127.0.0.1")
	p.port.SetText("80000")
	if !p.apply.Disabled() || !strings.Contains(p.addressField.problems(), "not between 1 and 65535") {
		t.Errorf("port 80000: problem %q", p.addressField.problems())
	}

	// A port another program holds: the API stays off and both the
	// section and the status bar say why.
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	p.port.SetText(strconv.Itoa(busy.Addr().(*net.TCPAddr).Port))
	test.Tap(p.apply)
	if !strings.Contains(p.status.Text, "cannot listen on "+busy.Addr().String()) || p.status.Importance != widget.DangerImportance {
		t.Errorf("status %q", p.status.Text)
	}
	if !strings.Contains(h.shell.footer.Text, "Billing API off: it could not start") {
		t.Errorf("footer %q", h.shell.footer.Text)
	}
}

// TestBillingAPIStartsWithTheWindow: saved on, the API starts when the
// window opens, and the section shows it.
func TestBillingAPIStartsWithTheWindow(t *testing.T) {
	h := newHarness(t)
	p := h.apiPanel()
	port := freePort(t)
	if _, err := h.db.PutAPISettings(access.Settings{Enabled: true, Port: port}, testNow); err != nil {
		t.Fatal(err)
	}
	h.state.api.startSaved()
	if !strings.Contains(p.status.Text, "listens at http://127.0.0.1:"+strconv.Itoa(port)) {
		t.Errorf("status %q", p.status.Text)
	}
}

func TestBillingAPIKeys(t *testing.T) {
	h := newHarness(t)
	p := h.apiPanel()
	if !h.shows("No keys yet") {
		t.Error("no hint while there is no key")
	}
	test.Tap(p.createKey)
	if !p.keyMake.Disabled() {
		t.Error("Create is enabled without a name")
	}
	test.Type(p.keyName, "PSA sync")
	p.keyWrite.SetChecked(true)
	test.Tap(p.keyMake)
	secret := p.keyShown.Text
	k, err := h.db.Authenticate(secret, testNow)
	if err != nil || k.Name != "PSA sync" || k.Scope != access.ReadWrite {
		t.Fatalf("the key shown %q: %+v %v", secret, k, err)
	}
	if !h.shows("is shown only now") {
		t.Error("the dialog does not say the key is shown once")
	}
	test.Tap(p.keyCopy)
	if got := h.state.app.Clipboard().Content(); got != secret {
		t.Errorf("clipboard %q", got)
	}
	if !h.shows("1  ·  PSA sync  ·  read-write  ·  " + k.Hint + "…") {
		t.Errorf("the key is not listed: %q", h.texts())
	}

	test.Tap(p.revokes[1])
	p.confirm.Confirm()
	if _, err := h.db.Authenticate(secret, testNow); err == nil {
		t.Error("the key still authenticates after Revoke")
	}
	if p.revokes[1] != nil || !h.shows("revoked 2024-11-05") {
		t.Errorf("the revoked key still offers Revoke, or is not shown revoked: %q", h.texts())
	}
}
