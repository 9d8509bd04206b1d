package scenarios

import (
	"io/fs"
	"os"
	"path"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestReadmeListsEveryBuiltin keeps the README's table of built-in
// scenarios complete: every embedded file has its row.
func TestReadmeListsEveryBuiltin(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	err = fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".yaml" {
			return err
		}
		raw, err := fs.ReadFile(FS, p)
		if err != nil {
			return err
		}
		var s struct {
			Name        string `yaml:"name"`
			On          string `yaml:"on"`
			Provider    string `yaml:"provider"`
			Description string `yaml:"description"`
		}
		if err := yaml.Unmarshal(raw, &s); err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		if !strings.Contains(string(readme), "`"+s.Name+"`") {
			desc := strings.Join(strings.Fields(s.Description), " ")
			missing = append(missing, "| "+s.Provider+" | `"+s.Name+"` | `"+s.On+"` | "+desc+" |")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 {
		t.Errorf("scenarios/README.md lacks rows for built-in scenarios; add:\n%s", strings.Join(missing, "\n"))
	}
}
