package io.cutover.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.util.NameTransformer;
import io.cutover.engine.Event;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The machine output contract (docs/output.md, docs/schema/): every JSON document and event
 * carries {@code format_version} and a UTC RFC 3339 time, keys are snake_case, a duration is a
 * {@code *_ms} count of milliseconds, an enum its lower-case name. Configured here once, so that
 * no record component reaches a machine in camelCase.
 */
final class JsonOutput {

    /** Raised only for a change a consumer must adapt to (a key removed, renamed or retyped). */
    static final int FORMAT_VERSION = 1;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .registerModule(new SimpleModule("cutover-output")
                    .addSerializer(Duration.class, new StdSerializer<>(Duration.class) {
                        @Override
                        public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                            gen.writeNumber(value.toMillis());
                        }
                    })
                    .addSerializer(Enum.class, new StdSerializer<>(Enum.class) {
                        @Override
                        public void serialize(Enum value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                            gen.writeString(value.name().toLowerCase(Locale.ROOT));
                        }
                    })
                    .setSerializerModifier(new BeanSerializerModifier() {
                        // a Duration property `took` goes out as `took_ms`: the unit is in the name
                        @Override
                        public List<BeanPropertyWriter> changeProperties(SerializationConfig config, BeanDescription bean,
                                List<BeanPropertyWriter> properties) {
                            properties.replaceAll(p -> p.getType().hasRawClass(Duration.class)
                                    ? p.rename(NameTransformer.simpleTransformer("", "_ms")) : p);
                            return properties;
                        }
                    }));

    private JsonOutput() {
    }

    /** A document of {@code kind} (plan, status, check, facts, runs) at the clock's now: indented, for jq and people. */
    static String document(String kind, Clock clock, Map<String, ?> body) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.put("format_version", FORMAT_VERSION);
        doc.put("kind", kind);
        doc.put("generated_at", time(clock.instant()));
        doc.setAll((ObjectNode) MAPPER.valueToTree(body));
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One JSON Lines event: {@code format_version}, {@code time}, {@code event}, then the record's components. */
    static String event(Event event, Instant time) {
        ObjectNode line = MAPPER.createObjectNode();
        line.put("format_version", FORMAT_VERSION);
        line.put("time", time(time));
        line.put("event", eventName(event.getClass()));
        line.setAll((ObjectNode) MAPPER.valueToTree(event));
        return line.toString();
    }

    /** The event's name in the stream: its record's name in kebab-case ({@code HostFinished} is host-finished). */
    static String eventName(Class<?> type) {
        return type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** RFC 3339 in UTC to the millisecond, e.g. 2026-11-25T18:42:29.120Z. */
    static String time(Instant instant) {
        return TIME.format(instant);
    }

    /** A journal's {@code ts} (to the nanosecond) in the same form; null stays null. */
    static String time(String journalTime) {
        return journalTime == null ? null : time(Instant.parse(journalTime));
    }
}
