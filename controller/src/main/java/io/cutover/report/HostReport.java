package io.cutover.report;

import java.util.List;
import java.util.Objects;

/**
 * One host of a run, as its journal records tell it.
 *
 * @param bans      when the old servers were banned on it (once per attempt that reached the ban)
 * @param capture   the proof's capture; null if the verify step never answered
 * @param waitedS   seconds the trigger waited for pgbouncer's cached answer to expire; null if not journaled
 */
public record HostReport(String host, String status, String statusClass, String reason, String started, String ended,
        String lasted, int attempts, String helperSha256, List<Step> steps, List<Ban> bans, List<Refresh> refreshes,
        Capture capture, Integer waitedS, List<Rollback> rollbacks) {

    public HostReport {
        Objects.requireNonNull(host, "host");
        steps = List.copyOf(steps);
        bans = List.copyOf(bans);
        refreshes = List.copyOf(refreshes);
        rollbacks = List.copyOf(rollbacks);
    }

    /**
     * One step as run. {@code result}: ok, changed, failed, or interrupted (started, never ended:
     * the controller stopped). {@code took} is the step's own measure when it ended.
     */
    public record Step(int attempt, int number, String name, String action, String started, String took, String result,
            String error) {
    }

    /** The window the old DNS servers were rejected on the host, and what lifted the ban. */
    public record Ban(String from, String to, String lasted, List<String> addresses, String liftedBy) {

        public Ban {
            addresses = List.copyOf(addresses);
        }
    }

    /**
     * How one process was switched to the new resolver. {@code stall}: how long it was stopped
     * (gdb attached), or null when the method does not stop it.
     */
    public record Refresh(String pid, String method, String stall, String sockets, String detail) {
    }

    /** The tcpdump proof: the packets for the probe name, and how many went where. */
    public record Capture(String qname, List<Packet> packets, int total, int toExpected, int toForbidden, boolean proven) {

        public Capture {
            packets = List.copyOf(packets);
        }
    }

    /** One captured packet; {@code local} when it went to 127.0.0.1:53. */
    public record Packet(String time, String kind, String source, String destination, String qtype, boolean local) {
    }

    /**
     * A rollback of the host: automatic after a failure (scope block or all), a resume's
     * reconciliation, or a later {@code cutover rollback}. {@code verified} is null when the
     * journal ends before its result.
     */
    public record Rollback(String kind, String at, String reason, Boolean verified, int undone, String problem) {
    }
}
