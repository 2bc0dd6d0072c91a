#!/bin/sh
# Usage: lab/services/node.sh start|stop   (inside a lab host: lab/lab.sh exec app1 sh "$PWD/lab/services/node.sh" start)
# The lab's Node service: node-app.js (the machine's node) on port 8084, resolving with
# dns.resolve* (c-ares). Pidfile /run/node.pid.
set -u
SVC=node PORT=8084
# shellcheck source=service-lib.sh
. "$(dirname "$0")/service-lib.sh"

start() {
	command -v node >/dev/null || { echo "node.sh: no node (lab/lab.sh deps)" >&2; return 5; }
	export PORT # node-app.js listens on it
	start_detached node "$HERE/node-app.js"
}

service_main "$@"
