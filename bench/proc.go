package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// proc is a child process serving HTTP.
type proc struct {
	cmd  *exec.Cmd
	URL  string
	done chan struct{}
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// startProc runs cmd (whose --addr is addr) and waits until path answers
// 200; it returns the time from Start to the first healthy answer.
func startProc(cmd *exec.Cmd, addr, path string) (*proc, time.Duration, error) {
	cmd.Stdout = nil
	var stderr strings.Builder
	cmd.Stderr = &lockedWriter{b: &stderr}
	p := &proc{cmd: cmd, URL: "http://" + addr, done: make(chan struct{})}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: time.Second}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	go func() { cmd.Wait(); close(p.done) }()
	for {
		resp, err := client.Get(p.URL + path)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, time.Since(t0), nil
			}
		}
		select {
		case <-p.done:
			return nil, 0, fmt.Errorf("%s exited before healthy: %s", cmd.Path, stderr.String())
		default:
		}
		if time.Since(t0) > 30*time.Second {
			p.Kill()
			return nil, 0, fmt.Errorf("%s not healthy after 30s: %s", cmd.Path, stderr.String())
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// Kill ends the process (SIGKILL) and waits.
func (p *proc) Kill() {
	if p == nil {
		return
	}
	p.cmd.Process.Kill()
	<-p.done
}

// Stop ends the process gracefully (SIGINT) and waits up to 10 s.
func (p *proc) Stop() {
	p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.Kill()
	}
}

// RSS is the resident set size in bytes (VmRSS), 0 if unknown.
func (p *proc) RSS() int64 { return statusField(p.cmd.Process.Pid, "VmRSS:") }

// Anon is the anonymous part of the RSS (RssAnon: heap, stacks), without
// the pages of the mapped bbolt file (RssFile), which grow with the data.
func (p *proc) Anon() int64 { return statusField(p.cmd.Process.Pid, "RssAnon:") }

// CPU is the process's user and system CPU time so far (/proc/<pid>/stat,
// in clock ticks of 10 ms), 0 when unreadable.
func (p *proc) CPU() time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// The command name may hold spaces: fields count from after its ")".
	i := strings.LastIndexByte(string(raw), ')')
	if i < 0 {
		return 0
	}
	fs := strings.Fields(string(raw[i+1:]))
	if len(fs) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fs[11], 10, 64)
	stime, _ := strconv.ParseInt(fs[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// statusField reads a kB field of /proc/<pid>/status, in bytes.
func statusField(pid int, field string) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field); ok {
			fs := strings.Fields(rest)
			if len(fs) > 0 {
				kb, _ := strconv.ParseInt(fs[0], 10, 64)
				return kb << 10
			}
		}
	}
	return 0
}

type lockedWriter struct {
	mu sync.Mutex
	b  *strings.Builder
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.b.Len() < 64<<10 {
		w.b.Write(p)
	}
	return len(p), nil
}

// startBaseline runs the bare baseline server (bench/hello, built by
// buildBinaries) and returns the time to its first answer.
func startBaseline(hello string) (*proc, time.Duration, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, 0, err
	}
	return startProc(exec.Command(hello, addr), addr, "/")
}

// buildBinary builds the main package pkg (e.g. ./cmd/fakeprovider) into
// dir as name.
func buildBinary(ctx context.Context, dir, name, pkg string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, name)
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", bin, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", err
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("not inside the fakeprovider module")
	}
	return filepath.Dir(mod), nil
}

// startBinary runs the fakeprovider binary with extra args on a free port.
func startBinary(bin string, args ...string) (*proc, time.Duration, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, 0, err
	}
	return startBinaryAt(bin, addr, args...)
}

// startBinaryAt is startBinary on a given address (a restart keeps the
// URL that prepared requests carry).
func startBinaryAt(bin, addr string, args ...string) (*proc, time.Duration, error) {
	cmd := exec.Command(bin, append([]string{"--addr", addr}, args...)...)
	cmd.Env = append(os.Environ(), "FAKEPROVIDER_LOG_LEVEL=error")
	return startProc(cmd, addr, "/_fakeprovider/health")
}

// startupMedian starts and kills the binary n times (temporary mode),
// each start right after one of the bare baseline server, and returns the
// median times to the first healthy answer of both: alternating them
// exposes both to the same load on a shared machine.
func startupMedian(bin, hello string, n int) (time.Duration, []time.Duration, time.Duration, error) {
	var ds, bs []time.Duration
	for range n {
		bp, bd, err := startBaseline(hello)
		if err != nil {
			return 0, nil, 0, err
		}
		bp.Kill()
		bs = append(bs, bd)
		p, d, err := startBinary(bin)
		if err != nil {
			return 0, nil, 0, err
		}
		p.Stop()
		ds = append(ds, d)
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	slices.Sort(bs)
	return s[len(s)/2], ds, bs[len(bs)/2], nil
}

// fsyncLimit measures the disk's raw write+fsync rate in dir with workers
// goroutines, each rewriting its own 4 KiB file.
func fsyncLimit(dir string, workers int, d time.Duration) (float64, error) {
	var n atomic.Int64
	var firstErr atomic.Value
	deadline := time.Now().Add(d)
	buf := make([]byte, 4096)
	var wg sync.WaitGroup
	t0 := time.Now()
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f, err := os.Create(filepath.Join(dir, fmt.Sprintf("fsync-%d", i)))
			if err != nil {
				firstErr.CompareAndSwap(nil, err)
				return
			}
			defer f.Close()
			for time.Now().Before(deadline) {
				if _, err := f.WriteAt(buf, 0); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				if err := f.Sync(); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	if e, ok := firstErr.Load().(error); ok {
		return 0, e
	}
	return float64(n.Load()) / time.Since(t0).Seconds(), nil
}
