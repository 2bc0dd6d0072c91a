package io.cutover.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * One journal line. Types: {@code run-start}, {@code batch-start}, {@code host-start},
 * {@code facts}, {@code step-start}, {@code step-done}, {@code step-failed}, {@code guard-armed},
 * {@code guard-disarmed}, {@code rollback-start}, {@code rollback-done}, {@code host-end},
 * {@code run-end}.
 */
public record Record(JsonNode json) {

    public Record {
        Objects.requireNonNull(json, "json");
    }

    public String type() {
        return json.path("type").asText();
    }

    public long seq() {
        return json.path("seq").asLong();
    }

    public Optional<String> host() {
        return json.hasNonNull("host") ? Optional.of(json.get("host").asText()) : Optional.empty();
    }

    public String text(String field) {
        return json.path(field).asText(null);
    }

    public int integer(String field) {
        return json.path(field).asInt();
    }
}
