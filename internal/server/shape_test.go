package server

import (
	"regexp"
	"strings"
	"testing"
)

// shape erases variable names as the regular expression \{[^}]*\} does.
func TestShape(t *testing.T) {
	re := regexp.MustCompile(`\{[^}]*\}`)
	for _, path := range []string{
		"/", "/v1/deposits", "/v1/deposits/{id}", "/v1/{network}/users/{user_id}/", "/{a}{b}", "/x/{a{b}/y",
		"/open/{unclosed", "/a/{}/b", "/v3/{id:[0-9]+}", "/trailing/",
	} {
		want := strings.TrimSuffix(re.ReplaceAllString(path, "{}"), "/")
		if got := shape(path); got != want {
			t.Errorf("shape(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestIsNameVar(t *testing.T) {
	for seg, want := range map[string]bool{
		"{id}": true, "{_x1}": true, "{Network}": true, "{}": false, "{1a}": false, "{id:[0-9]+}": false,
		"id}": false, "{id": false, "{a-b}": false, "a{id}": false, "{id}b": false, "{é}": false,
	} {
		if got := isNameVar(seg); got != want {
			t.Errorf("isNameVar(%q) = %v, want %v", seg, got, want)
		}
	}
}
