// Package fakeprovider is a Testcontainers for Go module for fakeprovider,
// the emulator of Difitek (Crowd Valley), D24 (Directa24), CRM Open API
// (Broctagon) and CrowdTrust's Bad Actor Check:
//
//	ctr, err := fakeprovider.Run(ctx, "fakeprovider:latest", fakeprovider.WithWebhooksToHost())
//	testcontainers.CleanupContainer(t, ctr)
//	d24 := ctr.URL("d24") // http://127.0.0.1:PORT/d24
//	tn, err := ctr.NewTenant(ctx)  // fresh credentials, isolated data and clock
//	_, err = tn.Advance(ctx, time.Hour) // scenario steps and webhooks that fall due run
//	reqs, err := tn.Requests(ctx, fakeprovider.Filter{Provider: "d24"})
//
// It talks to the emulator's control API (/_fakeprovider/…) only, over
// HTTP: it has no dependency on the fakeprovider module itself.
package fakeprovider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/fakeprovider/fakeprovider/controlapi"
)

const (
	// Port is the shared port inside the container: every provider under
	// /<provider>/, and the control API under /_fakeprovider.
	Port = "8080/tcp"
	// HostAlias is how the container reaches the machine running it with
	// WithWebhooksToHost.
	HostAlias = "host.docker.internal"

	scenariosDir = "/scenarios"
	dataFile     = "/data/state.db"
)

// Container is a running fakeprovider container.
type Container struct {
	*testcontainers.DockerContainer
	baseURL string
	api     *api
}

// Run creates and starts a fakeprovider container of img (e.g. the image
// built by the repository's `make docker`) and waits until its control API
// is healthy. opts are this package's options and any of testcontainers'
// (testcontainers.WithEnv sets FAKEPROVIDER_* settings, e.g.
// FAKEPROVIDER_EXPLAIN_AUTH=true). Terminate the container when done, e.g.
// with testcontainers.CleanupContainer; a non-nil container is returned
// with a start error too, so that it can be cleaned up.
func Run(ctx context.Context, img string, opts ...testcontainers.ContainerCustomizer) (*Container, error) {
	moduleOpts := []testcontainers.ContainerCustomizer{
		testcontainers.WithExposedPorts(Port),
		testcontainers.WithEnv(map[string]string{"FAKEPROVIDER_ADDR": "0.0.0.0:8080"}),
		testcontainers.WithWaitStrategy(wait.ForHTTP("/_fakeprovider/health").WithPort(Port).WithStartupTimeout(60 * time.Second)),
	}
	ctr, err := testcontainers.Run(ctx, img, append(moduleOpts, opts...)...)
	var c *Container
	if ctr != nil {
		c = &Container{DockerContainer: ctr}
	}
	if err != nil {
		return c, fmt.Errorf("run fakeprovider: %w", err)
	}
	endpoint, err := ctr.PortEndpoint(ctx, Port, "http")
	if err != nil {
		return c, fmt.Errorf("fakeprovider endpoint: %w", err)
	}
	c.baseURL = endpoint
	c.api = newAPI(endpoint)
	return c, nil
}

// WithWebhooksToHost lets webhooks reach receivers that the test starts on
// the machine running the container: the container gets
// host.docker.internal (--add-host host.docker.internal:host-gateway), and
// webhooks aimed at a loopback address (127.0.0.1:PORT/…, localhost) go to
// host.docker.internal at the same port and path, with the same body,
// signature and Host header (--webhook-loopback-host). The receiver must
// listen on the address host.docker.internal maps to (the docker0 bridge's,
// e.g. 172.17.0.1) as well as on 127.0.0.1: see ListenReceiver.
func WithWebhooksToHost() testcontainers.CustomizeRequestOption {
	return func(req *testcontainers.GenericContainerRequest) error {
		if err := testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) {
			hc.ExtraHosts = append(hc.ExtraHosts, HostAlias+":host-gateway")
		})(req); err != nil {
			return err
		}
		return testcontainers.WithEnv(map[string]string{"FAKEPROVIDER_WEBHOOK_LOOPBACK_HOST": HostAlias})(req)
	}
}

