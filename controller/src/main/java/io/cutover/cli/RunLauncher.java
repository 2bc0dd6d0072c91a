package io.cutover.cli;

import io.cutover.engine.EventSink;
import io.cutover.engine.HostOutcome;
import io.cutover.engine.RunContext;
import io.cutover.helper.HelperHome;
import io.cutover.helper.HelperScript;
import io.cutover.journal.HostStatus;
import io.cutover.journal.RunDirectory;
import io.cutover.run.RunServices;
import io.cutover.run.Runs;
import io.cutover.ssh.SshConnector;
import io.cutover.ssh.SshSettingsResolver;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The terminal side of apply and resume: the live view or the event lines, the operator's
 * interrupts (first Ctrl-C: no new hosts; second: roll back hosts in their block), the recap
 * and the exit code. The run itself is {@link Runs}'.
 */
final class RunLauncher {

    private RunLauncher() {
    }

    /** An apply or a resume, given the run layer, where its events go, and whom to tell of the run's context. */
    interface Lifecycle {
        Runs.Finished run(Runs runs, EventSink sink, Consumer<RunContext> started);
    }

    static int launch(RunDirectory runs, SshOptions ssh, PrintWriter out, PrintWriter err, boolean json,
            Interrupts.Scope interrupts, Lifecycle lifecycle) {
        // -v: a line per step and host even on a terminal, where the live status line would replace them
        try (LiveView view = !json && System.console() != null && ssh.verbosity() == 0 ? LiveView.onTerminal(out) : null) {
            EventSink printer = view != null ? view : json ? new JsonEvents(out, Clock.systemUTC()) : new EventPrinter(out);
            // while the view is on, what is said on stderr goes above its status line, never onto it
            PrintWriter said = view != null ? view.writerAbove(err) : err;
            SshConnector connector = view != null ? ssh.connector(said, view::pausedFor) : ssh.connector(err);
            Runs.Finished finished = lifecycle.run(new Runs(runs, services(ssh, ssh.resolver(said), connector)), printer,
                    context -> interrupts.handTo(n -> interrupted(n, context, said)));
            if (!json) {
                recap(finished.result().outcomes(), finished.runId(), finished.took(), finished.outcome().label(), out);
            }
            return finished.outcome().exitCode();
        }
    }

    /** The real collaborators of a run, as the command line sets them up. */
    static RunServices services(SshOptions ssh, SshSettingsResolver resolver, SshConnector connector) {
        return new RunServices(resolver, connector, HelperScript.bundled(), HelperHome.DEFAULT, ssh.commandTimeout(),
                Clock.systemUTC());
    }

    private static void recap(List<HostOutcome> outcomes, String runId, Duration took, String outcome, PrintWriter out) {
        out.println();
        out.println("RECAP " + runId);
        int width = outcomes.stream().mapToInt(o -> o.host().length()).max().orElse(4);
        for (HostOutcome o : outcomes) {
            String detail = o.reason() != null ? o.reason() : o.proofSummary();
            out.printf("  %-" + width + "s  %-11s %s %7s  %s%n", o.host(), o.status().label(),
                    counts(o.changedSteps(), o.transientSteps()), EventPrinter.seconds(o.took()), detail);
        }
        Map<HostStatus, Long> counts = new java.util.EnumMap<>(HostStatus.class);
        outcomes.forEach(o -> counts.merge(o.status(), 1L, Long::sum));
        StringBuilder summary = new StringBuilder();
        counts.forEach((status, n) -> summary.append(summary.length() == 0 ? "" : ", ").append(n).append(' ').append(status.label()));
        out.printf("%nRun %s %s in %s: %d host%s: %s.%n", runId, outcome, EventPrinter.seconds(took), outcomes.size(),
                outcomes.size() == 1 ? "" : "s", summary);
        if (!outcome.equals("done")) {
            out.printf("Next: `cutover status %s` for details; `cutover resume %s` retries what is not done.%n", runId, runId);
        }
        out.flush();
    }

    /** "changed=4  transient=7": lasting changes and the guarded block's transient ones (io.cutover.plan.Change); also status's. */
    static String counts(int changed, int transientSteps) {
        return String.format("changed=%-2d transient=%-2d", changed, transientSteps);
    }

    /** Ctrl-C once: finish or roll back running hosts, start no new one. Twice: roll back hosts now. */
    private static void interrupted(int count, RunContext context, PrintWriter err) {
        if (count == 1) {
            context.stopStarting();
            err.println("cutover: interrupt: no new host starts; running hosts finish or roll back. "
                    + "Ctrl-C again to roll back hosts now.");
        } else {
            context.abortNow();
            err.println("cutover: second interrupt: rolling back hosts at their next step.");
        }
        err.flush();
    }
}
