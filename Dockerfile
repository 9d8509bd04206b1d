# fakeprovider's image: a static binary on scratch, run as nobody (65534).
# It builds with BuildKit and with the classic builder alike (no `# syntax=`
# line, no BuildKit-only instructions).
#
# The build stage's image is a build argument: the official Go image by
# default; `make docker` passes a local one when no registry is reachable
# (see scripts/docker-build-base.sh). The final stage is the same either way.
ARG GO_IMAGE=golang:1.26-bookworm
FROM ${GO_IMAGE} AS build
# Marks the classic builder's leftover build-stage images (docker image
# prune --filter label=org.fakeprovider.stage=build removes them).
LABEL org.fakeprovider.stage=build
# The module proxy to download through (empty: Go's default).
ARG GOPROXY
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# time zones are embedded with time/tzdata; /out/tmp and /out/data become
# /tmp and /data, owned by the runtime user.
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/fakeprovider/fakeprovider/internal/app.Version=${VERSION}" \
      -o /out/fakeprovider ./cmd/fakeprovider \
 && go clean -cache \
 && mkdir -p /out/tmp /out/data

# Run: scratch has no /tmp, no CA certificates and no tzdata, so the
# temporary state file's directory and the CA bundle (for https webhook
# receivers) are copied in. /tmp is owned by the runtime user rather than
# mode 1777: the classic builder does not keep a directory's mode through
# COPY --from, but both builders apply --chown.
FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build --chown=65534:65534 /out/tmp /tmp
COPY --from=build --chown=65534:65534 /out/data /data
COPY --from=build /out/fakeprovider /fakeprovider
ENV FAKEPROVIDER_ADDR=0.0.0.0:8080 \
    TMPDIR=/tmp
USER 65534:65534
EXPOSE 8080
VOLUME /data
HEALTHCHECK --interval=2s --timeout=3s --start-period=10s --retries=3 CMD ["/fakeprovider","health"]
ENTRYPOINT ["/fakeprovider"]
