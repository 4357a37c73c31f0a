package api

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"sort"
	"strings"
)

// Document is the API's OpenAPI 3.1 description: written once, here,
// served as it is at /openapi.json and rendered at /docs. Tests check
// that its paths are exactly the routes and validate every response the
// API gives against it.
//
//go:embed openapi.json
var Document []byte

func (s *Server) openAPI(c *call) error {
	c.w.Header().Set("Content-Type", "application/json")
	c.w.WriteHeader(http.StatusOK)
	c.wrote = true
	if c.r.Method != http.MethodHead {
		c.w.Write(Document)
	}
	return nil
}

// docsPage is /docs, rendered once from Document.
var docsPage = mustRenderDocs(Document)

func (s *Server) docs(c *call) error {
	c.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// The page is self-contained: no script, style or font from elsewhere.
	c.w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	c.w.WriteHeader(http.StatusOK)
	c.wrote = true
	if c.r.Method != http.MethodHead {
		c.w.Write(docsPage)
	}
	return nil
}

// The part of an OpenAPI document the page shows.
type (
	oaDoc struct {
		Info struct {
			Title, Version, Description string
		}
		Paths      map[string]map[string]oaOperation
		Components struct {
			Schemas    map[string]oaSchema
			Parameters map[string]oaParameter
			Responses  map[string]oaResponse
		}
	}
	oaOperation struct {
		Summary, Description string
		Parameters           []oaParameter
		RequestBody          *struct {
			Content map[string]struct{ Schema oaSchema }
		}
		Responses map[string]oaResponse
		Security  *[]map[string][]string
	}
	oaParameter struct {
		Ref         string `json:"$ref"`
		Name, In    string
		Required    bool
		Description string
		Schema      oaSchema
	}
	oaResponse struct {
		Ref         string `json:"$ref"`
		Description string
		Content     map[string]struct{ Schema oaSchema }
	}
	oaSchema struct {
		Ref         string `json:"$ref"`
		Type        any
		Description string
		Enum        []any
		Pattern     string
		Properties  map[string]oaSchema
		Required    []string
		Items       *oaSchema
	}
)

// Types names a schema's type as the page shows it: a referenced
// schema's name, "array of X", "string or null".
func (s oaSchema) Types() string {
	if s.Ref != "" {
		return refName(s.Ref)
	}
	var ts []string
	switch t := s.Type.(type) {
	case string:
		ts = []string{t}
	case []any:
		for _, v := range t {
			ts = append(ts, fmt.Sprint(v))
		}
	}
	for i, t := range ts {
		if t == "array" && s.Items != nil {
			ts[i] = "array of " + s.Items.Types()
		}
	}
	out := strings.Join(ts, " or ")
	if len(s.Enum) > 0 {
		var vs []string
		for _, v := range s.Enum {
			vs = append(vs, fmt.Sprint(v))
		}
		out += ": " + strings.Join(vs, ", ")
	}
	return out
}

func refName(ref string) string { return ref[strings.LastIndexByte(ref, '/')+1:] }

// page is what the template renders.
type page struct {
	Title, Version, Description string
	Operations                  []pageOperation
	Schemas                     []pageSchema
}

type pageOperation struct {
	Method, Path, Anchor string
	Public               bool
	Op                   oaOperation
	Parameters           []oaParameter
	Body                 string
	Responses            []pageResponse
}

type pageResponse struct{ Status, Description, Body string }

type pageSchema struct {
	Name, Description string
	Fields            []pageField
}

type pageField struct {
	Name, Type, Description string
	Required                bool
}

// mustRenderDocs renders the page; the document is embedded, so a
// failure is a bug every test run shows at once.
func mustRenderDocs(raw []byte) []byte {
	b, err := renderDocs(raw)
	if err != nil {
		panic(fmt.Sprintf("rendering /docs from openapi.json: %v", err))
	}
	return b
}

