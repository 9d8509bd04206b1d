// Package openapi serves the OpenAPI 3 description of the control API at
// /_fakeprovider/openapi.json. The document is openapi.yaml (embedded),
// completed at start with every provider's own control endpoints
// (/_fakeprovider/<provider>/…) as the providers register them.
package openapi

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/fakeprovider/fakeprovider/controlapi"
	"github.com/fakeprovider/fakeprovider/internal/control"
	"github.com/fakeprovider/fakeprovider/internal/platform"
)

//go:embed openapi.yaml
var source []byte

// Module is the control module serving GET /_fakeprovider/openapi.json.
type Module struct {
	once sync.Once
	doc  []byte
	err  error
}

// ControlRoutes implements control.Module.
func (m *Module) ControlRoutes(r *control.Routes, api *control.API) {
	r.Handle("/openapi.json", http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		m.once.Do(func() { m.doc, m.err = Document(api.Mounts) })
		if m.err != nil {
			controlapi.WriteError(w, http.StatusInternalServerError, controlapi.CodeInternal, m.err.Error())
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(m.doc)
	})).Methods(http.MethodGet)
}

var pathVar = regexp.MustCompile(`\{([^}:]+)(:[^}]*)?\}`)

// Document returns the JSON document: openapi.yaml plus the control
// endpoints of mounts.
func Document(mounts []*platform.Mount) ([]byte, error) {
	var doc map[string]any
	if err := yaml.Unmarshal(source, &doc); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	paths, ok := doc["paths"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("openapi.yaml: no paths")
	}
	for _, m := range mounts {
		for _, c := range m.Controls() {
			p := "/" + m.Provider() + pathVar.ReplaceAllString(c.Path, "{$1}")
			item, _ := paths[p].(map[string]any)
			if item == nil {
				item = map[string]any{}
				paths[p] = item
			}
			params := []any{map[string]any{"$ref": "#/components/parameters/tenant"}}
			for _, v := range pathVar.FindAllStringSubmatch(c.Path, -1) {
				params = append(params, map[string]any{"name": v[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
			}
			op := map[string]any{
				"operationId": m.Provider() + "_" + strings.ToLower(c.Method) + opName(c.Path),
				"summary":     fmt.Sprintf("%s control: %s %s (see emulator/%s/README.md)", m.Provider(), c.Method, c.Path, m.Provider()),
				"tags":        []any{m.Provider()},
				"parameters":  params,
				"responses": map[string]any{
					"default": map[string]any{
						"description": "the provider control's answer",
						"content": map[string]any{"application/json": map[string]any{
							"schema": map[string]any{"$ref": "#/components/schemas/ProviderControlAnswer"}}},
					},
				},
			}
			if c.Method == http.MethodPost || c.Method == http.MethodPut || c.Method == http.MethodPatch {
				op["requestBody"] = map[string]any{"required": false, "content": map[string]any{
					"application/json": map[string]any{"schema": map[string]any{}}}}
			}
			item[strings.ToLower(c.Method)] = op
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

func opName(path string) string {
	var b strings.Builder
	for _, seg := range strings.Split(pathVar.ReplaceAllString(path, "by_$1"), "/") {
		if seg == "" {
			continue
		}
		b.WriteString("_" + strings.NewReplacer("-", "_", ".", "_").Replace(seg))
	}
	return b.String()
}