// WithScenarios adds scenario files (YAML; a directory stands for its
// *.yaml and *.yml files) to the built-in ones: they are copied into the
// container and loaded with --scenarios.
func WithScenarios(paths ...string) testcontainers.CustomizeRequestOption {
	return func(req *testcontainers.GenericContainerRequest) error {
		var files []testcontainers.ContainerFile
		for _, p := range paths {
			matches := []string{p}
			if isDir(p) {
				yaml, _ := filepath.Glob(filepath.Join(p, "*.yaml"))
				yml, _ := filepath.Glob(filepath.Join(p, "*.yml"))
				matches = append(yaml, yml...)
			}
			for _, m := range matches {
				files = append(files, testcontainers.ContainerFile{
					HostFilePath:      m,
					ContainerFilePath: scenariosDir + "/" + filepath.Base(m),
					FileMode:          0o644,
				})
			}
		}
		if len(files) == 0 {
			return fmt.Errorf("fakeprovider: WithScenarios(%s): no scenario files", strings.Join(paths, ", "))
		}
		if err := testcontainers.WithFiles(files...)(req); err != nil {
			return err
		}
		return testcontainers.WithCmdArgs("--scenarios", scenariosDir)(req)
	}
}

// WithDataVolume keeps the emulator's state in the named Docker volume
// (created when missing) instead of a temporary file, so that it survives a
// restart and is seen by a new container on the same volume.
func WithDataVolume(volume string) testcontainers.CustomizeRequestOption {
	return func(req *testcontainers.GenericContainerRequest) error {
		if err := testcontainers.WithMounts(testcontainers.VolumeMount(volume, "/data"))(req); err != nil {
			return err
		}
		return testcontainers.WithCmdArgs("--data", dataFile)(req)
	}
}

// WithWebhookRetryScale multiplies every webhook retry wait (e.g. 0.01
// turns D24's 5/25/125 minute retries into seconds).
func WithWebhookRetryScale(f float64) testcontainers.CustomizeRequestOption {
	return testcontainers.WithEnv(map[string]string{"FAKEPROVIDER_WEBHOOK_RETRY_SCALE": strconv.FormatFloat(f, 'g', -1, 64)})
}

// WithCredentials overrides the default tenant's credentials: inline JSON
// shaped like GET /_fakeprovider/credentials (given fields only).
func WithCredentials(json string) testcontainers.CustomizeRequestOption {
	return testcontainers.WithEnv(map[string]string{"FAKEPROVIDER_CREDENTIALS": json})
}

// BaseURL is the emulator's URL as seen from the machine running the
// container, e.g. "http://127.0.0.1:32771". A restart may publish another
// port: call Refresh after one.
func (c *Container) BaseURL() string { return c.baseURL }

// URL is the base URL of provider ("d24", "crm", "difitek", "crowdtrust"):
// BaseURL + "/" + provider; URL("") is BaseURL.
func (c *Container) URL(provider string) string {
	if provider == "" {
		return c.baseURL
	}
	return c.baseURL + "/" + provider
}

// Refresh reads the published port again (after a restart).
func (c *Container) Refresh(ctx context.Context) error {
	endpoint, err := c.PortEndpoint(ctx, Port, "http")
	if err != nil {
		return err
	}
	c.baseURL = endpoint
	c.api = newAPI(endpoint)
	return nil
}

// Default is the default tenant (the credentials the emulator prints at
// start). Its Advance and Reset act on the whole server.
func (c *Container) Default() *Tenant { return &Tenant{c: c} }

// NewTenant mints a tenant with fresh random credentials for every
// provider; its data, webhooks and scenario clock are its own.
func (c *Container) NewTenant(ctx context.Context) (*Tenant, error) {
	var v controlapi.Tenant
	if err := c.api.do(ctx, http.MethodPost, "/tenants", nil, &v, http.StatusCreated); err != nil {
		return nil, err
	}
	if v.ID == "" {
		return nil, fmt.Errorf("fakeprovider: new tenant: no id in the answer")
	}
	return &Tenant{c: c, ID: v.ID}, nil
}

// Credentials is Default().Credentials.
func (c *Container) Credentials(ctx context.Context) (map[string]map[string]any, error) {
	return c.Default().Credentials(ctx)
}

// Advance is Default().Advance: it moves the whole server's scenario clock.
func (c *Container) Advance(ctx context.Context, d time.Duration) (AdvanceResult, error) {
	return c.Default().Advance(ctx, d)
}

// Reset is Default().Reset: it deletes every tenant's state.
func (c *Container) Reset(ctx context.Context) error { return c.Default().Reset(ctx) }

// Requests lists every journaled request, whatever its tenant, newest first.
func (c *Container) Requests(ctx context.Context, f Filter) ([]Request, error) {
	return c.Default().requests(ctx, f, "")
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
