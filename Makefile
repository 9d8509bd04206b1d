# fakeprovider — build, run and test targets.
GO        ?= go
BIN       ?= bin/fakeprovider
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X github.com/fakeprovider/fakeprovider/internal/app.Version=$(VERSION)
GOBIN     := $(shell $(GO) env GOPATH)/bin
STATICCHECK := $(GOBIN)/staticcheck
# Short fuzz runs in `make test`; `make fuzz` runs longer.
FUZZTIME  ?= 5s

.PHONY: testcontainers build run test lint vet fmt-check staticcheck browser unit fuzz-short fuzz bench crashtest screenshot docker clean

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/fakeprovider

run:
	$(GO) run ./cmd/fakeprovider

# The one command that runs every test: lint, the race-enabled suite (with
# the container tests when a Docker daemon is reachable), the testcontainers
# module's and short fuzz runs. It installs staticcheck when missing.
test: lint unit testcontainers fuzz-short

lint: fmt-check vet staticcheck

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

$(STATICCHECK):
	$(GO) install honnef.co/go/tools/cmd/staticcheck@latest

staticcheck: $(STATICCHECK)
	$(STATICCHECK) ./...

# Chromium for the inspector's browser test (Debian packages chromium and
# fonts-dejavu-core, installed system-wide with apt-get; needs root or sudo;
# the script says what it does). Without it the browser test skips, unless
# FAKEPROVIDER_REQUIRE_BROWSER=1 (CI) makes it fail.
browser:
	-@sh scripts/install-browser.sh

# The suite runs with a TMPDIR of its own, removed afterwards whatever the
# outcome: what tests leave there (the binaries internal/platformtest
# builds, a killed test's files) does not pile up in /tmp.
unit: browser
	@tmp=$$(mktemp -d "$${TMPDIR:-/tmp}/fakeprovider-test-XXXXXX") && \
	echo "make unit: temporary files in $$tmp (removed afterwards)" && \
	TMPDIR=$$tmp $(GO) test -race -count=1 -timeout 30m ./...; \
	status=$$?; rm -rf "$$tmp"; exit $$status

# The testcontainers module (testcontainers/fakeprovider, a Go module of its
# own, so not in ./...): vet, staticcheck and its tests against the image.
testcontainers: $(STATICCHECK)
	GO='$(GO)' STATICCHECK='$(STATICCHECK)' sh scripts/testcontainers-test.sh

# Every Fuzz target, each briefly.
fuzz-short:
	@./scripts/fuzz.sh $(FUZZTIME)

fuzz:
	@./scripts/fuzz.sh 2m

bench:
	$(GO) run ./bench -out docs/bench-latest.md

crashtest:
	FAKEPROVIDER_CRASH_ROUNDS=25 $(GO) test -count=1 -run TestCrash -v ./internal/e2e/

# Regenerates docs/inspector.png from the browser test.
screenshot: browser
	$(GO) test -count=1 -run TestInspectorInBrowser ./internal/inspector -update-screenshot

# The image. Without a reachable registry it builds its own base for the
# build stage (scripts/docker-build-base.sh, cached); DOCKER, IMAGE,
# GO_IMAGE and DOCKER_BUILDKIT choose the CLI, name, base and builder.
docker:
	VERSION='$(VERSION)' sh scripts/docker-build.sh

clean:
	rm -rf bin
