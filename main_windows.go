package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// attachConsole gives a command the console of the cmd or PowerShell that
// started it. The Windows build is a GUI-subsystem program, so that a
// double-click opens the window and no black console beside it (a console
// that, closed, would kill Rebill); such a program starts without a
// console, and without this a command such as `rebill periods --json`
// would print nothing. A stream already redirected (`> file`, a pipe) is
// kept: it is where the user asked the output to go. Started by a
// double-click there is no parent console and nothing changes. Only
// commands attach: the window must not die with the console it was
// started from.
func attachConsole() {
	std := []struct {
		id   uint32
		file **os.File
		name string
	}{
		{windows.STD_INPUT_HANDLE, &os.Stdin, "CONIN$"},
		{windows.STD_OUTPUT_HANDLE, &os.Stdout, "CONOUT$"},
		{windows.STD_ERROR_HANDLE, &os.Stderr, "CONOUT$"},
	}
	var missing []int
	for i, s := range std {
		if !usable(s.id) {
			missing = append(missing, i)
		}
	}
	if len(missing) == 0 {
		return
	}
	attach := windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")
	const attachParentProcess = ^uintptr(0) // ATTACH_PARENT_PROCESS, (DWORD)-1
	// ERROR_ACCESS_DENIED says the program has a console already (Wine
	// gives a window program the console of the one that started it):
	// that console is the one to print to.
	if ok, _, err := attach.Call(attachParentProcess); ok == 0 && err != windows.ERROR_ACCESS_DENIED {
		return // no parent console: started from Explorer
	}
	for _, i := range missing {
		s := std[i]
		name, err := windows.UTF16PtrFromString(s.name)
		if err != nil {
			continue
		}
		h, err := windows.CreateFile(name, windows.GENERIC_READ|windows.GENERIC_WRITE,
			windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE, nil, windows.OPEN_EXISTING, 0, 0)
		if err != nil {
			continue
		}
		windows.SetStdHandle(s.id, h)
		*s.file = os.NewFile(uintptr(h), s.name)
	}
}

// usable reports whether a standard handle leads somewhere: a console, a
// file or a pipe. A GUI-subsystem program started from a console has none.
func usable(id uint32) bool {
	h, err := windows.GetStdHandle(id)
	if err != nil || h == 0 || h == windows.InvalidHandle {
		return false
	}
	t, err := windows.GetFileType(h)
	return err == nil && t != windows.FILE_TYPE_UNKNOWN
}
