package main

import (
	"archive/zip"
	"bytes"
	"debug/pe"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// The Windows zip is built as `make package-windows` builds it, with a
// version and build number chosen here, so that the test also shows the
// Makefile's numbering reaches the program.
const (
	zipVersion = "9.8.7"
	zipBuild   = "42"
)

// wineRunners are where Wine's 64-bit loader is found: Debian's wine64
// package puts it in /usr/lib/wine; /usr/bin/wine picks it for a 64-bit
// program too.
var wineRunners = []string{"/usr/lib/wine/wine64", "wine64", "wine"}

// TestWindowsPackage builds the Windows zip and installer a user
// downloads, checks what Explorer sees of rebill.exe (a GUI program with
// icon, version resource and Windows 10 manifest), installs it under Wine,
// then runs it as a user would from cmd (its output in cmd's console, as
// tested by a console launcher): version, an import of a real
// Parquet CUR, a statement, and an approved invoice exported to PDF, with
// the figures checked.
//
// It needs mingw-w64 and zip to build, Wine to run; without them it skips
// and says what to install (.ci/run installs them).
func TestWindowsPackage(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles Rebill for Windows (minutes at first); skipped with -short")
	}
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skip("builds the Windows package the way `make package-windows` does on linux/amd64")
	}
	for _, tool := range []string{"make", "x86_64-w64-mingw32-gcc", "zip"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed: apt-get install make gcc-mingw-w64-x86-64 zip wine64 to test the Windows package", tool)
		}
	}

	dist := t.TempDir()
	start := time.Now()
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	mk := exec.Command("make", "-s", "package-windows", "GO="+goTool, "DIST="+dist, "VERSION="+zipVersion, "BUILD="+zipBuild)
	if out, err := mk.CombinedOutput(); err != nil {
		t.Fatalf("make package-windows: %v\n%s", err, out)
	}
	t.Logf("make package-windows took %s", time.Since(start).Round(time.Second))

	app := filepath.Join(t.TempDir(), "unpacked")
	unzip(t, filepath.Join(dist, "Rebill-"+zipVersion+"-windows-amd64.zip"), app)
	exe := filepath.Join(app, "Rebill", "rebill.exe")
	for _, name := range []string{"rebill.exe", "README.txt", "LICENSE-DejaVu.txt"} {
		if _, err := os.Stat(filepath.Join(app, "Rebill", name)); err != nil {
			t.Errorf("the zip lacks Rebill/%s: %v", name, err)
		}
	}

	t.Run("exe", func(t *testing.T) { checkExe(t, exe) })
	t.Run("wine", func(t *testing.T) {
		w := newWine(t)
		t.Run("installer", func(t *testing.T) {
			installUnderWine(t, w, filepath.Join(dist, "Rebill-"+zipVersion+"-windows-amd64-setup.exe"))
		})
		runUnderWine(t, w, exe)
	})
}

// installUnderWine runs the installer silently, as an administrator
// deploying it would (setup.exe /S), and the program it installed.
func installUnderWine(t *testing.T, w *wine, setup string) {
	if _, err := os.Stat(setup); err != nil {
		if _, lerr := exec.LookPath("makensis"); lerr != nil {
			t.Skip("makensis is not installed, so make package-windows built no installer: apt-get install nsis")
		}
		t.Fatalf("make package-windows built no installer: %v", err)
	}
	cmd := exec.Command(w.runner, setup, "/S")
	cmd.Env = w.env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the installer: %v\n%s", err, out)
	}
	w.wait(t)
	// Per user, no administrator: %LocalAppData%\Programs\Rebill.
	installed, _ := filepath.Glob(filepath.Join(w.prefix, "drive_c", "users", "*", "AppData", "Local", "Programs", "Rebill", "rebill.exe"))
	if len(installed) != 1 {
		t.Fatalf("the installer put no rebill.exe in %%LocalAppData%%\\Programs\\Rebill: %v", installed)
	}
	menu, _ := filepath.Glob(filepath.Join(w.prefix, "drive_c", "users", "*", "AppData", "Roaming", "Microsoft", "Windows", "Start Menu", "Programs", "Rebill.lnk"))
	if len(menu) != 1 {
		t.Error("the installer made no Start menu entry")
	}
	out, stderr, err := w.run(t, installed[0], "version")
	if err != nil || !strings.HasPrefix(out, "Rebill "+zipVersion+" (build "+zipBuild+", ") {
		t.Errorf("the installed rebill.exe version: %v, printed %q, stderr %q", err, out, stderr)
	}
}

