package platformtest

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func newLoopbackServer(t testing.TB, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
)

// Binary builds cmd/fakeprovider once per test process and returns its path.
func Binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			buildErr = err
			return
		}
		reapBinaries(os.TempDir())
		// The directory names the test process, so that a later run can
		// remove it once the process is gone (a sync.Once has no end to
		// hook a removal to; go test runs packages in parallel, each
		// building its own copy).
		dir, err := os.MkdirTemp("", binDirPrefix+strconv.Itoa(os.Getpid())+"-")
		if err != nil {
			buildErr = err
			return
		}
		buildPath = filepath.Join(dir, "fakeprovider")
		cmd := exec.Command("go", "build", "-o", buildPath, "./cmd/fakeprovider")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatalf("platformtest: %v", buildErr)
	}
	return buildPath
}

const binDirPrefix = "fakeprovider-bin-"

// reapBinaries removes the binaries earlier test processes built under tmp:
// those of processes that are gone, and unnamed ones older than a day.
func reapBinaries(tmp string) {
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), binDirPrefix)
		if !ok || !e.IsDir() {
			continue
		}
		pidText, _, _ := strings.Cut(rest, "-")
		if pid, err := strconv.Atoi(pidText); err == nil && pid > 0 {
			if syscall.Kill(pid, 0) == syscall.ESRCH {
				os.RemoveAll(filepath.Join(tmp, e.Name()))
			}
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > 24*time.Hour {
			os.RemoveAll(filepath.Join(tmp, e.Name()))
		}
	}
}

func moduleRoot() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", fmt.Errorf("cannot locate the module root")
	}
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", "..")), nil
}

// Process is a running fakeprovider binary.
type Process struct {
	URL    string
	Addr   string
	Stdout *strings.Builder
	cmd    *exec.Cmd
	waited chan error
	mu     sync.Mutex
}

// FreeAddr returns a loopback address with a port free at the moment.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// StartBinary runs the real binary with args (plus --addr on a free port
// unless args set one) and waits for its ready line. It is killed at the
// end of the test if still running.
func StartBinary(t testing.TB, args ...string) *Process {
	t.Helper()
	bin := Binary(t)
	addr := ""
	for i, a := range args {
		if a == "--addr" && i+1 < len(args) {
			addr = args[i+1]
		} else if strings.HasPrefix(a, "--addr=") {
			addr = strings.TrimPrefix(a, "--addr=")
		}
	}
	if addr == "" {
		addr = FreeAddr(t)
		args = append([]string{"--addr", addr}, args...)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "FAKEPROVIDER_LOG_LEVEL=warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &lockedWriter{b: &stderr}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start binary: %v", err)
	}
	p := &Process{Addr: addr, Stdout: &strings.Builder{}, cmd: cmd, waited: make(chan error, 1)}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.Stdout.WriteString(line + "\n")
			p.mu.Unlock()
			if rest, ok := strings.CutPrefix(line, "fakeprovider ready on "); ok {
				select {
				case ready <- rest:
				default:
				}
			}
		}
	}()
	go func() { p.waited <- cmd.Wait() }()
	t.Cleanup(func() { p.Kill() })
	select {
	case url := <-ready:
		p.URL = strings.TrimSpace(url)
	case err := <-p.waited:
		p.waited <- err
		t.Fatalf("binary exited before ready: %v\nstderr:\n%s", err, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("binary not ready after 30s\nstderr:\n%s", stderr.String())
	}
	return p
}

// PID is the process id.
func (p *Process) PID() int { return p.cmd.Process.Pid }

// Output is what the process printed on stdout so far.
func (p *Process) Output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.Stdout.String()
}

// WaitOutput waits up to timeout for stdout to contain substr and
// reports whether it did: the reader goroutine may still be copying lines
// that the process wrote before it answered.
func (p *Process) WaitOutput(substr string, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		if strings.Contains(p.Output(), substr) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Stop sends SIGTERM and waits for the exit (bounded).
func (p *Process) Stop(t testing.TB) error {
	t.Helper()
	if p.cmd.Process == nil {
		return nil
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.waited:
		p.waited <- err
		return err
	case <-time.After(15 * time.Second):
		p.cmd.Process.Kill()
		t.Fatalf("binary did not stop within 15s of SIGTERM")
		return nil
	}
}

// Kill sends SIGKILL (a crash) and waits for the exit.
func (p *Process) Kill() {
	if p.cmd.Process == nil {
		return
	}
	p.cmd.Process.Kill()
	select {
	case err := <-p.waited:
		p.waited <- err
	case <-time.After(10 * time.Second):
	}
}

// WaitHealthy polls the health endpoint until it answers 200 (bounded).
func WaitHealthy(ctx context.Context, url string) error {
	for {
		resp, err := http.Get(url + "/_fakeprovider/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
}

type lockedWriter struct {
	mu sync.Mutex
	b  *strings.Builder
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}