func renderDocs(raw []byte) ([]byte, error) {
	var d oaDoc
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, err
	}
	p := page{Title: d.Info.Title, Version: d.Info.Version, Description: d.Info.Description}
	paths := make([]string, 0, len(d.Paths))
	for path := range d.Paths {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		methods := make([]string, 0, len(d.Paths[path]))
		for m := range d.Paths[path] {
			methods = append(methods, m)
		}
		sort.Strings(methods)
		for _, m := range methods {
			op := d.Paths[path][m]
			po := pageOperation{Method: strings.ToUpper(m), Path: path, Op: op, Public: op.Security != nil && len(*op.Security) == 0}
			po.Anchor = strings.NewReplacer("/", "-", "{", "", "}", "", ".", "-").Replace(m + path)
			for _, prm := range op.Parameters {
				if prm.Ref != "" {
					prm = d.Components.Parameters[refName(prm.Ref)]
				}
				po.Parameters = append(po.Parameters, prm)
			}
			if op.RequestBody != nil {
				for _, c := range op.RequestBody.Content {
					po.Body = c.Schema.Types()
				}
			}
			codes := make([]string, 0, len(op.Responses))
			for code := range op.Responses {
				codes = append(codes, code)
			}
			sort.Strings(codes) // "default" sorts after the numbers
			for _, code := range codes {
				r := op.Responses[code]
				if r.Ref != "" {
					r = d.Components.Responses[refName(r.Ref)]
				}
				var bodies []string
				for ct, c := range r.Content {
					bodies = append(bodies, ct+" "+c.Schema.Types())
				}
				slices.Sort(bodies)
				po.Responses = append(po.Responses, pageResponse{Status: code, Description: r.Description, Body: strings.Join(bodies, "; ")})
			}
			p.Operations = append(p.Operations, po)
		}
	}
	names := make([]string, 0, len(d.Components.Schemas))
	for n := range d.Components.Schemas {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		sc := d.Components.Schemas[n]
		ps := pageSchema{Name: n, Description: sc.Description}
		if sc.Pattern != "" {
			ps.Description = strings.TrimSpace(ps.Description + " Pattern: " + sc.Pattern)
		}
		fields := make([]string, 0, len(sc.Properties))
		for f := range sc.Properties {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		for _, f := range fields {
			ps.Fields = append(ps.Fields, pageField{Name: f, Type: sc.Properties[f].Types(), Description: sc.Properties[f].Description,
				Required: slices.Contains(sc.Required, f)})
		}
		p.Schemas = append(p.Schemas, ps)
	}
	var b strings.Builder
	if err := docsTemplate.Execute(&b, p); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

var docsTemplate = template.Must(template.New("docs").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2430;background:#fafbfc}
main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 4px}h2{margin-top:40px;border-bottom:1px solid #d8dde6;padding-bottom:4px}
code,.path{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13.5px}
.op{background:#fff;border:1px solid #d8dde6;border-radius:6px;margin:14px 0;padding:12px 16px}
.m{display:inline-block;min-width:52px;text-align:center;border-radius:4px;color:#fff;font-weight:600;font-size:12px;padding:2px 6px;margin-right:8px}
.GET{background:#2b6cb0}.POST{background:#2f855a}
.note{color:#5a6473;font-size:13px}
table{border-collapse:collapse;width:100%;margin:8px 0}td,th{text-align:left;vertical-align:top;padding:4px 8px;border-top:1px solid #eef0f4;font-size:13.5px}
th{color:#5a6473;font-weight:600}
nav a{display:block;text-decoration:none;color:#2b6cb0}
p.desc{white-space:pre-line}
</style></head><body><main>
<h1>{{.Title}}</h1><div class="note">version {{.Version}} · machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1)</div>
<p class="desc">{{.Description}}</p>
<nav>{{range .Operations}}<a href="#{{.Anchor}}"><span class="m {{.Method}}">{{.Method}}</span><span class="path">{{.Path}}</span> {{.Op.Summary}}</a>{{end}}</nav>
<h2>Endpoints</h2>
{{range .Operations}}<section class="op" id="{{.Anchor}}">
<div><span class="m {{.Method}}">{{.Method}}</span><span class="path">{{.Path}}</span></div>
<h3>{{.Op.Summary}}</h3><p>{{.Op.Description}}</p>
{{if .Public}}<p class="note">No API key needed.</p>{{end}}
{{if .Parameters}}<table><tr><th>Parameter</th><th>In</th><th>Type</th><th>Description</th></tr>
{{range .Parameters}}<tr><td><code>{{.Name}}</code>{{if .Required}} (required){{end}}</td><td>{{.In}}</td><td>{{.Schema.Types}}</td><td>{{.Description}}</td></tr>{{end}}</table>{{end}}
{{if .Body}}<p>Request body: JSON <a href="#schema-{{.Body}}"><code>{{.Body}}</code></a></p>{{end}}
<table><tr><th>Status</th><th>Body</th><th>When</th></tr>
{{range .Responses}}<tr><td><code>{{.Status}}</code></td><td><code>{{.Body}}</code></td><td>{{.Description}}</td></tr>{{end}}</table>
</section>{{end}}
<h2>Schemas</h2>
{{range .Schemas}}<section class="op" id="schema-{{.Name}}"><h3><code>{{.Name}}</code></h3>{{if .Description}}<p>{{.Description}}</p>{{end}}
{{if .Fields}}<table><tr><th>Field</th><th>Type</th><th>Description</th></tr>
{{range .Fields}}<tr><td><code>{{.Name}}</code>{{if .Required}} *{{end}}</td><td>{{.Type}}</td><td>{{.Description}}</td></tr>{{end}}</table>{{end}}
</section>{{end}}
<p class="note">* always present.</p>
</main></body></html>
`))
