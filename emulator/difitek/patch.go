package difitek

import (
	"bytes"
	"encoding/json"
)

// mergeObjects merges a patch object into the current one, one level deep
// (PATCH {"address":{"city":"Leeds"}} keeps the rest of the address); any
// other value replaces the current one.
func mergeObjects(cur, patch json.RawMessage) json.RawMessage {
	var c, p map[string]json.RawMessage
	if json.Unmarshal(cur, &c) != nil || json.Unmarshal(patch, &p) != nil || c == nil || p == nil {
		return patch
	}
	for k, v := range p {
		c[k] = v
	}
	out, err := json.Marshal(c)
	if err != nil {
		return patch
	}
	return out
}

// patchRecord overlays the allowed keys of a JSON object body onto rec
// (other keys are ignored, as the service ignores unknown fields). A value
// of the wrong type is error 30003 naming the field.
func patchRecord[T any](rec T, body []byte, allowedKeys ...string) (T, map[string]json.RawMessage, error) {
	in := map[string]json.RawMessage{}
	body = bytes.TrimSpace(body)
	if len(body) > 0 {
		if body[0] != '{' {
			return rec, nil, errInvalidJSON.with("Request body must be a JSON object")
		}
		if err := json.Unmarshal(body, &in); err != nil {
			return rec, nil, errInvalidJSON.with("Request body is not valid JSON: %v", err)
		}
	}
	raw, err := json.Marshal(rec)
	if err != nil {
		return rec, nil, err
	}
	cur := map[string]json.RawMessage{}
	if err := json.Unmarshal(raw, &cur); err != nil {
		return rec, nil, err
	}
	for _, k := range allowedKeys {
		v, ok := in[k]
		if !ok {
			continue
		}
		// Each field is checked alone so the error names it.
		one, _ := json.Marshal(map[string]json.RawMessage{k: v})
		var probe T
		if err := json.Unmarshal(one, &probe); err != nil {
			return rec, nil, errInvalidParam.with("Invalid value for %s", k).withField(k, "invalid type")
		}
		cur[k] = mergeObjects(cur[k], v)
	}
	merged, _ := json.Marshal(cur)
	var out T
	if err := json.Unmarshal(merged, &out); err != nil {
		return rec, nil, errInvalidParam.with("Invalid values: %v", err)
	}
	return out, in, nil
}
