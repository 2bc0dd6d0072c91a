#!/bin/sh
# Usage: lab/services/java.sh start|stop   (inside a lab host: lab/lab.sh exec app1 sh "$PWD/lab/services/java.sh" start)
# A Java HTTP service on port 8083 (com.sun.net.httpserver, the machine's java: OpenJDK 17 on
# Debian 12). It holds its clients' keep-alive connections; GET /resolve?name=NAME looks NAME up
# with InetAddress.getAllByName (glibc's getaddrinfo underneath, behind the JVM's answer cache):
# 200 and the first address, 502 when NAME does not resolve; any other path answers "ok".
# Compiled once into lab/run/.cache/java-resolve-KEY/ (KEY: the source and javac's version).
# Pidfile /run/java.pid.
SVC=java PORT=8083
# shellcheck source=service-lib.sh
. "$(dirname "$0")/service-lib.sh"

SOURCE='import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

public class Resolve {
    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(8083), 64);
        server.createContext("/resolve", Resolve::resolve);
        server.createContext("/", exchange -> answer(exchange, 200, "ok"));
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.start();
    }

    static void resolve(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String name = query != null && query.startsWith("name=") ? URLDecoder.decode(query.substring(5), StandardCharsets.UTF_8) : "";
        try {
            answer(exchange, 200, InetAddress.getAllByName(name)[0].getHostAddress());
        } catch (UnknownHostException e) {
            answer(exchange, 502, name + " does not resolve: " + e.getMessage());
        }
    }

    static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}'

build() { # DIR
	printf '%s\n' "$SOURCE" >"$1/Resolve.java" && javac -d "$1" "$1/Resolve.java"
}

start() {
	command -v javac >/dev/null || { echo "java.sh: no javac (apt-get install default-jdk-headless, or lab/lab.sh deps)" >&2; return 5; }
	key=$( { printf '%s' "$SOURCE"; javac -version 2>&1; } | cksum)
	dir=$CACHE/java-resolve-${key%% *}
	cached "$dir" build || { echo "java.sh: the build failed" >&2; return 1; }
	start_detached java -Xmx64m -XX:TieredStopAtLevel=1 -cp "$dir" Resolve
}

service_main "$@"
