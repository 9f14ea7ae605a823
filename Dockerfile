# The upgradegate binary in a minimal image: the GitHub Action runs it as
# "upgradegate action" (see action.yml). The final stage has no USER and no
# WORKDIR: Docker actions run as root in /github/workspace.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
# only what the build reads: an edit to the docs or the examples reuses the
# cached layers
COPY cmd/ cmd/
COPY internal/ internal/
COPY pkg/ pkg/
# docker build --build-arg VERSION=v1.2.3 stamps the version into the binary.
ARG VERSION=""
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/upgradegate/upgradegate/pkg/cli.Version=${VERSION}" \
      -o /out/upgradegate ./cmd/upgradegate

# distroless/static: CA certificates, tzdata, nothing else.
FROM gcr.io/distroless/static-debian12
COPY --from=build /out/upgradegate /usr/local/bin/upgradegate
ENTRYPOINT ["/usr/local/bin/upgradegate"]
