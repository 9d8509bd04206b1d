package containertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/fakeprovider/fakeprovider/examples/merchant"
	"github.com/fakeprovider/fakeprovider/fakeprovidertest"
)

const maxImageBytes = 20 << 20

// The image built each way: its configuration, and a container of it in
// temporary mode, from start to SIGTERM.
func TestImage(t *testing.T) {
	for _, b := range builders {
		t.Run(b.name, func(t *testing.T) {
			img := image(t, b.name)
			t.Logf("make docker (%s): %s", b.name, images.timings[b.name].Round(time.Second))
			for _, note := range images.notes[b.name] {
				t.Log(note)
			}

			size, _ := strconv.ParseInt(must(t, "image", "inspect", "--format", "{{.Size}}", img), 10, 64)
			t.Logf("image size (%s): %d bytes (%.1f MB)", b.name, size, float64(size)/1e6)
			if size > maxImageBytes {
				t.Errorf("image is %d bytes, more than %d", size, maxImageBytes)
			}
			var cfg struct {
				User        string
				Volumes     map[string]any
				Healthcheck struct{ Test []string }
			}
			if err := json.Unmarshal([]byte(must(t, "image", "inspect", "--format", "{{json .Config}}", img)), &cfg); err != nil {
				t.Fatal(err)
			}
			if cfg.User != "65534:65534" {
				t.Errorf("image user %q, want 65534:65534", cfg.User)
			}
			if _, ok := cfg.Volumes["/data"]; !ok {
				t.Errorf("volumes %v, want /data", cfg.Volumes)
			}
			if strings.Join(cfg.Healthcheck.Test, " ") != "CMD /fakeprovider health" {
				t.Errorf("healthcheck %q", cfg.Healthcheck.Test)
			}

			start := time.Now()
			c := run(t, img, nil, nil)
			out := c.waitLog("fakeprovider ready on", 10*time.Second)
			var ready string
			for _, line := range strings.Split(out, "\n") {
				if strings.HasPrefix(line, "fakeprovider ready on") {
					ready = line
				}
			}
			if ready != "fakeprovider ready on http://localhost:8080" {
				t.Errorf("ready line %q, want a URL to open: http://localhost:8080", ready)
			}
			healthy := c.waitHealthy(start, 5*time.Second)
			t.Logf("health answered %s after docker run", healthy.Round(time.Millisecond))
			must(t, "exec", c.Name, "/fakeprovider", "health")
			took := c.waitInspect("{{.State.Health.Status}}", "healthy", 30*time.Second)
			t.Logf("docker inspect: healthy %s later", took.Round(100*time.Millisecond))

			// docker top wants a PID column: "PID UID", then one line per process.
			top := strings.Fields(must(t, "top", c.Name, "-o", "pid,uid"))
			if len(top) < 4 || top[3] != "65534" {
				t.Errorf("docker top: %v, want the process to run as 65534", top)
			}

			// Temporary mode: a state file in /tmp, written as 65534.
			if !strings.Contains(c.waitLog("started", 5*time.Second), "temporary=true") {
				t.Errorf("not in temporary mode:\n%s", out)
			}
			fp := fakeprovidertest.Connect(t, c.URL)
			id := createDeposit(t, fp.Tenant, c.URL)
			if !strings.Contains(string(fp.State("d24")), id) {
				t.Errorf("deposit %s not in the state", id)
			}

			stop := time.Now()
			must(t, "kill", "--signal", "TERM", c.Name)
			code := must(t, "wait", c.Name)
			stopped := time.Since(stop)
			t.Logf("SIGTERM to exit: %s", stopped.Round(time.Millisecond))
			if code != "0" {
				t.Errorf("exit code %s after SIGTERM, want 0", code)
			}
			if stopped > 2*time.Second {
				t.Errorf("SIGTERM took %s to stop, want ≤ 2s", stopped)
			}
		})
	}
}

// createDeposit makes a D24 deposit as the tenant and returns its id.
func createDeposit(t *testing.T, fp *fakeprovidertest.Tenant, base string) string {
	t.Helper()
	shop := merchant.New(base+"/d24", func(req *http.Request, body []byte) error { return fp.SignAs("d24", req, body) })
	dep, err := shop.CreateDeposit(context.Background(), fmt.Sprintf("order-%d", time.Now().UnixNano()), 100, "BR", "BRL")
	if err != nil {
		t.Fatal(err)
	}
	return dep.DepositID.String()
}

