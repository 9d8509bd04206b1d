# syntax=docker/dockerfile:1
# Build: a static binary (no cgo), time zones embedded with time/tzdata.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/fakeprovider/fakeprovider/internal/app.Version=${VERSION}" \
      -o /out/fakeprovider ./cmd/fakeprovider \
 && mkdir -p /out/tmp /out/data \
 && chmod 1777 /out/tmp \
 && chown 65534:65534 /out/data

# Run: scratch has no /tmp, no CA certificates and no tzdata, so the
# temporary state file's directory and the CA bundle (for https webhook
# receivers) are copied in; zones are embedded in the binary.
FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/tmp /tmp
COPY --from=build --chown=65534:65534 /out/data /data
COPY --from=build /out/fakeprovider /fakeprovider
ENV FAKEPROVIDER_ADDR=0.0.0.0:8080 \
    TMPDIR=/tmp
USER 65534:65534
EXPOSE 8080
VOLUME /data
HEALTHCHECK --interval=5s --timeout=3s --start-period=2s --retries=3 CMD ["/fakeprovider","health"]
ENTRYPOINT ["/fakeprovider"]
