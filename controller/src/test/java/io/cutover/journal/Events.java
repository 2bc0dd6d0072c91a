package io.cutover.journal;

import java.util.List;

/** Journal events as tests need them: only the fields a test is about, the rest as an old journal would lack them. */
public final class Events {

    private Events() {
    }

    /** A run-start naming its run, playbook and hosts (one batch), nothing else. */
    public static JournalEvent.RunStart runStart(String run, String playbook, String... hosts) {
        return new JournalEvent.RunStart(run, playbook, List.of(), null, false, List.of(), List.of(), 0, 0, null, null,
                List.of(hosts), List.of(List.of(hosts)), null, null);
    }

    public static JournalEvent.StepDone stepDone(String host, int step, boolean changed, boolean transientStep) {
        return new JournalEvent.StepDone(host, step, null, changed, transientStep, 0, null);
    }

    public static JournalEvent.HostEnd hostEnd(String host, HostStatus status) {
        return JournalEvent.HostEnd.before(host, status, null);
    }
}
