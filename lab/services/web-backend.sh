#!/bin/sh
# Usage: lab/services/web-backend.sh start|stop   (inside a lab app host)
# The HTTP backend nginx and HAProxy proxy to (web-backend.py on port 8090), named HOST-web.lab.test
# in the lab zone only (not in /etc/hosts: a proxy looks it up in DNS). start is idempotent.
set -u
SVC=web-backend PORT=8090
# shellcheck source=service-lib.sh
. "$(dirname "$0")/service-lib.sh"

start() {
	start_detached python3 "$HERE/web-backend.py" "$PORT"
}

service_main "$@"
