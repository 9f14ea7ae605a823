# The upgradegate binary in a minimal image: the GitHub Action runs it as
# "upgradegate action" (see action.yml). No USER and no WORKDIR anywhere:
# Docker actions run as root in /github/workspace.
FROM golang:1.26 AS build
COPY go.mod go.sum /src/
RUN cd /src && go mod download
# only what the build reads: an edit to the docs or the examples reuses the
# cached layers
COPY cmd/ /src/cmd/
COPY internal/ /src/internal/
COPY pkg/ /src/pkg/
# docker build --build-arg VERSION=v1.2.3 stamps the version into the binary.
ARG VERSION=""
RUN cd /src && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/upgradegate/upgradegate/pkg/cli.Version=${VERSION}" \
      -o /out/upgradegate ./cmd/upgradegate

# distroless/static: CA certificates, tzdata, nothing else.
FROM gcr.io/distroless/static-debian12
COPY --from=build /out/upgradegate /usr/local/bin/upgradegate
ENTRYPOINT ["/usr/local/bin/upgradegate"]
