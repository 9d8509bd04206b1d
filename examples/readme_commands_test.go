package examples

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/fakeprovider/fakeprovider/internal/platformtest"
)

// notRun lists the documented commands no test runs, each with why: a
// command containing the key is skipped with the reason.
var notRun = []struct{ contains, reason string }{
	{"docker", "needs Docker (the image is built and run by examples/deploy_test.go and testcontainers/)"},
	{"@latest", "needs the network (go install fetches from the module proxy)"},
}

var fence = regexp.MustCompile("(?s)```([a-z]*)\\n(.*?)```")

// documented is one command of a README: where it is, the command line,
// and for a console transcript the output lines shown after it.
type documented struct {
	where, command string
	output         []string
}

// readmeCommands extracts the curl and fakeprovider commands of a
// Markdown file's sh, bash, console and unlabelled blocks. In a block with
// `$ ` prompts only the prompted lines are commands and the rest is their
// output; elsewhere every line starting with a command is one.
func readmeCommands(t *testing.T, file string) []documented {
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var cmds []documented
	for _, m := range fence.FindAllStringSubmatchIndex(string(raw), -1) {
		lang := string(raw[m[2]:m[3]])
		if lang != "" && lang != "sh" && lang != "bash" && lang != "console" {
			continue
		}
		line := strings.Count(string(raw[:m[0]]), "\n") + 2
		lines := strings.Split(strings.ReplaceAll(string(raw[m[4]:m[5]]), "\\\n", " "), "\n")
		prompted := strings.Contains("\n"+string(raw[m[4]:m[5]]), "\n$ ")
		for i, l := range lines {
			where := file + ":" + strconv.Itoa(line+i)
			switch {
			case prompted && strings.HasPrefix(l, "$ "):
				cmds = append(cmds, documented{where: where, command: strings.TrimPrefix(l, "$ ")})
			case prompted && len(cmds) > 0 && strings.TrimSpace(l) != "":
				cmds[len(cmds)-1].output = append(cmds[len(cmds)-1].output, l)
			case !prompted && isCommand(l):
				cmds = append(cmds, documented{where: where, command: l})
			}
		}
	}
	return cmds
}

func isCommand(l string) bool {
	for _, p := range []string{"curl ", "fakeprovider", "go run ./cmd/fakeprovider", "go install ", "docker ", "make docker"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

// serverArgs is the arguments of a command that runs the emulator (go run
// ./cmd/fakeprovider, fakeprovider, fakeprovider serve), if it is one.
func serverArgs(command string) ([]string, bool) {
	if i := strings.Index(command, " #"); i >= 0 {
		command = command[:i]
	}
	f := strings.Fields(command)
	switch {
	case len(f) >= 3 && f[0] == "go" && f[1] == "run" && f[2] == "./cmd/fakeprovider":
		f = f[3:]
	case len(f) >= 1 && f[0] == "fakeprovider":
		f = f[1:]
	default:
		return nil, false
	}
	if len(f) > 0 && f[0] == "serve" {
		f = f[1:]
	}
	if len(f) > 0 && !strings.HasPrefix(f[0], "-") {
		return nil, false // a subcommand
	}
	return f, true
}

// TestReadmeCommandsRun runs every curl and fakeprovider command of the
// READMEs against the real binary (docs/*.md are TestCurlWalkthroughs' and
// TestEveryDocumentedCommandRuns'): a command that runs the emulator is
// started and must become ready; any other must exit 0 (curl failing on an
// HTTP error answer), and a console
// transcript's output lines (those without an elision …) must occur in its
// output. The commands of notRun are skipped, each with its reason.
func TestReadmeCommandsRun(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("no curl")
	}
	var files []string
	for _, pat := range []string{"../README.md", "../emulator/*/README.md", "README.md"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	p := platformtest.StartBinary(t)
	bin := platformtest.Binary(t)
	dir := t.TempDir()
	if err := os.Symlink(bin, filepath.Join(dir, "fakeprovider")); err != nil {
		t.Fatal(err)
	}
	// curl fails on an HTTP error answer (a documented call must succeed).
	if err := os.WriteFile(filepath.Join(dir, ".curlrc"), []byte("fail\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"), "CURL_HOME="+dir)
	ran := 0
	for _, f := range files {
		work := t.TempDir() // a file's commands share a directory (a cookie jar)
	commands:
		for _, c := range readmeCommands(t, f) {
			for _, n := range notRun {
				if strings.Contains(c.command, n.contains) {
					t.Logf("%s: not run, %s: %s", c.where, n.reason, c.command)
					continue commands
				}
			}
			ran++
			if args, ok := serverArgs(c.command); ok {
				platformtest.StartBinary(t, args...).Kill()
				continue
			}
			script := strings.NewReplacer("http://127.0.0.1:8080", p.URL, "http://localhost:8080", p.URL).Replace(c.command)
			cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
			cmd.Env, cmd.Dir = env, work
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("%s: %v\n%s\noutput:\n%s", c.where, err, script, out)
				continue
			}
			for _, want := range c.output {
				if !strings.Contains(want, "…") && !strings.Contains(string(out), want) {
					t.Errorf("%s: output lacks the documented %q\n%s\noutput:\n%s", c.where, want, script, out)
				}
			}
		}
	}
	if ran < 5 {
		t.Errorf("only %d README commands ran", ran)
	}
}
