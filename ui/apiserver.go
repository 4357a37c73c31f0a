package ui

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"rebill/engine/access"
	"rebill/store"
	"rebill/ui/api"
)

// apiServer is the billing API the window serves while the Settings
// screen's Billing API is on: the same server as `rebill serve`, inside
// the one Rebill that holds the database. It is started from the saved settings when the
// window opens, restarted when they are applied, and stopped when the
// window closes.
type apiServer struct {
	db    *store.DB
	clock func() time.Time
	// listen starts the server; tests replace it.
	listen func(addr string, s *api.Server) (*api.Running, error)
	errLog io.Writer
	// dataChanged tells the screens that an API request changed
	// invoices, on the UI goroutine.
	dataChanged func()

	mu       sync.Mutex
	settings access.Settings // as last applied
	running  *api.Running
	err      error // why the last start failed
	// listeners are called, on the caller's goroutine (the UI's), after
	// every change.
	listeners []func()
}

func newAPIServer(db *store.DB, clock func() time.Time) *apiServer {
	return &apiServer{db: db, clock: clock, listen: api.Listen, errLog: os.Stderr, dataChanged: func() {}}
}

// onChange registers fn to run after every start, stop or failure.
func (a *apiServer) onChange(fn func()) { a.listeners = append(a.listeners, fn) }

func (a *apiServer) changed() {
	for _, fn := range a.listeners {
		fn()
	}
}

// startSaved applies the saved settings: the API starts when it is on.
func (a *apiServer) startSaved() {
	s, err := a.db.APISettings()
	if err != nil {
		a.mu.Lock()
		a.err = err
		a.mu.Unlock()
		a.changed()
		return
	}
	a.apply(s)
}

// apply stops the API if it runs, then starts it on s when s is on. A
// start that fails (the port is taken) is kept to show, and the API
// stays off.
func (a *apiServer) apply(s access.Settings) error {
	a.mu.Lock()
	defer a.changed()
	defer a.mu.Unlock()
	if a.running != nil {
		a.running.Close()
		a.running = nil
	}
	a.settings, a.err = s, nil
	if !s.Enabled {
		return nil
	}
	srv := api.New(a.db, a.clock, a.errLog)
	srv.Changed = func() { fyne.Do(a.dataChanged) }
	r, err := a.listen(s.Addr(), srv)
	a.running, a.err = r, err
	return err
}

// stop ends the API before the database closes.
func (a *apiServer) stop() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.running != nil {
		a.running.Close()
		a.running = nil
	}
}

// apiStatus is what the window says about the API.
type apiStatus struct {
	On bool
	// Text is a sentence for the Settings section; Short the status
	// bar's words ("" when the API is off and nothing went wrong).
	Text, Short string
	// Exposed is true while other computers can reach the API.
	Exposed bool
	Failed  bool
}

// status describes the API as it is now. Whether other computers can
// reach it follows the address the accountant chose.
func (a *apiServer) status() apiStatus {
	a.mu.Lock()
	defer a.mu.Unlock()
	addr := a.settings.Addr()
	switch {
	case a.err != nil:
		return apiStatus{Failed: true, Text: "The billing API is off: " + a.err.Error() + ".", Short: "Billing API off: it could not start (see Settings)"}
	case a.running == nil:
		return apiStatus{Text: "The billing API is off."}
	case !access.Loopback(addr):
		return apiStatus{On: true, Exposed: true,
			Text:  fmt.Sprintf("The billing API listens at http://%s, reachable from other computers on your network (documentation at /docs). Every request needs an API key.", addr),
			Short: fmt.Sprintf("Billing API at http://%s, reachable from other computers", addr)}
	}
	return apiStatus{On: true, Text: fmt.Sprintf("The billing API listens at http://%s, for this computer only (documentation: http://%s/docs).", addr, addr),
		Short: "Billing API at http://" + addr}
}
