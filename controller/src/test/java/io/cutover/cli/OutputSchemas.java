package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The published schemas of docs/schema/, loaded from the files a user reads (not a copy), and
 * assertions that real output validates against them, formats (date-time) included.
 */
public final class OutputSchemas {

    public static final Path DIR = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize()
            .resolve("docs/schema");

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where the schemas' relative $refs (common.schema.json#...) resolve: served from DIR. */
    private static final String BASE = "https://cutover.invalid/schema/";
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())
                    .schemas(iri -> iri.startsWith(BASE) ? raw(iri.substring(BASE.length())).toString() : null));

    private OutputSchemas() {
    }

    /** {@code text} is one document of its own {@code kind}, valid against {@code <kind>.schema.json}; returned parsed. */
    public static JsonNode assertDocument(String kind, String text) {
        JsonNode doc = parse(text);
        assertThat(doc.path("kind").asText()).as("the document's kind").isEqualTo(kind);
        assertValid(kind + ".schema.json", doc);
        return doc;
    }

    /** Every line of {@code text} is one event valid against events.schema.json; returned parsed, in order. */
    public static List<JsonNode> assertEvents(String text) {
        List<JsonNode> events = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty()) {
                JsonNode event = parse(line);
                assertValid("events.schema.json", event);
                events.add(event);
            }
        }
        assertThat(events).as("JSON Lines events in:%n%s", text).isNotEmpty();
        return events;
    }

    /** {@code json} is valid against the schema in docs/schema/{@code file}. */
    public static void assertValid(String file, JsonNode json) {
        List<Error> errors = errors(file, json);
        assertThat(errors).as("%s against docs/schema/%s:%n%s", abbreviate(json), file, errors).isEmpty();
    }

    /** What the schema in docs/schema/{@code file} finds wrong with {@code json}: nothing when it is valid. */
    public static List<Error> errors(String file, JsonNode json) {
        return schema(file).validate(json);
    }

    /** A schema file as plain JSON, for tests about the schemas themselves. */
    public static JsonNode raw(String file) {
        try {
            return JSON.readTree(Files.readString(DIR.resolve(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON (" + e.getOriginalMessage() + "):\n" + text, e);
        }
    }

    private static Schema schema(String file) {
        return REGISTRY.getSchema(SchemaLocation.of(BASE + file));
    }

    private static String abbreviate(JsonNode json) {
        String text = json.toString();
        return text.length() <= 2000 ? text : text.substring(0, 2000) + "…";
    }
}