// --data /data/state.db on a named volume keeps what was created across
// docker restart and across a new container.
func TestDataVolume(t *testing.T) {
	img := image(t, "classic")
	vol := name("vol")
	must(t, "volume", "create", vol)
	t.Cleanup(func() { docker(context.Background(), "volume", "rm", "-f", vol) })

	c := run(t, img, []string{"-v", vol + ":/data"}, []string{"--data", "/data/state.db"})
	c.waitHealthy(time.Now(), 10*time.Second)
	id := createDeposit(t, fakeprovidertest.Connect(t, c.URL).Tenant, c.URL)

	must(t, "restart", "--time", "5", c.Name)
	c.refreshURL()
	c.waitHealthy(time.Now(), 10*time.Second)
	if st := fakeprovidertest.Connect(t, c.URL).State("d24"); !strings.Contains(string(st), id) {
		t.Fatalf("after docker restart, deposit %s is gone: %s", id, st)
	}

	must(t, "rm", "-f", c.Name)
	c2 := run(t, img, []string{"-v", vol + ":/data"}, []string{"--data", "/data/state.db"})
	c2.waitHealthy(time.Now(), 10*time.Second)
	if st := fakeprovidertest.Connect(t, c2.URL).State("d24"); !strings.Contains(string(st), id) {
		t.Fatalf("in a new container on the volume, deposit %s is gone: %s", id, st)
	}
}

// composeService is the part of a compose service the test reproduces.
type composeService struct {
	Ports       []string          `yaml:"ports"`
	Environment map[string]string `yaml:"environment"`
	Volumes     []string          `yaml:"volumes"`
	ExtraHosts  []string          `yaml:"extra_hosts"`
	Healthcheck struct {
		Test     []string `yaml:"test"`
		Interval string   `yaml:"interval"`
		Timeout  string   `yaml:"timeout"`
		Retries  int      `yaml:"retries"`
	} `yaml:"healthcheck"`
}

// The docker compose example's fakeprovider service, reproduced with docker
// run on a network of the test's own (as compose makes one per project),
// with the examples' tests run against it from this machine: their webhook
// receivers listen on 127.0.0.1 here and the webhooks reach them through
// FAKEPROVIDER_WEBHOOK_LOOPBACK_HOST and extra_hosts.
func TestComposeExampleWithExamplesTests(t *testing.T) {
	img := image(t, "classic")
	raw, err := os.ReadFile("../../examples/docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Services map[string]composeService `yaml:"services"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	svc, ok := doc.Services["fakeprovider"]
	if !ok {
		t.Fatal("no fakeprovider service in the compose example")
	}
	if svc.Environment["FAKEPROVIDER_WEBHOOK_LOOPBACK_HOST"] != "host.docker.internal" {
		t.Errorf("the compose example does not send loopback webhooks to host.docker.internal: %v", svc.Environment)
	}
	if want := []string{"CMD", "/fakeprovider", "health"}; len(svc.Healthcheck.Test) < 3 || strings.Join(svc.Healthcheck.Test[:3], " ") != strings.Join(want, " ") {
		// docker run cannot give an exec-form health command: the image's
		// own one is used, which must be the same.
		t.Errorf("compose healthcheck %q is not the image's %q", svc.Healthcheck.Test, want)
	}

	network := name("net")
	must(t, "network", "create", network)
	t.Cleanup(func() { docker(context.Background(), "network", "rm", network) })
	vol := name("vol")
	must(t, "volume", "create", vol)
	t.Cleanup(func() { docker(context.Background(), "volume", "rm", "-f", vol) })

	args := []string{"--network", network, "--network-alias", "fakeprovider",
		"--health-interval", svc.Healthcheck.Interval, "--health-timeout", svc.Healthcheck.Timeout,
		"--health-retries", strconv.Itoa(svc.Healthcheck.Retries)}
	for k, v := range svc.Environment {
		args = append(args, "-e", k+"="+v)
	}
	for _, h := range svc.ExtraHosts {
		args = append(args, "--add-host", h)
	}
	for _, v := range svc.Volumes {
		src, dst, _ := strings.Cut(v, ":")
		if src != "fakeprovider-data" {
			t.Fatalf("unexpected volume %q", v)
		}
		args = append(args, "-v", vol+":"+dst)
	}
	for _, p := range svc.Ports {
		// Published on a random loopback port here, not the fixed one.
		_, ctrPort, _ := strings.Cut(strings.Fields(p)[0], ":")
		if ctrPort = strings.Trim(ctrPort, `"`); ctrPort != "8080" {
			args = append(args, "-p", "127.0.0.1::"+ctrPort)
		}
	}
	c := run(t, img, args, nil)
	c.waitInspect("{{.State.Health.Status}}", "healthy", 60*time.Second)

	start := time.Now()
	cmd := exec.Command("go", "test", "-count=1", "./examples/merchant/", "./examples/badactor/")
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), fakeprovidertest.EnvURL+"="+c.URL)
	out, err := cmd.CombinedOutput()
	t.Logf("examples' tests against the container (%s):\n%s", time.Since(start).Round(time.Second), out)
	if err != nil {
		t.Fatalf("examples' tests failed against the container: %v\n%s", err, c.logs())
	}
}
