package io.cutover.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cutover.plan.PlannedStep;
import io.cutover.plan.RefreshPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-host evidence a run leaves in the journal and the recap: the captured queries that went
 * to 127.0.0.1:53, how each process was refreshed and how long it was stopped, and the files
 * installed with their hashes.
 */
final class Proof {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ArrayNode refreshes = MAPPER.createArrayNode();
    private final Map<String, ObjectNode> files = new LinkedHashMap<>();
    private final ArrayNode captures = MAPPER.createArrayNode();
    private final ArrayNode unproved = MAPPER.createArrayNode();
    private PlannedStep lastTrigger;

    /** Takes what a step's helper calls answered, if it is evidence. */
    void add(PlannedStep step, JsonNode data) {
        switch (step.action()) {
            case REFRESH -> {
                refreshes.add(pick(data, "pid", "method", "gdb_ms", "same_process", "alive", "sockets_lost",
                        "client_sockets_lost", "nameservers_seen", "client_sockets_before", "workers_new"));
                if (unproved.isEmpty() && step.args().get("unproved") instanceof List<?> accepted) {
                    accepted.forEach(target -> unproved.add(String.valueOf(target)));
                }
            }
            case FILE_INSTALL, RESOLV_INSTALL -> files.put(data.path("target").asText(),
                    pick(data, "target", "sha256", "previous_sha256"));
            case TRIGGER -> lastTrigger = step;
            case CAPTURE_VERIFY -> {
                ObjectNode proved = captures.addObject();
                proved.put("trigger", lastTrigger == null ? null : lastTrigger.name());
                ArrayNode proves = proved.putArray("proves");
                if (lastTrigger != null) {
                    RefreshPlan.proves(lastTrigger).forEach(proves::add);
                }
                proved.set("capture", data);
            }
            default -> {
                // other steps are not evidence
            }
        }
    }

    boolean isEmpty() {
        return captures.isEmpty() && refreshes.isEmpty() && files.isEmpty();
    }

    JsonNode toJson() {
        ObjectNode proof = MAPPER.createObjectNode();
        // the first trigger's capture (one trigger: the only one), as the proof had it before several
        proof.set("capture", captures.isEmpty() ? null : captures.get(0).get("capture"));
        proof.set("refresh", refreshes);
        proof.set("files", MAPPER.valueToTree(files.values()));
        // one per trigger and the verify after it, with the refresh targets whose own lookup it was
        java.util.Set<JsonNode> proved = new java.util.HashSet<>();
        captures.forEach(c -> c.path("proves").forEach(proved::add));
        ArrayNode accepted = MAPPER.createArrayNode();
        unproved.forEach(target -> {
            if (!proved.contains(target)) {
                accepted.add(target);
            }
        });
        if (captures.size() > 1 || !accepted.isEmpty()) {
            proof.set("captures", captures);
            proof.set("unproved", accepted);
        }
        return proof;
    }

    /** One line for the recap: the query that went to 127.0.0.1:53, and the refresh stall. */
    static String summary(JsonNode proof) {
        StringBuilder text = new StringBuilder(captureSummary(proof.path("capture")));
        JsonNode captures = proof.path("captures");
        for (int i = 1; i < captures.size(); i++) {
            text.append("; ").append(captureSummary(captures.get(i).path("capture")));
        }
        for (JsonNode target : proof.path("unproved")) {
            text.append("; ").append(target.asText()).append(" not proved (unproved)");
        }
        for (JsonNode refresh : proof.path("refresh")) {
            text.append(text.length() == 0 ? "" : "; ").append("pid ").append(refresh.path("pid").asText()).append(' ')
                    .append(refresh.path("method").asText());
            if (refresh.has("workers_new")) {
                // nginx/HAProxy: their sockets are the workers', replaced by the reload; the clients are what counts
                text.append(" reloaded, ").append(refresh.path("client_sockets_lost").asInt()).append(" of ")
                        .append(refresh.path("client_sockets_before").asInt()).append(" keep-alive clients closed by the old workers");
                continue;
            }
            if (refresh.has("gdb_ms")) {
                text.append(" stopped ").append(refresh.path("gdb_ms").asText()).append(" ms");
            } else if (refresh.path("nameservers_seen").isArray()) {
                // nothing was called: what switches it is the resolv.conf it sees
                List<String> seen = new java.util.ArrayList<>();
                refresh.path("nameservers_seen").forEach(ns -> seen.add(ns.asText()));
                text.append(" (sees nameserver ").append(String.join(",", seen)).append(')');
            }
            text.append(", ").append(refresh.path("sockets_lost").asInt()).append(" sockets lost");
        }
        return text.toString();
    }

    /** The first captured query to 127.0.0.1:53, as tcpdump would show it; "" when there is none. */
    static String captureSummary(JsonNode capture) {
        for (JsonNode packet : capture.path("packets")) {
            if (packet.path("dst").asText().startsWith("127.0.0.1.")) {
                return packet.path("src").asText() + " > " + packet.path("dst").asText() + ' '
                        + packet.path("qtype").asText() + "? " + capture.path("qname").asText();
            }
        }
        return "";
    }

    private static ObjectNode pick(JsonNode data, String... fields) {
        ObjectNode picked = MAPPER.createObjectNode();
        for (String field : fields) {
            if (data.has(field)) {
                picked.set(field, data.get(field));
            }
        }
        return picked;
    }
}
