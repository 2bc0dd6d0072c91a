package io.cutover.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One journal line. Types: {@code run-start}, {@code batch-start}, {@code host-start},
 * {@code facts}, {@code step-start}, {@code step-done}, {@code step-failed}, {@code guard-armed},
 * {@code guard-disarmed}, {@code rollback-start}, {@code rollback-done}, {@code host-end},
 * {@code run-end}.
 *
 * @param file the journal it is in
 * @param line its line in that file, for messages
 */
public record Record(JsonNode json, Path file, int line) {

    public Record {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(file, "file");
    }

    /** {@code file:line}, where a message about this record points. */
    public String where() {
        return file + ":" + line;
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
