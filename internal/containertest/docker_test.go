package containertest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// EnvRequireDocker makes the tests fail instead of skip without a daemon.
const EnvRequireDocker = "FAKEPROVIDER_REQUIRE_DOCKER"

// repoRoot is where make runs.
var repoRoot = filepath.Join("..", "..")

var daemon struct {
	once sync.Once
	err  error
}

// requireDocker skips (or, in CI, fails) the test without a daemon.
func requireDocker(t *testing.T) {
	t.Helper()
	daemon.once.Do(func() {
		_, daemon.err = docker(context.Background(), "version", "--format", "{{.Server.Version}}")
	})
	if daemon.err == nil {
		return
	}
	if os.Getenv(EnvRequireDocker) == "1" {
		t.Fatalf("no Docker daemon (%s=1): %v", EnvRequireDocker, daemon.err)
	}
	t.Skipf("no Docker daemon: %v", daemon.err)
}

// docker runs the docker CLI and returns its trimmed stdout.
func docker(ctx context.Context, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "docker", args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("docker %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}

// must is docker failing the test on error.
func must(t *testing.T, args ...string) string {
	t.Helper()
	out, err := docker(context.Background(), args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// name is a fresh name for something the test makes.
func name(kind string) string {
	b := make([]byte, 4)
	rand.Read(b)
	return "fpct-" + kind + "-" + hex.EncodeToString(b)
}

// container is a started container and its published shared port.
type container struct {
	t    *testing.T
	Name string
	URL  string // http://127.0.0.1:PORT
}

// run starts a container of image with extra docker run arguments (before
// the image) and command arguments (after it), publishing 8080 on a random
// loopback port; it is removed on cleanup.
func run(t *testing.T, image string, dockerArgs, cmdArgs []string) *container {
	t.Helper()
	n := name("ctr")
	args := append([]string{"run", "-d", "--name", n, "-p", "127.0.0.1::8080"}, dockerArgs...)
	args = append(append(args, image), cmdArgs...)
	must(t, args...)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("logs of %s:\n%s", n, (&container{Name: n}).logs())
		}
		docker(context.Background(), "rm", "-f", "-v", n)
	})
	c := &container{t: t, Name: n}
	c.refreshURL()
	return c
}

// refreshURL reads the published port (it changes across docker restart).
func (c *container) refreshURL() {
	c.t.Helper()
	out := must(c.t, "port", c.Name, "8080/tcp")
	line := strings.SplitN(out, "\n", 2)[0]
	c.URL = "http://" + strings.TrimSpace(line)
}

// waitHealthy waits until the control API answers healthy and returns how
// long that took from since.
func (c *container) waitHealthy(since time.Time, limit time.Duration) time.Duration {
	c.t.Helper()
	client := &http.Client{Timeout: time.Second}
	for {
		resp, err := client.Get(c.URL + "/_fakeprovider/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(since)
			}
		}
		if time.Since(since) > limit {
			c.t.Fatalf("%s not healthy after %s: %v", c.Name, limit, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitLog waits until the container's output contains s.
func (c *container) waitLog(s string, limit time.Duration) string {
	c.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		out := c.logs()
		if strings.Contains(out, s) {
			return out
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("%s: %q not in the output after %s:\n%s", c.Name, s, limit, out)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// logs is the container's output, stdout and stderr.
func (c *container) logs() string {
	out, _ := exec.Command("docker", "logs", c.Name).CombinedOutput()
	return string(out)
}

// waitInspect waits until docker inspect --format format gives want.
func (c *container) waitInspect(format, want string, limit time.Duration) time.Duration {
	c.t.Helper()
	start := time.Now()
	for {
		got, err := docker(context.Background(), "inspect", "--format", format, c.Name)
		if err == nil && got == want {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			c.t.Fatalf("%s: %s is %q after %s, want %q (%v)", c.Name, format, got, limit, want, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// images are the test images, built once per test binary by buildImages.
var images struct {
	once    sync.Once
	byName  map[string]string // builder → image:tag
	err     error
	timings map[string]time.Duration
	notes   map[string][]string // the build script's own summary lines
}

// builders are the two ways the image is built; each gives `make docker`
// its environment.
var builders = []struct {
	name string
	env  func() ([]string, error)
}{
	{"classic", func() ([]string, error) { return []string{"DOCKER_BUILDKIT=0"}, nil }},
	{"buildkit", func() ([]string, error) {
		// The daemon's built-in BuildKit: through buildx when the CLI has
		// it, else through a CLI that talks to it directly (Debian's 20.10).
		if exec.Command("docker", "buildx", "version").Run() == nil {
			return []string{"DOCKER_BUILDKIT=1"}, nil
		}
		for _, cli := range []string{"/usr/bin/docker"} {
			out, err := exec.Command(cli, "version", "--format", "{{.Client.Version}}").Output()
			if err == nil && strings.HasPrefix(string(out), "20.") {
				return []string{"DOCKER_BUILDKIT=1", "DOCKER=" + cli}, nil
			}
		}
		return nil, fmt.Errorf("no docker CLI here builds with BuildKit (no buildx, no 20.10 CLI at /usr/bin/docker)")
	}},
}

// image returns the image built by builder (building both on first use).
func image(t *testing.T, builder string) string {
	t.Helper()
	requireDocker(t)
	images.once.Do(buildImages)
	if images.err != nil {
		t.Fatal(images.err)
	}
	return images.byName[builder]
}

func buildImages() {
	images.byName = map[string]string{}
	images.timings = map[string]time.Duration{}
	images.notes = map[string][]string{}
	for _, b := range builders {
		env, err := b.env()
		if err != nil {
			images.err = err
			return
		}
		repo := name(b.name)
		cmd := exec.Command("make", "docker", "IMAGE="+repo, "VERSION=containertest")
		cmd.Dir = repoRoot
		cmd.Env = append(os.Environ(), env...)
		start := time.Now()
		out, err := cmd.CombinedOutput()
		images.timings[b.name] = time.Since(start)
		if err != nil {
			images.err = fmt.Errorf("make docker (%s): %v\n%s", strings.Join(env, " "), err, out)
			return
		}
		images.byName[b.name] = repo + ":containertest"
		for _, line := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(line, "docker-build:") || strings.HasPrefix(line, "prepared ") {
				images.notes[b.name] = append(images.notes[b.name], line)
			}
		}
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, img := range images.byName {
		repo := strings.TrimSuffix(img, ":containertest")
		docker(context.Background(), "rmi", "-f", img, repo+":latest")
	}
	// The classic builder leaves the build stage behind as an untagged image.
	docker(context.Background(), "image", "prune", "-f", "--filter", "label=org.fakeprovider.stage=build")
	os.Exit(code)
}
