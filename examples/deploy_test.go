// Package examples holds runnable examples; this file checks the docker
// compose and GitHub Actions snippets.
package examples

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// flags are the serve flags of cmd/fakeprovider (from its source), so that
// the env variables used in the snippets are real (--x-y is FAKEPROVIDER_X_Y).
func flags(t *testing.T) map[string]bool {
	t.Helper()
	src, err := os.ReadFile("../cmd/fakeprovider/serve.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, m := range regexp.MustCompile(`f\.\w+\("([a-z0-9-]+)"`).FindAllStringSubmatch(string(src), -1) {
		out["FAKEPROVIDER_"+strings.ToUpper(strings.ReplaceAll(m[1], "-", "_"))] = true
	}
	if len(out) < 5 {
		t.Fatalf("found only %d flags in serve.go", len(out))
	}
	// Per-provider listeners are registered per provider name.
	for _, p := range []string{"D24", "CRM", "DIFITEK", "CROWDTRUST"} {
		out["FAKEPROVIDER_"+p+"_ADDR"] = true
	}
	return out
}

func checkEnv(t *testing.T, where string, env map[string]string, known map[string]bool) {
	t.Helper()
	if env["FAKEPROVIDER_ADDR"] != "0.0.0.0:8080" {
		t.Errorf("%s: FAKEPROVIDER_ADDR = %q; a container must listen on 0.0.0.0:8080", where, env["FAKEPROVIDER_ADDR"])
	}
	for k := range env {
		if !known[k] {
			t.Errorf("%s: %s is not a fakeprovider setting", where, k)
		}
	}
}

func TestDockerCompose(t *testing.T) {
	raw, err := os.ReadFile("docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Ports       []string          `yaml:"ports"`
			Environment map[string]string `yaml:"environment"`
			Healthcheck struct {
				Test     []string `yaml:"test"`
				Interval string   `yaml:"interval"`
				Retries  int      `yaml:"retries"`
			} `yaml:"healthcheck"`
			DependsOn map[string]struct {
				Condition string `yaml:"condition"`
			} `yaml:"depends_on"`
		} `yaml:"services"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(raw)))
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	fp, ok := doc.Services["fakeprovider"]
	if !ok {
		t.Fatal("no fakeprovider service")
	}
	if !strings.HasPrefix(fp.Image, "fakeprovider") {
		t.Errorf("image %q", fp.Image)
	}
	if !contains(fp.Ports, "8080:8080") {
		t.Errorf("ports %v lack 8080:8080", fp.Ports)
	}
	if fp.Environment["FAKEPROVIDER_D24_ADDR"] != "" && !contains(fp.Ports, "8089:8089") {
		t.Errorf("D24 listener not published: %v", fp.Ports)
	}
	// Exec form: the image is FROM scratch, without a shell.
	if got := strings.Join(fp.Healthcheck.Test, " "); !strings.HasPrefix(got, "CMD /fakeprovider health") {
		t.Errorf("healthcheck %q; want exec form running /fakeprovider health", got)
	}
	if fp.Healthcheck.Interval == "" || fp.Healthcheck.Retries == 0 {
		t.Errorf("healthcheck lacks interval or retries: %+v", fp.Healthcheck)
	}
	checkEnv(t, "docker-compose.yml", fp.Environment, flags(t))
	if c := doc.Services["merchant"].DependsOn["fakeprovider"].Condition; c != "service_healthy" {
		t.Errorf("merchant depends on fakeprovider with condition %q", c)
	}
	// The Dockerfile's health check is the same command.
	df, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(df), `HEALTHCHECK`) || !strings.Contains(string(df), `"/fakeprovider","health"`) || !strings.Contains(string(df), "EXPOSE 8080") {
		t.Error("the Dockerfile no longer has EXPOSE 8080 and HEALTHCHECK /fakeprovider health: update the examples")
	}
	// docker compose's own validation, when the compose plugin is installed.
	if docker, err := exec.LookPath("docker"); err == nil && exec.Command(docker, "compose", "version").Run() == nil {
		out, err := exec.Command(docker, "compose", "-f", "docker-compose.yml", "config", "-q").CombinedOutput()
		if err != nil {
			t.Errorf("docker compose config: %v\n%s", err, out)
		}
	} else {
		t.Log("docker compose not installed: checked by parsing only")
	}
}

func TestGitHubActions(t *testing.T) {
	raw, err := os.ReadFile("github-actions.yml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Jobs map[string]struct {
			RunsOn   string `yaml:"runs-on"`
			Services map[string]struct {
				Image string            `yaml:"image"`
				Ports []string          `yaml:"ports"`
				Env   map[string]string `yaml:"env"`
			} `yaml:"services"`
			Env   map[string]string `yaml:"env"`
			Steps []struct {
				Uses string `yaml:"uses"`
				Run  string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("github-actions.yml: %v", err)
	}
	job, ok := doc.Jobs["test"]
	if !ok {
		t.Fatal("no test job")
	}
	svc, ok := job.Services["fakeprovider"]
	if !ok {
		t.Fatal("no fakeprovider service")
	}
	if !strings.Contains(svc.Image, "fakeprovider") || !strings.Contains(svc.Image, ":") {
		t.Errorf("image %q", svc.Image)
	}
	if !contains(svc.Ports, "8080:8080") {
		t.Errorf("ports %v", svc.Ports)
	}
	checkEnv(t, "github-actions.yml", svc.Env, flags(t))
	if !strings.HasPrefix(job.Env["D24_BASE_URL"], "http://localhost:8080/") {
		t.Errorf("steps run on the host: base URLs must use localhost, got %q", job.Env["D24_BASE_URL"])
	}
	health := false
	for _, s := range job.Steps {
		if strings.Contains(s.Run, "/_fakeprovider/health") {
			health = true
		}
	}
	if !health {
		t.Error("no step checks /_fakeprovider/health")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
