package io.cutover.report;

import io.cutover.journal.JournalEvent;
import io.cutover.journal.HostStatus;
import io.cutover.journal.Journal;
import io.cutover.plan.Change;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run journal written by the real {@link Journal} through the same {@link JournalEvent}s the
 * engine writes (HostRun, Engine, Rollback, RunLauncher), on a clock the test moves: each step
 * takes the time the test says.
 */
final class RunJournal implements AutoCloseable {

    static final Instant START = Instant.parse("2026-11-25T18:30:00Z");
    static final String RUN = "20261125-183000-a1b2";

    private final MovingClock clock = new MovingClock();
    private final Journal journal;

    RunJournal(Path file) {
        journal = Journal.open(file, clock);
    }

    /** The report of the journal {@code writes} makes in {@code dir}. */
    static RunReport report(Path dir, java.util.function.Consumer<RunJournal> writes) {
        Path file = dir.resolve("journal.jsonl");
        try (RunJournal journal = new RunJournal(file)) {
            writes.accept(journal);
        }
        return ReportReader.read(file);
    }

    /** The run-start apply writes, with its inputs' hashes and who ran it. */
    RunJournal start(String... hosts) {
        record(new JournalEvent.RunStart(RUN, "/srv/playbooks/local-caching-bind.yml", List.of("/srv/inventory.yml"), null,
                false, List.of(), List.of(), 10, 0, inputs(), Map.of(), List.of(hosts), List.of(List.of(hosts)), "/srv",
                new JournalEvent.Operator("deploy", "alice", "bastion1")));
        return this;
    }

    RunJournal host(String host) {
        record(new JournalEvent.HostStart(host));
        record(new JournalEvent.HelperPushed(host, "d".repeat(64)));
        return this;
    }

    /** One step that takes {@code ms} and succeeds, its change recorded as the engine records it. */
    RunJournal step(String host, int number, String name, String action, Change change, long ms, Map<String, ?> data) {
        record(new JournalEvent.StepStart(host, number, name, action));
        clock.advance(ms);
        record(new JournalEvent.StepDone(host, number, name, change == Change.LASTING, change == Change.TRANSIENT, ms,
                JournalEvent.json(data)));
        clock.advance(2);
        return this;
    }

    /** A step that starts and, after {@code ms}, fails with {@code error}. */
    RunJournal failedStep(String host, int number, String name, String action, long ms, String error) {
        record(new JournalEvent.StepStart(host, number, name, action));
        clock.advance(ms);
        record(new JournalEvent.StepFailed(host, number, name, error));
        return this;
    }

    /** A step that starts and never ends (the controller died). */
    RunJournal startedStep(String host, int number, String name, String action) {
        record(new JournalEvent.StepStart(host, number, name, action));
        clock.advance(500);
        return this;
    }

    /** The refresh, guard and the block's ban up to the verify: the steps every proving host runs. */
    RunJournal refreshAndBan(String host) {
        step(host, 7, "refresh", "refresh", Change.LASTING, 2194, Map.of("pid", 54, "method", "gdb-cares", "gdb_ms", 360,
                "alive", true, "same_process", true, "sockets_lost", 0, "client_sockets_lost", 0,
                "nameservers_seen", List.of("127.0.0.1")));
        record(new JournalEvent.TriggerReady(host, 3, false));
        record(new JournalEvent.GuardArmed(host, 4, 60));
        step(host, 10, "ban-old", "fw-ban", Change.TRANSIENT, 200, Map.of("backend", "nft", "addresses",
                List.of("10.0.0.11", "10.0.0.12"), "verified", true));
        return step(host, 11, "capture", "capture-start", Change.TRANSIENT, 300, Map.of("name", "dns", "pid", 1061));
    }

    static Map<String, Object> capture() {
        return Map.of("qname", "xaxa-probe.lab.test", "packets", List.of(
                Map.of("time", "18:30:05.1", "src", "127.0.0.1.52017", "dst", "127.0.0.1.53", "kind", "query", "qtype", "A"),
                Map.of("time", "18:30:05.2", "src", "10.0.0.21.50579", "dst", "10.0.0.13.53", "kind", "query", "qtype", "A")),
                "packets_total", 2, "queries_to_expected", 1, "queries_to_forbidden", 0);
    }

    /** A whole successful host: refresh, ban, trigger, verify, unban, disarm, host-end with its proof. */
    RunJournal provedHost(String host) {
        return host(host).proved(host);
    }

    /** {@link #provedHost}'s records after its host-start. */
    RunJournal proved(String host) {
        step(host, 1, "preflight", "preflight", Change.NONE, 1, Map.of());
        refreshAndBan(host);
        step(host, 12, "trigger", "trigger", Change.NONE, 1700, Map.of("qname", "xaxa-probe.lab.test"));
        step(host, 13, "verify", "capture-verify", Change.NONE, 150, capture());
        step(host, 14, "unban", "fw-unban", Change.TRANSIENT, 100, Map.of("backend", "nft", "verified", true));
        record(new JournalEvent.GuardDisarmed(host));
        return record(new JournalEvent.HostEnd(host, HostStatus.CHANGED, null, 9000L, 4, 7, JournalEvent.json(Map.of(
                "capture", capture(), "refresh", List.of(Map.of("pid", 54, "method", "gdb-cares", "gdb_ms", 360,
                        "sockets_lost", 0, "client_sockets_lost", 0)), "files", List.of()))));
    }

    RunJournal end(String outcome, int code) {
        return record(new JournalEvent.RunEnd(outcome, code));
    }

    RunJournal advance(long ms) {
        clock.advance(ms);
        return this;
    }

    /** The playbook's, the inventory's and the -e values' hashes, in the order apply records them. */
    private static Map<String, String> inputs() {
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("playbook", "a".repeat(64));
        inputs.put("inventory", "b".repeat(64));
        inputs.put("extra_vars", "c".repeat(64));
        return inputs;
    }

    RunJournal record(JournalEvent event) {
        journal.append(event);
        clock.advance(1);
        return this;
    }

    @Override
    public void close() {
        journal.close();
    }

    private static final class MovingClock extends Clock {
        private Instant now = START;

        void advance(long ms) {
            now = now.plusMillis(ms);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
