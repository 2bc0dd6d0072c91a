package io.cutover.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one place a record's on-disk {@code type} meets its {@link JournalEvent} class, both ways.
 * The names are the journal format: journals written by every cutover must read, so a name never
 * changes; a new kind is a new entry here and a new record in the sealed set.
 */
public final class JournalKinds {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // seq, ts, type; fields of newer cutovers
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS) // "step": "3" is a damaged record, not a step
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS) // nor "status": 5
            .build();

    private static final Map<String, Class<? extends JournalEvent>> CLASSES = new LinkedHashMap<>();
    private static final Map<Class<? extends JournalEvent>, String> TYPES = new LinkedHashMap<>();

    static {
        kind("run-start", JournalEvent.RunStart.class);
        kind("batch-start", JournalEvent.BatchStart.class);
        kind("host-start", JournalEvent.HostStart.class);
        kind("helper-pushed", JournalEvent.HelperPushed.class);
        kind("lock-taken-over", JournalEvent.LockTakenOver.class);
        kind("facts", JournalEvent.Facts.class);
        kind("reconciled", JournalEvent.Reconciled.class);
        kind("processes-reread", JournalEvent.ProcessesReread.class);
        kind("step-start", JournalEvent.StepStart.class);
        kind("step-done", JournalEvent.StepDone.class);
        kind("step-failed", JournalEvent.StepFailed.class);
        kind("trigger-ready", JournalEvent.TriggerReady.class);
        kind("guard-armed", JournalEvent.GuardArmed.class);
        kind("guard-renewed", JournalEvent.GuardRenewed.class);
        kind("guard-disarmed", JournalEvent.GuardDisarmed.class);
        kind("rollback-start", JournalEvent.RollbackStart.class);
        kind("rollback-done", JournalEvent.RollbackDone.class);
        kind("host-end", JournalEvent.HostEnd.class);
        kind("aborted", JournalEvent.Aborted.class);
        kind("run-end", JournalEvent.RunEnd.class);
        kind("resume", JournalEvent.Resume.class);
        kind("rollback-run", JournalEvent.RollbackRun.class);
    }

    private JournalKinds() {
    }

    private static void kind(String type, Class<? extends JournalEvent> event) {
        CLASSES.put(type, event);
        TYPES.put(event, type);
    }

    /** Every {@code type} a journal may hold, in the order a run writes them first. */
    public static List<String> types() {
        return List.copyOf(CLASSES.keySet());
    }

    /** The {@code type} {@code event} is written as. */
    public static String type(JournalEvent event) {
        return TYPES.get(event.getClass());
    }

    /** The event's fields as the JSON object of its line (without seq, ts and type). */
    static ObjectNode fields(JournalEvent event) {
        return MAPPER.valueToTree(event);
    }

    /**
     * The event a line's JSON object says, or a {@link JournalException} naming {@code where} and
     * what is wrong: a kind no cutover writes, a required field missing, a field of the wrong type.
     */
    static JournalEvent event(JsonNode json, String where) {
        String type = json.path("type").asText();
        Class<? extends JournalEvent> kind = CLASSES.get(type);
        if (kind == null) {
            throw new JournalException(where + ": a record of type `" + type + "`, which no cutover writes (it writes "
                    + String.join(", ", CLASSES.keySet()) + "): the journal was edited or damaged");
        }
        try {
            return MAPPER.treeToValue(json, kind);
        } catch (JsonProcessingException e) {
            throw new JournalException(where + ": " + type + " " + problem(e, json) + ": the journal was edited or damaged", e);
        }
    }

    private static String problem(JsonProcessingException e, JsonNode json) {
        if (e instanceof ValueInstantiationException && e.getCause() instanceof NullPointerException npe) {
            return "without its `" + npe.getMessage() + "`"; // a compact constructor's requireNonNull(value, "field")
        }
        if (!(e instanceof MismatchedInputException mismatch) || mismatch.getPath().isEmpty()) {
            return "cannot be read: " + e.getOriginalMessage().lines().findFirst().orElse("");
        }
        StringBuilder name = new StringBuilder();
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference step : mismatch.getPath()) {
            String part = step.getFieldName() != null ? step.getFieldName() : Integer.toString(step.getIndex());
            name.append(name.length() == 0 ? "" : step.getFieldName() != null ? "." : "").append(
                    step.getFieldName() != null ? part : "[" + part + "]");
            pointer.append('/').append(part);
        }
        JsonNode value = json.at(pointer.toString());
        return value.isMissingNode() ? "without its `" + name + "`"
                : "has `" + name + "` " + value + ", not " + expected(mismatch);
    }

    private static String expected(MismatchedInputException e) {
        Class<?> target = e.getTargetType();
        if (target == null) {
            return "what cutover writes";
        }
        if (target.isEnum()) {
            return "one of " + Arrays.stream(target.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", ", "[", "]"));
        }
        if (Set.of(int.class, long.class, Integer.class, Long.class).contains(target)) {
            return "a whole number";
        }
        if (target == boolean.class || target == Boolean.class) {
            return "true or false";
        }
        if (target == String.class) {
            return "a text";
        }
        return List.class.isAssignableFrom(target) ? "a list" : "a " + target.getSimpleName();
    }
}
