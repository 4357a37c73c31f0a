package api

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"rebill/engine/access"
)

// Base is the path every versioned route starts with.
const Base = "/api/v1"

// need is who may call a route.
type need int

const (
	// public routes describe the API and hold no data.
	public need = iota
	// reading needs a key of any scope.
	reading
	// writing needs a read-write key.
	writing
)

// route is one method and path of the API. Path is a net/http pattern
// path ({id} is a segment); the OpenAPI document has the same path with
// the same method, which TestDocumentCoversRoutes checks both ways.
type route struct {
	method string
	path   string
	need   need
	handle func(s *Server, c *call) error
}

// routes lists every route of the API, once.
func routes() []route {
	return []route{
		{http.MethodGet, "/openapi.json", public, (*Server).openAPI},
		{http.MethodGet, "/docs", public, (*Server).docs},
		{http.MethodGet, Base + "/customers", reading, (*Server).customers},
		{http.MethodGet, Base + "/customers/{id}", reading, (*Server).customer},
		{http.MethodGet, Base + "/customers/{id}/statements/{month}", reading, (*Server).statement},
		{http.MethodGet, Base + "/mappings", reading, (*Server).mappings},
		{http.MethodGet, Base + "/periods", reading, (*Server).periods},
		{http.MethodGet, Base + "/reconciliation/{month}", reading, (*Server).reconciliation},
		{http.MethodGet, Base + "/margin/{month}", reading, (*Server).margin},
		{http.MethodGet, Base + "/invoices", reading, (*Server).invoices},
		{http.MethodGet, Base + "/invoices/{id}", reading, (*Server).invoice},
		{http.MethodGet, Base + "/invoices/{id}/document", reading, (*Server).document},
		{http.MethodPost, Base + "/invoices/{id}/approve", writing, (*Server).approve},
		{http.MethodPost, Base + "/invoices/{id}/close", writing, (*Server).close},
		{http.MethodPost, Base + "/invoices/{id}/void", writing, (*Server).void},
		{http.MethodPost, Base + "/invoices/{id}/credit-notes", writing, (*Server).creditNote},
	}
}

// newMux registers each path once, answering every method the path has
// and refusing the others with 405 in the API's error shape (net/http's
// own 405 and 404 are plain text).
func (s *Server) newMux(rs []route) *http.ServeMux {
	mux := http.NewServeMux()
	byPath := map[string][]route{}
	var order []string
	for _, r := range rs {
		if _, ok := byPath[r.path]; !ok {
			order = append(order, r.path)
		}
		byPath[r.path] = append(byPath[r.path], r)
	}
	for _, p := range order {
		mux.Handle(p, s.pathHandler(byPath[p]))
	}
	mux.Handle("/", s.guard(func(c *call) error {
		return errorf(http.StatusNotFound, "not_found", "there is no %s: the API's paths start with %s and are listed at /docs", c.r.URL.Path, Base)
	}))
	return mux
}

// pathHandler answers the routes of one path, by method.
func (s *Server) pathHandler(rs []route) http.Handler {
	var allow []string
	for _, r := range rs {
		allow = append(allow, r.method)
	}
	slices.Sort(allow)
	return s.guard(func(c *call) error {
		for _, r := range rs {
			if r.method == c.r.Method || (r.method == http.MethodGet && c.r.Method == http.MethodHead) {
				return s.serve(r, c)
			}
		}
		c.w.Header().Set("Allow", strings.Join(allow, ", "))
		return errorf(http.StatusMethodNotAllowed, "method_not_allowed", "%s does not take %s: use %s", c.r.URL.Path, c.r.Method, strings.Join(allow, " or "))
	})
}

// serve checks the request's key against what the route needs and its
// query against what the route takes, then calls its handler. The public
// routes describe the API and take any query (a cache-busting ?v=2).
func (s *Server) serve(r route, c *call) error {
	if r.need == public {
		return r.handle(s, c)
	}
	key, err := s.authenticate(c)
	if err != nil {
		return err
	}
	c.key = key
	if r.need == writing && !key.Scope.MayWrite() {
		return errorf(http.StatusForbidden, "forbidden", "API key %d (%s) is read-only: %s %s needs a read-write key", key.ID, key.Name, c.r.Method, c.r.URL.Path)
	}
	if err := knownQuery(r, c); err != nil {
		return err
	}
	err = r.handle(s, c)
	if err == nil && r.need == writing && s.Changed != nil {
		s.Changed()
	}
	return err
}

// authenticate reads the bearer key and asks the store whose it is.
func (s *Server) authenticate(c *call) (access.Key, error) {
	h := c.r.Header.Get("Authorization")
	scheme, secret, _ := strings.Cut(h, " ")
	if h == "" || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
		return access.Key{}, errorf(http.StatusUnauthorized, "unauthorized", "send an API key as Authorization: Bearer KEY (create one with rebill api-key create, or in Settings > Billing API)")
	}
	return s.db.Authenticate(strings.TrimSpace(secret), c.now)
}

// queryParams are the query parameters of each route ("GET
// /api/v1/invoices"), as the OpenAPI document declares them: the one
// description of what a route takes.
var queryParams = mustQueryParams(Document)

func mustQueryParams(raw []byte) map[string][]string {
	var d oaDoc
	if err := json.Unmarshal(raw, &d); err != nil {
		panic(fmt.Sprintf("reading openapi.json: %v", err))
	}
	out := map[string][]string{}
	for path, ops := range d.Paths {
		for method, op := range ops {
			names := []string{}
			for _, p := range op.Parameters {
				if p.Ref != "" {
					p = d.Components.Parameters[refName(p.Ref)]
				}
				if p.In == "query" {
					names = append(names, p.Name)
				}
			}
			out[strings.ToUpper(method)+" "+path] = names
		}
	}
	return out
}

// knownQuery refuses a query parameter the route does not take: a
// misspelt filter (?stauts=open, ?custmer=ACME) was ignored, and the
// answer was every invoice, which a script could not tell from the
// filtered list it asked for.
func knownQuery(r route, c *call) error {
	takes := queryParams[r.method+" "+r.path]
	for _, name := range slices.Sorted(maps.Keys(c.r.URL.Query())) {
		if slices.Contains(takes, name) {
			continue
		}
		if len(takes) == 0 {
			return errorf(http.StatusBadRequest, "bad_request", "unknown query parameter %q: %s %s takes none", name, r.method, r.path)
		}
		return errorf(http.StatusBadRequest, "bad_request", "unknown query parameter %q: %s %s takes %s", name, r.method, r.path, strings.Join(takes, ", "))
	}
	return nil
}
