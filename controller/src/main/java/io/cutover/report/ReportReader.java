package io.cutover.report;

import io.cutover.journal.HostStatus;
import io.cutover.journal.JournalEvent;
import io.cutover.journal.JournalException;
import io.cutover.journal.JournalReader;
import io.cutover.journal.Record;
import io.cutover.journal.RunState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@link RunReport} from a run's journal, and from nothing else: no host is contacted, no
 * input file is read again (the report shows the hashes the run recorded). A journal that
 * {@code status} refuses is refused here too, with the same message.
 */
public final class ReportReader {

    private ReportReader() {
    }

    public static RunReport read(Path journal) {
        RunState state = RunState.load(journal);
        return of(JournalReader.read(journal), state, journal.toString(), sha256(journal));
    }

    static RunReport of(List<Record> records, RunState state, String journalName, String journalHash) {
        Map<String, HostTrack> tracks = new LinkedHashMap<>();
        state.hosts().forEach(h -> tracks.put(h.host(), new HostTrack(h.host())));
        List<String> notes = new ArrayList<>();
        Instant start = ts(records.get(0));
        Instant last = start;
        Instant ended = null;
        boolean rollbackRun = false;
        for (Record record : records) {
            Instant ts = ts(record);
            last = ts.isAfter(last) ? ts : last;
            JournalEvent event = record.event();
            if (event instanceof JournalEvent.Resume resume) {
                rollbackRun = false;
                notes.add(Durations.dateTime(ts) + ": resumed" + skipping(resume.skipping()));
            } else if (event instanceof JournalEvent.RollbackRun rollback) {
                rollbackRun = true;
                notes.add(Durations.dateTime(ts) + ": `cutover rollback` of " + String.join(", ", rollback.hosts()));
            } else if (event instanceof JournalEvent.Aborted aborted) {
                notes.add(Durations.dateTime(ts) + ": rollout stopped: " + aborted.reason());
            } else if (event instanceof JournalEvent.RunEnd) {
                ended = ts;
            } else if (event instanceof JournalEvent.HostEvent hostEvent) {
                HostTrack host = tracks.get(hostEvent.host());
                if (rollbackRun && event instanceof JournalEvent.HostEnd end) {
                    host.reverted(end, ts);
                } else {
                    host.apply(hostEvent, ts);
                }
            }
        }
        List<HostReport> hosts = new ArrayList<>();
        List<Timeline.Lane> lanes = new ArrayList<>();
        for (RunState.HostState h : state.hosts()) {
            HostTrack track = tracks.get(h.host());
            hosts.add(track.report(h));
            lanes.add(lane(track));
        }
        JournalEvent.RunStart run = state.start();
        String outcome = state.outcome().orElse("unfinished");
        Optional<JournalEvent.Operator> operator = state.operator();
        return new RunReport(state.runId(), run.playbook(), run.inventory(),
                Durations.dateTime(start), Durations.dateTime(ended), Durations.between(start, ended == null ? last : ended),
                operator.map(ReportReader::ranBy).orElse(null), operator.map(JournalEvent.Operator::controller).orElse(null),
                run.cwd(), outcome, outcome, run.inputs(), journalName, journalHash, notes, summary(state, hosts, tracks.values()),
                Timeline.of(start, last, lanes), hosts);
    }

    private static Timeline.Lane lane(HostTrack track) {
        List<Timeline.Span> spans = new ArrayList<>();
        for (HostTrack.StepTrack s : track.steps) {
            String result = s.resultOrInterrupted();
            spans.add(new Timeline.Span(s.start, s.end, "step-" + result, track.host + " · " + s.number + " " + s.name
                    + " · " + result + (s.result != null ? " · " + Durations.between(s.start, s.end) : "")));
        }
        for (HostTrack.RollbackTrack r : track.rollbacks) {
            spans.add(new Timeline.Span(r.start, r.end, "rollback", track.host + " · rollback (" + r.kind + ") · "
                    + (r.verified == null ? "no result in the journal" : r.verified ? "verified" : "NOT verified")));
        }
        List<Timeline.Span> bans = track.bans.stream().map(b -> new Timeline.Span(b.from, b.to, "ban", track.host
                + " · old DNS servers banned" + (b.to != null ? " for " + Durations.between(b.from, b.to)
                        : ", not lifted in the journal"))).toList();
        Timeline.Span span = track.started() == null ? null : new Timeline.Span(track.started(), track.ended(), "span",
                track.host + " · from its start to its end" + (track.ended() == null ? " (no end in the journal)" : ""));
        return new Timeline.Lane(track.host, span, spans, bans);
    }

    private static RunReport.Summary summary(RunState state, List<HostReport> hosts, Iterable<HostTrack> tracks) {
        Map<HostStatus, Integer> counts = new EnumMap<>(HostStatus.class);
        state.hosts().forEach(h -> counts.merge(h.status(), 1, Integer::sum));
        List<RunReport.Count> byStatus = counts.entrySet().stream().map(e -> new RunReport.Count(e.getKey().label(),
                e.getKey().name().toLowerCase(java.util.Locale.ROOT), e.getValue())).toList();
        int steps = 0;
        int rollbacks = 0;
        int verified = 0;
        long longestMs = -1;
        for (HostReport host : hosts) {
            steps += host.steps().size();
            rollbacks += host.rollbacks().size();
            verified += (int) host.rollbacks().stream().filter(r -> Boolean.TRUE.equals(r.verified())).count();
        }
        for (HostTrack track : tracks) {
            for (HostTrack.BanTrack ban : track.bans) {
                if (ban.to != null) {
                    longestMs = Math.max(longestMs, ban.to.toEpochMilli() - ban.from.toEpochMilli());
                }
            }
        }
        String longest = longestMs < 0 ? null : Durations.of(java.time.Duration.ofMillis(longestMs));
        int proven = (int) hosts.stream().filter(h -> h.capture() != null && h.capture().proven()).count();
        int banned = (int) hosts.stream().filter(h -> !h.bans().isEmpty()).count();
        return new RunReport.Summary(hosts.size(), byStatus, steps, proven, banned, longest, rollbacks, verified);
    }

    /** "deploy (sudo from alice)": the account, and the person behind sudo where there was one. */
    private static String ranBy(JournalEvent.Operator operator) {
        if (operator.user() == null) {
            return null;
        }
        return operator.user() + (operator.sudoUser() != null ? " (sudo from " + operator.sudoUser() + ")" : "");
    }

    private static String skipping(List<String> skipping) {
        return skipping.isEmpty() ? "" : " (skipping " + String.join(", ", skipping) + ": done before)";
    }

    private static Instant ts(Record record) {
        try {
            return Instant.parse(record.ts());
        } catch (DateTimeParseException | NullPointerException e) {
            throw new JournalException(record.where() + ": its `ts` is `" + record.ts()
                    + "`, not a time: the journal was edited or damaged, a report would put its steps at the wrong times");
        }
    }

    private static String sha256(Path file) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new JournalException("cannot read the run journal " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
