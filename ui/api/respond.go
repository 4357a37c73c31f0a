package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"rebill/engine/access"
	"rebill/engine/billing"
	"rebill/engine/invoice"
	"rebill/store"
)

// call is one request being answered.
type call struct {
	w   http.ResponseWriter
	r   *http.Request
	now time.Time
	key access.Key // the request's key, on routes that need one
	// wrote is set once a response has started, so that an error after
	// it is logged instead of written into the middle of a body.
	wrote bool
}

// apiError is a refusal with its HTTP status and the error body's code.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.message }

func errorf(status int, code, format string, args ...any) error {
	return &apiError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

// errorBody is the one shape of every error response.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// guard runs a handler with what every request gets: its body bounded,
// its error written in the API's shape, and a panic turned into a 500
// (logged with its stack) instead of a dropped connection.
func (s *Server) guard(h func(c *call) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &call{w: w, r: r, now: s.clock()}
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Printf("panic serving %s %s: %v\n%s", r.Method, r.URL.Path, p, debug.Stack())
				s.fail(c, errorf(http.StatusInternalServerError, "internal", "Rebill failed to answer %s %s; the error is in its log", r.Method, r.URL.Path))
			}
		}()
		if err := h(c); err != nil {
			s.fail(c, err)
		}
	})
}

// fail writes err as an error response.
func (s *Server) fail(c *call, err error) {
	e := classify(err)
	if c.wrote {
		s.log.Printf("%s %s failed after its response started: %v", c.r.Method, c.r.URL.Path, err)
		return
	}
	if e.status == http.StatusInternalServerError && e.code != "internal" {
		s.log.Printf("%s %s: %v", c.r.Method, c.r.URL.Path, err)
	}
	if e.status == http.StatusUnauthorized {
		c.w.Header().Set("WWW-Authenticate", `Bearer realm="rebill"`)
	}
	var body errorBody
	body.Error.Code, body.Error.Message = e.code, e.message
	c.json(e.status, body)
}

// classify gives an error its status: the API's own refusals as they
// are, what the store could not find 404, an unknown key 401, an action
// the invoice's status does not allow 409, a missing exchange rate 409,
// anything else 500.
func classify(err error) *apiError {
	var e *apiError
	var te *invoice.TransitionError
	var re *billing.RateError
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &e):
		return e
	case errors.As(err, &mb):
		return &apiError{http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("the request body is larger than %d bytes", mb.Limit)}
	case errors.Is(err, store.ErrUnauthorized):
		return &apiError{http.StatusUnauthorized, "unauthorized", "the API key is unknown or revoked: create one with rebill api-key create, or in Settings > Billing API"}
	case errors.Is(err, store.ErrNotFound):
		return &apiError{http.StatusNotFound, "not_found", err.Error()}
	case errors.As(err, &te):
		return &apiError{http.StatusConflict, "conflict", err.Error()}
	case errors.As(err, &re):
		return &apiError{http.StatusConflict, "missing_exchange_rate", err.Error()}
	}
	return &apiError{http.StatusInternalServerError, "server_error", err.Error()}
}

// refused marks an error of a write use case as the store refusing the
// action (a credit larger than what is left, a payment date before the
// invoice was issued): 409 with the store's reason, unless the error is
// already classified otherwise.
func refused(err error) error {
	if err == nil {
		return nil
	}
	if e := classify(err); e.status != http.StatusInternalServerError {
		return err
	}
	return &apiError{http.StatusConflict, "refused", err.Error()}
}

// json writes v as the response body.
func (c *call) json(status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // messages say "Settings > Billing API", not "\u003e"
	b := []byte(`{"error":{"code":"internal","message":"the response could not be written as JSON"}}` + "\n")
	if err := enc.Encode(v); err == nil {
		b = buf.Bytes()
	} else {
		status = http.StatusInternalServerError
	}
	c.w.Header().Set("Content-Type", "application/json; charset=utf-8")
	c.w.Header().Set("Cache-Control", "no-store")
	c.w.WriteHeader(status)
	c.wrote = true
	if c.r.Method != http.MethodHead {
		c.w.Write(b)
	}
}

// body decodes a JSON request body into v; an empty body leaves v as it
// is. Unknown fields are refused, so a typo is not silently ignored.
func (c *call) body(v any) error {
	dec := json.NewDecoder(c.r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return err
		}
		return errorf(http.StatusBadRequest, "bad_request", "the request body is not the JSON object expected: %v", err)
	}
	if dec.More() {
		return errorf(http.StatusBadRequest, "bad_request", "the request body holds more than one JSON value")
	}
	return nil
}

// Paging: a list returns at most perPageMax items a page.
const (
	perPageDefault = 50
	perPageMax     = 500
)

// list is every list response: one page of items, the next page's number
// (null on the last page) and how many items there are in all.
type list struct {
	Items    any  `json:"items"`
	NextPage *int `json:"next_page"`
	Total    int  `json:"total"`
}

// page reads page and per_page.
func (c *call) page() (page, perPage int, err error) {
	page, perPage = 1, perPageDefault
	q := c.r.URL.Query()
	if v := q.Get("page"); v != "" {
		if page, err = strconv.Atoi(v); err != nil || page < 1 {
			return 0, 0, errorf(http.StatusBadRequest, "bad_request", "page %q is not a page number: the first page is 1", v)
		}
	}
	if v := q.Get("per_page"); v != "" {
		if perPage, err = strconv.Atoi(v); err != nil || perPage < 1 || perPage > perPageMax {
			return 0, 0, errorf(http.StatusBadRequest, "bad_request", "per_page %q is not between 1 and %d", v, perPageMax)
		}
	}
	return page, perPage, nil
}

// paginate writes one page of items, formatted by format.
func paginate[T any](c *call, items []T, format func(T) (any, error)) error {
	page, perPage, err := c.page()
	if err != nil {
		return err
	}
	from := min((page-1)*perPage, len(items))
	to := min(from+perPage, len(items))
	out := make([]any, 0, to-from)
	for _, it := range items[from:to] {
		v, err := format(it)
		if err != nil {
			return err
		}
		out = append(out, v)
	}
	l := list{Items: out, Total: len(items)}
	if to < len(items) {
		next := page + 1
		l.NextPage = &next
	}
	c.json(http.StatusOK, l)
	return nil
}

// as is the identity format, for items printed as they are.
func as[T any](v T) (any, error) { return v, nil }

// query returns a query parameter, trimmed.
func (c *call) query(name string) string { return strings.TrimSpace(c.r.URL.Query().Get(name)) }

// flag reads a boolean query parameter: absent is false.
func (c *call) flag(name string) (bool, error) {
	v := c.query(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, errorf(http.StatusBadRequest, "bad_request", "%s=%q is not true or false", name, v)
	}
	return b, nil
}
