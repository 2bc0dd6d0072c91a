package io.cutover.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The proof as the report shows it: each refresh, and the capture's packets, from the helper's answers. */
final class Evidence {

    /** Packets listed per host; the counts cover the rest. */
    static final int MAX_PACKETS = 20;

    private Evidence() {
    }

    /**
     * The refreshes from host-end's proof (every process), or, for a host the journal has no end
     * for, from its refresh steps' answers.
     */
    static List<HostReport.Refresh> refreshes(JsonNode fromProof, List<JsonNode> fromSteps) {
        List<JsonNode> all = new ArrayList<>();
        if (fromProof != null) {
            fromProof.forEach(all::add);
        } else {
            all.addAll(fromSteps);
        }
        return all.stream().map(Evidence::refresh).toList();
    }

    private static HostReport.Refresh refresh(JsonNode r) {
        String stall = r.has("gdb_ms") ? "stopped " + r.path("gdb_ms").asText() + " ms (gdb attached)" : null;
        String pid = r.path("pid").asText("?") + (r.hasNonNull("new_pid") ? " → " + r.path("new_pid").asText() : "");
        String sockets = r.has("sockets_lost") ? r.path("sockets_lost").asInt() + " lost"
                + (r.has("client_sockets_lost") ? " (" + r.path("client_sockets_lost").asInt() + " client)" : "") : null;
        List<String> detail = new ArrayList<>();
        if (r.has("same_process") && !r.path("same_process").asBoolean()) {
            detail.add("process replaced");
        }
        if (r.has("alive") && !r.path("alive").asBoolean()) {
            detail.add("NOT alive afterwards");
        }
        if (r.path("nameservers_seen").isArray()) {
            List<String> seen = new ArrayList<>();
            r.path("nameservers_seen").forEach(ns -> seen.add(ns.asText()));
            detail.add("sees nameserver " + String.join(", ", seen));
        }
        return new HostReport.Refresh(pid, r.path("method").asText("?"), stall, sockets, String.join("; ", detail));
    }

    static HostReport.Capture capture(JsonNode capture) {
        if (capture == null) {
            return null;
        }
        List<HostReport.Packet> packets = new ArrayList<>();
        for (JsonNode p : capture.path("packets")) {
            if (packets.size() == MAX_PACKETS) {
                break;
            }
            String destination = address(p.path("dst").asText());
            packets.add(new HostReport.Packet(p.path("time").asText(), p.path("kind").asText(), address(p.path("src").asText()),
                    destination, p.path("qtype").asText(), destination.equals("127.0.0.1:53")));
        }
        int total = capture.path("packets").size();
        int toExpected = capture.path("queries_to_expected").asInt();
        int toForbidden = capture.path("queries_to_forbidden").asInt();
        return new HostReport.Capture(capture.path("qname").asText(), packets, total, toExpected, toForbidden,
                toExpected > 0 && toForbidden == 0);
    }

    /** tcpdump's {@code 127.0.0.1.53} as {@code 127.0.0.1:53} (its last dot is the port's). */
    static String address(String tcpdump) {
        int dot = tcpdump.lastIndexOf('.');
        if (dot < 0) {
            return tcpdump;
        }
        String host = tcpdump.substring(0, dot);
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + tcpdump.substring(dot + 1);
    }
}
