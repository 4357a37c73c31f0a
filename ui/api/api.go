// Package api is Rebill's billing API: a third face beside the window and
// the command line, serving customers, mappings, periods, statements,
// invoices, the month's reconciliation and the margin report as JSON to
// the reseller's accounting and PSA tools. Like the other faces it
// decides nothing: each handler parses the request, calls one store use
// case and formats its result, in the shapes the CLI's --json prints.
//
// The API runs inside the one Rebill that holds the database (the window,
// or `rebill serve`), so the database's single-instance lock covers it.
// It never imports Fyne: `rebill serve` runs without a display.
//
// Every /api/v1 request needs an API key (Authorization: Bearer KEY);
// read-only keys never see drafts, read-write keys may also approve,
// close, void and credit. The routes are listed once (routes.go) and
// described once (openapi.json, served at /openapi.json and rendered at
// /docs); a test holds the two together.
package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"time"

	"rebill/engine/access"
	"rebill/store"
)

// Limits of the server: a client that sends slowly, sends too much or
// never reads cannot hold a connection or memory for long.
const (
	// MaxBodyBytes bounds a request body: the API's bodies are a few
	// fields (a reason, a date, an amount).
	MaxBodyBytes = 64 << 10
	// maxHeaderBytes bounds a request's headers.
	maxHeaderBytes = 32 << 10
	// readHeaderTimeout and readTimeout bound reading a request;
	// writeTimeout bounds the whole of a response, a workbook of a large
	// customer's line items included; idleTimeout closes kept-alive
	// connections nobody uses.
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 5 * time.Minute
	idleTimeout       = 2 * time.Minute
	// shutdownTimeout is how long Close lets requests in flight finish.
	shutdownTimeout = 10 * time.Second
)

// Server answers the billing API's requests over an open database. It is
// an http.Handler; Listen serves it on an address.
type Server struct {
	db    *store.DB
	clock func() time.Time
	log   *log.Logger
	mux   *http.ServeMux
	// months are the months statements were last computed from, each
	// read for one customer.
	months months
	// Changed, when set, is called after a request changed invoices
	// (approve, close, void, credit note), from the request's goroutine:
	// the window refreshes its screens with it.
	Changed func()
}

// New makes the API over db. clock is the time requests are served at
// (time.Now, or a fixed day in tests): past-due statuses, issue dates and
// the audit log follow it. Panics and server errors are logged to
// errLog.
func New(db *store.DB, clock func() time.Time, errLog io.Writer) *Server {
	s := &Server{db: db, clock: clock, log: log.New(errLog, "rebill api: ", log.LstdFlags)}
	s.mux = s.newMux(routes())
	return s
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Running is the API listening on an address.
type Running struct {
	srv  *http.Server
	addr net.Addr
	done chan error
}

// Listen binds addr (host:port; port 0 picks a free one) and serves the
// API on it in the background until Close. A port already taken is an
// error naming it.
func Listen(addr string, s *Server) (*Running, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("the billing API cannot listen on %s: %w (is another program using that port? choose another one)", addr, err)
	}
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          s.log,
	}
	r := &Running{srv: srv, addr: ln.Addr(), done: make(chan error, 1)}
	go func() {
		err := srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		r.done <- err
	}()
	return r, nil
}

// Addr is the address listened on, e.g. 127.0.0.1:8787.
func (r *Running) Addr() string { return r.addr.String() }

// URL is the API's base address, e.g. http://127.0.0.1:8787.
func (r *Running) URL() string { return "http://" + r.Addr() }

// Loopback reports whether only this computer can reach the API.
func (r *Running) Loopback() bool { return access.Loopback(r.Addr()) }

// Done receives, once, why the server stopped: nil after Close, an
// error when serving failed.
func (r *Running) Done() <-chan error { return r.done }

// Close stops accepting requests and lets those in flight finish, for at
// most shutdownTimeout.
func (r *Running) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	return r.srv.Shutdown(ctx)
}
