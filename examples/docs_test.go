package examples

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

var runBlock = regexp.MustCompile("(?s)<!-- run(?: provider=([a-z0-9]+))?(?: expect=(\"(?:[^\"\\\\]|\\\\.)*\"))? -->\\s*```sh\\n(.*?)```")

// TestCurlWalkthroughs runs the blocks of docs/examples-curl.md marked
// <!-- run --> with bash, in order and in one shell session, against the
// real binary, with `fakeprovider` on PATH. A block's expect="…" must occur
// in its output; a block marked provider=NAME is skipped while that provider
// is not in the build.
func TestCurlWalkthroughs(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("no curl")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	raw, err := os.ReadFile("../docs/examples-curl.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := runBlock.FindAllStringSubmatch(string(raw), -1)
	if len(blocks) < 4 {
		t.Fatalf("only %d runnable blocks", len(blocks))
	}
	p := platformtest.StartBinary(t)
	bin := platformtest.Binary(t)
	dir := t.TempDir()
	if err := os.Symlink(bin, filepath.Join(dir, "fakeprovider")); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	have := map[string]bool{}
	for _, pr := range app.Providers() {
		have[pr.Name()] = true
	}
	prelude := ""
	for i, b := range blocks {
		if b[1] != "" && !have[b[1]] {
			t.Logf("block %d: provider %s not in this build, skipped", i+1, b[1])
			continue
		}
		script := strings.ReplaceAll(b[3], "http://127.0.0.1:8080", p.URL)
		cmd := exec.Command("bash", "-euo", "pipefail", "-c", prelude+script)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("block %d failed: %v\n%s\noutput:\n%s", i+1, err, script, out)
		}
		if b[2] != "" {
			want, err := strconv.Unquote(b[2])
			if err != nil {
				t.Fatalf("block %d: expect=%s: %v", i+1, b[2], err)
			}
			if !strings.Contains(string(out), want) {
				t.Errorf("block %d: output lacks %q\n%s\noutput:\n%s", i+1, want, script, out)
			}
		}
		// Variables set by a block (FP=…) carry over to the next ones.
		for _, line := range strings.Split(script, "\n") {
			if regexp.MustCompile(`^[A-Z_]+=\S+$`).MatchString(line) {
				prelude += line + "\n"
			}
		}
	}
}

// TestReadmeFirstScreenSnippet keeps the Go example of the README's first
// screen identical to the test that runs it (badactor/readme_test.go).
func TestReadmeFirstScreenSnippet(t *testing.T) {
	doc, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("badactor/readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	fn := string(src[strings.Index(string(src), "func TestScreening"):])
	if !strings.Contains(string(doc), fn) {
		t.Errorf("README.md does not contain badactor/readme_test.go's TestScreening verbatim:\n%s", fn)
	}
	if !strings.Contains(string(doc), "docs/inspector.png") {
		t.Error("the first screen lacks the inspector screenshot")
	}
	if _, err := os.Stat("../docs/inspector.png"); err != nil {
		t.Error(err)
	}
}

var shBlock = regexp.MustCompile("(?s)(<!--[^\\n]*-->\\s*)?```(?:sh|bash|console)\\n(.*?)```")

// TestEveryDocumentedCommandRuns: a shell block of docs/*.md that runs curl
// or fakeprovider is marked <!-- run … --> (and so executed by
// TestCurlWalkthroughs, for examples-curl.md) or says why it is not
// (<!-- norun: reason -->), so that no documented command goes stale
// unnoticed.
func TestEveryDocumentedCommandRuns(t *testing.T) {
	files, err := filepath.Glob("../docs/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no docs: %v", err)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range shBlock.FindAllStringSubmatchIndex(string(raw), -1) {
			body := string(raw[m[4]:m[5]])
			if !strings.Contains(body, "curl ") && !strings.Contains(body, "fakeprovider ") {
				continue
			}
			marker := ""
			if m[2] >= 0 {
				marker = string(raw[m[2]:m[3]])
			}
			line := strings.Count(string(raw[:m[0]]), "\n") + 1
			switch {
			case strings.HasPrefix(marker, "<!-- run"):
				if filepath.Base(f) != "examples-curl.md" {
					t.Errorf("%s:%d: a <!-- run --> block outside examples-curl.md is not executed", f, line)
				}
			case strings.HasPrefix(marker, "<!-- norun: "):
			default:
				t.Errorf("%s:%d: a documented command that no test runs; mark it <!-- run … --> (examples-curl.md) or <!-- norun: why -->", f, line)
			}
		}
	}
}

var mdLink = regexp.MustCompile(`\]\(([^)#\s]+)(?:#[^)]*)?\)`)

// TestDocsCiteRepositoryFiles: the relative links of the READMEs and docs
// lead to files of this repository, and no page cites the research notes
// as if they were in it.
func TestDocsCiteRepositoryFiles(t *testing.T) {
	var files []string
	for _, pat := range []string{"../*.md", "../docs/*.md", "../emulator/*/README.md", "../scenarios/*/README.md", "../scenarios/README.md", "../testcontainers/*/README.md", "*.md"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(raw), "shared/specs") || strings.Contains(string(raw), "shared/seeds") {
			t.Errorf("%s cites shared/, which is not in the repository", f)
		}
		for _, m := range mdLink.FindAllStringSubmatch(string(raw), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(f), target)); err != nil {
				t.Errorf("%s links to %s, which does not exist", f, target)
			}
		}
	}
}