// unzip unpacks a zip as Explorer's "Extract All" does.
func unzip(t *testing.T, zipPath, dir string) {
	t.Helper()
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatalf("the Windows zip: %v", err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if !strings.HasPrefix(p, dir+string(filepath.Separator)) {
			t.Fatalf("the zip holds %q, outside its folder", f.Name)
		}
		if f.FileInfo().IsDir() {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatalf("%s in the zip: %v", f.Name, err)
		}
		if err := os.WriteFile(p, b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// checkExe reads rebill.exe as Windows does: the subsystem decides
// whether a double-click opens a console beside the window, and the
// resources are the icon Explorer shows, the version in Properties >
// Details and the manifest that names Windows 10.
func checkExe(t *testing.T, exe string) {
	f, err := pe.Open(exe)
	if err != nil {
		t.Fatalf("rebill.exe is not a Windows program: %v", err)
	}
	defer f.Close()
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok {
		t.Fatalf("rebill.exe is not a 64-bit program: %T", f.OptionalHeader)
	}
	if oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		t.Errorf("subsystem %d, want %d (GUI): a double-click would open a console beside the window", oh.Subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_GUI)
	}
	sec := f.Section(".rsrc")
	if sec == nil {
		t.Fatal("rebill.exe has no resources: no icon, version or manifest")
	}
	rsrc, err := sec.Data()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ key, want string }{
		{"ProductName", "Rebill"},
		{"FileVersion", zipVersion + "." + zipBuild},
		{"OriginalFilename", "rebill.exe"},
	} {
		if got := versionString(rsrc, tc.key); got != tc.want {
			t.Errorf("the version resource's %s is %q, want %q", tc.key, got, tc.want)
		}
	}
	for _, tc := range []struct{ name, want string }{
		// Windows 10's and 11's id in an application manifest.
		{"Windows 10 compatibility", "{8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a}"},
		{"per-monitor DPI awareness", "permonitorv2"},
		{"run as the user, not elevated", `level="asInvoker"`},
	} {
		if !bytes.Contains(rsrc, []byte(tc.want)) {
			t.Errorf("the manifest lacks the %s (%s)", tc.name, tc.want)
		}
	}
	// An icon group resource (RT_GROUP_ICON) starts its directory with
	// reserved 0, type 1 (icon) and the number of images.
	if !bytes.Contains(rsrc, []byte{0, 0, 1, 0}) {
		t.Error("no icon directory in the resources")
	}
}

// versionString reads the value of key in a version resource: a String
// block holds the key in UTF-16, NUL-terminated and padded with NULs to 4
// bytes, then the value, NUL-terminated.
func versionString(rsrc []byte, key string) string {
	i := bytes.Index(rsrc, utf16le(key+"\x00"))
	if i < 0 {
		return ""
	}
	rest := rsrc[i+2*len(key)+2:]
	for len(rest) >= 2 && rest[0] == 0 && rest[1] == 0 {
		rest = rest[2:]
	}
	var value []uint16
	for len(rest) >= 2 && (rest[0] != 0 || rest[1] != 0) {
		value = append(value, uint16(rest[0])|uint16(rest[1])<<8)
		rest = rest[2:]
	}
	return string(utf16.Decode(value))
}

// utf16le is s as a Windows resource stores it.
func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// prngSource is the stand-in for the bcryptprimitives.dll that Windows
// 10 and 11 have and Debian's Wine 8.0 lacks (Wine has it from 8.13):
// Go's runtime takes its random numbers from its ProcessPrng, and stops at
// start without it. RtlGenRandom (SystemFunction036 of advapi32) is
// Windows' own generator, which Wine has.
const prngSource = `#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buf, ULONG len);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!SystemFunction036(data, n)) return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
`

// consoleSource is a console program that starts the command line it is
// given as cmd starts a window program on Windows: with no standard
// handles, so that what rebill.exe prints reaches the console only if it
// attaches to it (main_windows.go). Run directly, Wine hands a window
// program the Unix streams it was started with, and the attaching would
// go untested. It waits and exits with the program's exit code.
const consoleSource = `#include <windows.h>
int wmain(void) {
	wchar_t *cmd = GetCommandLineW();
	if (*cmd == L'"') {
		for (cmd++; *cmd && *cmd != L'"'; cmd++) {}
		if (*cmd) cmd++;
	} else {
		while (*cmd && *cmd != L' ') cmd++;
	}
	while (*cmd == L' ') cmd++;
	STARTUPINFOW si = {0};
	si.cb = sizeof si;
	si.dwFlags = STARTF_USESTDHANDLES; /* all three NULL */
	PROCESS_INFORMATION pi;
	if (!CreateProcessW(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) return 125;
	WaitForSingleObject(pi.hProcess, INFINITE);
	DWORD code = 125;
	GetExitCodeProcess(pi.hProcess, &code);
	return (int)code;
}
`

// wine is a Wine prefix of the test's own, with the ProcessPrng stand-in
// in its system32: the product is never touched.
type wine struct {
	runner, prefix string
	env            []string
	// console is the console launcher (consoleSource), beside the prefix.
	console string
}

func newWine(t *testing.T) *wine {
	t.Helper()
	w := &wine{}
	for _, r := range wineRunners {
		if p, err := exec.LookPath(r); err == nil {
			w.runner = p
			break
		}
	}
	if w.runner == "" {
		t.Skip("Wine is not installed: apt-get install wine64 to run the Windows package here")
	}
	prefix := filepath.Join(t.TempDir(), "wineprefix")
	w.prefix = prefix
	w.env = append(os.Environ(),
		"WINEPREFIX="+prefix,
		"WINEARCH=win64",
		"WINEDEBUG=-all",
		"WINEDLLOVERRIDES=mscoree,mshtml=", // no offer to install Mono or Gecko
		"DISPLAY=",                         // commands only: no window, no X server needed
	)
	start := time.Now()
	boot := exec.Command(w.runner, "wineboot", "--init")
	boot.Env = w.env
	if out, err := boot.CombinedOutput(); err != nil {
		t.Fatalf("creating the Wine prefix: %v\n%s", err, out)
	}
	w.wait(t)
	t.Logf("Wine prefix made in %s", time.Since(start).Round(time.Second))

	system32 := filepath.Join(prefix, "drive_c", "windows", "system32")
	src := filepath.Join(t.TempDir(), "prng.c")
	if err := os.WriteFile(src, []byte(prngSource), 0o644); err != nil {
		t.Fatal(err)
	}
	cc := exec.Command("x86_64-w64-mingw32-gcc", "-shared", "-O2", "-o", filepath.Join(system32, "bcryptprimitives.dll"), src, "-ladvapi32")
	if out, err := cc.CombinedOutput(); err != nil {
		t.Fatalf("building the ProcessPrng stand-in: %v\n%s", err, out)
	}
	consoleSrc := filepath.Join(filepath.Dir(src), "console.c")
	w.console = filepath.Join(filepath.Dir(src), "console.exe")
	if err := os.WriteFile(consoleSrc, []byte(consoleSource), 0o644); err != nil {
		t.Fatal(err)
	}
	cc = exec.Command("x86_64-w64-mingw32-gcc", "-municode", "-O2", "-o", w.console, consoleSrc)
	if out, err := cc.CombinedOutput(); err != nil {
		t.Fatalf("building the console launcher: %v\n%s", err, out)
	}
	t.Cleanup(func() { w.wait(t) })
	return w
}

// wait lets the prefix's wineserver finish, so that the temporary folder
// can go.
func (w *wine) wait(t *testing.T) {
	cmd := exec.Command("wineserver", "--wait")
	cmd.Env = w.env
	if err := cmd.Run(); err != nil {
		t.Logf("wineserver --wait: %v", err)
	}
}

// run runs rebill.exe with args, from the folder it was unpacked to.
//
// Rebill prints why whenever it fails, so a failure with nothing printed
// is Wine failing to run the program (once in a CI run on a busy
// machine, with Wine's own messages hidden). That is run once more with
// Wine's errors shown, logged either way: a second silent failure, or any
// failure of Rebill's, still fails the test.
func (w *wine) run(t *testing.T, exe string, args ...string) (string, string, error) {
	t.Helper()
	out, errb, err := w.runWith(exe, w.env, args...)
	if err == nil || out != "" || errb != "" {
		return out, errb, err
	}
	t.Logf("rebill.exe %s: %v with nothing printed; running it again with Wine's errors shown", strings.Join(args, " "), err)
	out, errb, err = w.runWith(exe, append(slices.Clip(w.env), "WINEDEBUG=err+all"), args...)
	t.Logf("again: %v\nstderr:\n%s", err, errb)
	return out, errb, err
}

// runWith runs rebill.exe with args under env (the last of a repeated
// variable counts).
func (w *wine) runWith(exe string, env []string, args ...string) (string, string, error) {
	cmd := exec.Command(w.runner, append([]string{exe}, args...)...)
	cmd.Dir = filepath.Dir(exe)
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.String(), errb.String(), err
}

// inConsole runs rebill.exe as typed in cmd and returns what the console
// shows: the launcher (consoleSource) is a console program in a terminal
// of its own (script gives it one) and starts rebill.exe without standard
// handles. It skips where script (util-linux) is missing.
func (w *wine) inConsole(t *testing.T, exe string, args ...string) (string, error) {
	t.Helper()
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script (util-linux) is not installed: rebill.exe is not run from a console")
	}
	line := shellQuote(w.runner) + " " + shellQuote(w.console) + " " + shellQuote(winPath(exe))
	for _, a := range args {
		line += " " + shellQuote(a)
	}
	cmd := exec.Command(script, "-q", "-e", "-c", line, "/dev/null")
	cmd.Dir = filepath.Dir(exe)
	cmd.Env = w.env
	out, err := cmd.Output()
	// The console draws through the terminal: drop its escape sequences
	// (cursor shown and hidden, line cleared) and carriage returns.
	text := regexp.MustCompile("\x1b\\[[0-9;?]*[A-Za-z]").ReplaceAllString(string(out), "")
	return strings.ReplaceAll(text, "\r", ""), err
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// winPath is a Linux path as a Windows program under Wine names it: Wine's
// drive Z: is the Linux root.
func winPath(p string) string {
	return `Z:` + strings.ReplaceAll(p, "/", `\`)
}

func runUnderWine(t *testing.T, w *wine, exe string) {
	must := func(args ...string) string {
		t.Helper()
		start := time.Now()
		out, stderr, err := w.run(t, exe, args...)
		if err != nil {
			t.Fatalf("rebill.exe %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out, stderr)
		}
		name := args
		if len(name) > 2 && name[0] == "--db" {
			name = name[2:]
		}
		t.Logf("rebill.exe %s: %s", name[0], time.Since(start).Round(100*time.Millisecond))
		return out
	}

	if got, want := must("version"), "Rebill "+zipVersion+" (build "+zipBuild+", "; !strings.HasPrefix(got, want) {
		t.Fatalf("rebill.exe version printed %q, want it to begin %q", got, want)
	}

	parquet, err := filepath.Abs("../shared/data/real/aws-wa-labs/Oct2018-WorkshopCUR-00001.snappy.parquet")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(parquet); err != nil {
		t.Skipf("the real AWS files are absent (%v): the import under Wine is not checked", err)
	}
	dir := t.TempDir()
	db := winPath(filepath.Join(dir, "rebill.db"))
	must("--db", db, "import", winPath(parquet))

	// The README of the WA-labs files: 119,307 rows in October 2018,
	// unblended total 4064.4831 (the file's doubles summed exactly give
	// the digits after it).
	var periods []struct {
		Period        string `json:"period"`
		Rows          int64  `json:"rows"`
		UnblendedCost string `json:"unblended_cost"`
	}
	if err := json.Unmarshal([]byte(must("--db", db, "periods", "--json")), &periods); err != nil {
		t.Fatal(err)
	}
	if len(periods) != 1 || periods[0].Period != "2018-10" || periods[0].Rows != 119307 || periods[0].UnblendedCost != "4064.4831315379" {
		t.Fatalf("periods under Wine: %+v, want 2018-10 with 119307 rows, 4064.4831315379", periods)
	}

	// From cmd or PowerShell, rebill.exe attaches to their console: a
	// window program started there has no standard streams.
	t.Run("console", func(t *testing.T) {
		out, err := w.inConsole(t, exe, "version")
		if err != nil || !strings.HasPrefix(out, "Rebill "+zipVersion+" (build "+zipBuild+", ") {
			t.Errorf("rebill.exe version in a console: %v, it shows %q", err, out)
		}
		// Each of these lines fits in the console's 80 columns.
		out, err = w.inConsole(t, exe, "--db", db, "periods", "--json")
		for _, want := range []string{`"period": "2018-10",`, `"rows": 119307,`, `"unblended_cost": "4064.4831315379",`} {
			if err != nil || !strings.Contains(out, "\n    "+want+"\n") {
				t.Errorf("rebill.exe periods --json in a console: %v, it shows no line %s:\n%s", err, want, out)
			}
		}
		// An unknown command says so on the console, and its exit code
		// reaches the shell.
		out, err = w.inConsole(t, exe, "nosuchcommand")
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(out, `unknown command "nosuchcommand"`) {
			t.Errorf("rebill.exe nosuchcommand in a console: %v, it shows %q; want exit 2 and the error", err, out)
		}
	})

	// One customer owns both accounts, billed at unblended cost; the same
	// commands on the Linux build give the statement to compare with.
	setup := [][]string{
		{"customers", "add", "--id", "wa", "--name", "WA Labs", "--basis", "unblended"},
		{"accounts", "map", "011254002932", "--customer", "wa", "--from", "2018-10"},
		{"accounts", "map", "836060457634", "--customer", "wa", "--from", "2018-10"},
		{"profile", "set", "company_name", "Cloud Reseller Ltd"},
	}
	linuxDB := filepath.Join(dir, "linux.db")
	if _, stderr, err := rebill(t, nil, "--db", linuxDB, "import", parquet); err != nil {
		t.Fatalf("the Linux build's import: %v\n%s", err, stderr)
	}
	for _, args := range setup {
		must(append([]string{"--db", db}, args...)...)
		if _, stderr, err := rebill(t, nil, append([]string{"--db", linuxDB}, args...)...); err != nil {
			t.Fatalf("the Linux build's %v: %v\n%s", args, err, stderr)
		}
	}
	report := []string{"report", "--period", "2018-10", "--customer", "wa"}
	stmt := must(append([]string{"--db", db}, report...)...)
	linuxStmt, stderr, err := rebill(t, nil, append([]string{"--db", linuxDB}, report...)...)
	if err != nil {
		t.Fatalf("the Linux build's report: %v\n%s", err, stderr)
	}
	if stmt != linuxStmt {
		t.Errorf("the statement under Wine differs from the Linux build's:\n%s\nLinux:\n%s", stmt, linuxStmt)
	}
	// Its sections' subtotals, each line rounded to cents first: 737.50
	// + 0.28 + 920.75 + 2392.72 + 12.52 + 0.72 + 0.00 = 4064.49, printed
	// with its thousands grouped, as the invoice block above it.
	if !strings.Contains(stmt, "Total USD") || !strings.Contains(stmt, "4,064.49  4,064.4831315379") {
		t.Errorf("the statement does not total USD 4064.49 (4064.4831315379 at full precision):\n%s", stmt)
	}

	must("--db", db, "invoices", "generate", "--period", "2018-10", "--all")
	must("--db", db, "invoices", "approve", "--all", "--period", "2018-10")
	var invoices []struct {
		Number *string `json:"number"`
		Total  string  `json:"total"`
		Status string  `json:"status"`
	}
	if err := json.Unmarshal([]byte(must("--db", db, "invoices", "list", "--json")), &invoices); err != nil {
		t.Fatal(err)
	}
	if len(invoices) != 1 || invoices[0].Number == nil || invoices[0].Total != "4064.49" || invoices[0].Status != "open" {
		t.Fatalf("invoices under Wine: %+v, want one Open invoice of 4064.49", invoices)
	}
	number := *invoices[0].Number
	pdfPath := filepath.Join(dir, "invoice.pdf")
	must("--db", db, "invoices", "export", number, "--format", "pdf", "--out", winPath(pdfPath))
	pdf, err := os.ReadFile(pdfPath)
	if err != nil {
		t.Fatalf("the exported PDF: %v", err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("the export is not a PDF: %q", pdf[:min(len(pdf), 16)])
	}
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Log("pdftotext (poppler-utils) is not installed: the PDF's text is not checked")
		return
	}
	text, err := exec.Command(bin, "-layout", "-enc", "UTF-8", pdfPath, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, want := range []string{"WA Labs", "Cloud Reseller Ltd", number, "October 2018", "Total due", "$4,064.49"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the PDF does not print %q:\n%s", want, text)
		}
	}
}
