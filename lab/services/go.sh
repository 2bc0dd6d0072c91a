#!/bin/sh
# Usage: lab/services/go.sh start|stop   (inside a lab host: lab/lab.sh exec app1 sh "$PWD/lab/services/go.sh" start)
# A Go HTTP service on port 8082, built with Debian's golang-go (1.19) as a static Go service is
# (CGO_ENABLED=0: Go's own resolver, which re-reads resolv.conf at most every 5 s). It holds its
# clients' keep-alive connections; GET /resolve?name=NAME looks NAME up with net.LookupHost: 200 and
# the first address, 502 when NAME does not resolve; any other path answers "ok" (for stall clients).
# Built once into lab/run/.cache/go-resolve-KEY/ (KEY: the source and Go's version). Pidfile /run/go.pid.
SVC=go PORT=8082
# shellcheck source=service-lib.sh
. "$(dirname "$0")/service-lib.sh"

SOURCE='package main

import (
	"fmt"
	"net"
	"net/http"
)

func main() {
	http.HandleFunc("/resolve", func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Query().Get("name")
		addrs, err := net.LookupHost(name)
		if err != nil || len(addrs) == 0 {
			http.Error(w, fmt.Sprintf("%s does not resolve: %v", name, err), http.StatusBadGateway)
			return
		}
		fmt.Fprintln(w, addrs[0])
	})
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	panic(http.ListenAndServe(":8082", nil))
}'

build() { # DIR
	printf '%s\n' "$SOURCE" >"$1/main.go" &&
		(cd "$1" && HOME=$CACHE GOCACHE=$CACHE/go-build GOPATH=$CACHE/go-path CGO_ENABLED=0 GOFLAGS='' \
			go build -trimpath -o gosvc main.go)
}

start() {
	command -v go >/dev/null || { echo "go.sh: no go (apt-get install golang-go, or lab/lab.sh deps)" >&2; return 5; }
	key=$( { printf '%s' "$SOURCE"; go version; } | cksum)
	dir=$CACHE/go-resolve-${key%% *}
	cached "$dir" build || { echo "go.sh: the build failed" >&2; return 1; }
	start_detached "$dir/gosvc"
}

service_main "$@"
