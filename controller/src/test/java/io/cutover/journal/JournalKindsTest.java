package io.cutover.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The journal's kinds: each written and read as the same value, named as docs/journal.md names them, read as old cutovers wrote them. */
class JournalKindsTest {

    private static final Path REPO = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** One event of every kind, every field set. */
    private static List<JournalEvent> oneOfEach() {
        JsonNode data = JournalEvent.json(Map.of("undone", List.of(Map.of("seq", 3)), "failed", List.of()));
        return List.of(
                new JournalEvent.RunStart("20261201-183635-f385", "/srv/p.yml", List.of("/srv/i.yml"), "app*", true,
                        List.of("k=v"), List.of("1", "100%"), 10, 5, Map.of("playbook", "a".repeat(64)),
                        Map.of("ssh", Map.of("user", "deploy")), List.of("app1", "app2"), List.of(List.of("app1"), List.of("app2")),
                        "/srv", new JournalEvent.Operator("root", "alice", "bastion1")),
                new JournalEvent.BatchStart(1, List.of("app1")),
                new JournalEvent.HostStart("app1"),
                new JournalEvent.HelperPushed("app1", "d".repeat(64)),
                new JournalEvent.LockTakenOver("app1", JournalEvent.json(Map.of("run", "r0", "pid", 42))),
                new JournalEvent.Facts("app1", JournalEvent.json(Map.of("kernel", "6.1", "processes", List.of()))),
                new JournalEvent.Reconciled("app1", 6, true, true),
                new JournalEvent.ProcessesReread("app1", JournalEvent.json(List.of(Map.of("pid", 53)))),
                new JournalEvent.StepStart("app1", 7, "refresh", "refresh"),
                new JournalEvent.StepDone("app1", 7, "refresh", true, false, 2194, JournalEvent.json(Map.of("pid", 53))),
                new JournalEvent.StepFailed("app1", 8, "bind-check", "named-checkconf failed"),
                new JournalEvent.TriggerReady("app1", 3, true),
                new JournalEvent.GuardArmed("app1", 4, 60),
                new JournalEvent.GuardRenewed("app1", 60),
                new JournalEvent.GuardDisarmed("app1"),
                new JournalEvent.RollbackStart("app1", "verify: no query went to 127.0.0.1:53", JournalEvent.Scope.BLOCK),
                new JournalEvent.RollbackDone("app1", true, data),
                new JournalEvent.HostEnd("app1", HostStatus.ROLLED_BACK, "verify failed", 5000L, 1, 2,
                        JournalEvent.json(Map.of("refresh", List.of()))),
                new JournalEvent.Aborted("batch 1: 1 of 1 hosts failed"),
                new JournalEvent.RunEnd("aborted", 3),
                new JournalEvent.Resume(List.of("app2")),
                new JournalEvent.RollbackRun(List.of("app1", "app2")));
    }

    @Test
    void everyKindIsWrittenAndReadBackAsTheSameEvent() {
        Path file = dir.resolve("journal.jsonl");
        try (Journal journal = Journal.open(file, Clock.fixed(Instant.parse("2026-12-01T18:00:00Z"), ZoneOffset.UTC))) {
            oneOfEach().forEach(journal::append);
        }

        List<Record> read = JournalReader.read(file);

        assertThat(read).extracting(Record::event).containsExactlyElementsOf(oneOfEach());
        assertThat(read).extracting(Record::type).containsExactlyElementsOf(JournalKinds.types());
        assertThat(oneOfEach()).extracting(Object::getClass).containsExactlyInAnyOrderElementsOf(kinds(JournalEvent.class));
    }

    @Test
    void theDocsListExactlyTheKindsTheJournalHasInTheirOrder() throws IOException {
        Matcher heading = Pattern.compile("(?m)^### `([a-z-]+)`$").matcher(Files.readString(REPO.resolve("docs/journal.md")));
        List<String> documented = new ArrayList<>();
        while (heading.find()) {
            documented.add(heading.group(1));
        }

        assertThat(documented).containsExactlyElementsOf(JournalKinds.types());
    }

    /** Each line of a journal that cutover wrote before the types existed is written again as it was. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"apply-then-rollback", "failed-then-resumed"})
    void aRecordOfAnOldJournalIsWrittenAgainAsItWas(String name) throws IOException {
        Path file = REPO.resolve("controller/src/test/resources/journal/0d04f98/" + name + ".jsonl");
        List<String> lines = Files.readAllLines(file);

        List<Record> records = JournalReader.read(file);

        assertThat(records).hasSameSizeAs(lines);
        for (Record record : records) {
            ObjectNode again = JSON.createObjectNode().put("seq", record.seq()).put("ts", record.ts()).put("type", record.type());
            again.setAll(JournalKinds.fields(record.event()));
            // compared as read from text: a number is a number whatever Java type wrote it
            assertThat(withoutNulls(JSON.readTree(again.toString()))).as(record.where())
                    .isEqualTo(withoutNulls(JSON.readTree(lines.get(record.line() - 1))));
        }
    }

    /** A field written as null and one left off read the same: the writer leaves off what a record does not have. */
    private static JsonNode withoutNulls(JsonNode line) {
        ObjectNode copy = line.deepCopy();
        List<String> nulls = new ArrayList<>();
        copy.fields().forEachRemaining(f -> {
            if (f.getValue().isNull()) {
                nulls.add(f.getKey());
            }
        });
        copy.remove(nulls);
        return copy;
    }

    private static List<Class<?>> kinds(Class<?> sealed) {
        List<Class<?>> leaves = new ArrayList<>();
        for (Class<?> permitted : sealed.getPermittedSubclasses()) {
            leaves.addAll(permitted.isSealed() ? kinds(permitted) : List.of(permitted));
        }
        return leaves;
    }
}
