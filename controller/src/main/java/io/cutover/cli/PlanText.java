package io.cutover.cli;

import io.cutover.helper.HelperCall;
import io.cutover.helper.StepCalls;
import io.cutover.plan.FileChange;
import io.cutover.plan.FleetPlan;
import io.cutover.plan.HostPlan;
import io.cutover.plan.PlannedStep;
import io.cutover.plan.StepNotes;
import io.cutover.render.Unknown;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The human plan: per host, every step, its files as diffs, its undo, the guard; then a summary line. */
final class PlanText {

    private PlanText() {
    }

    static void print(FleetPlan plan, PrintWriter out) {
        out.printf("Playbook %s (%s)%n", plan.playbook().name(), plan.playbook().file());
        if (plan.offline()) {
            out.println("Offline plan: no host was contacted. Values shown as <facts...> are decided by each host's");
            out.println("facts; `cutover plan` without --offline shows them, and diffs against the hosts' files.");
        }
        out.println();
        List<List<HostPlan>> batches = plan.batches();
        for (int i = 0; i < batches.size(); i++) {
            List<HostPlan> batch = batches.get(i);
            out.printf("Batch %d of %d (%d host%s): %s%n", i + 1, batches.size(), batch.size(), batch.size() == 1 ? "" : "s",
                    batch.stream().map(HostPlan::host).collect(Collectors.joining(", ")));
        }
        for (HostPlan host : plan.hosts()) {
            out.println();
            printHost(host, out);
        }
        out.println();
        long changing = plan.hosts().stream().flatMap(h -> h.steps().stream()).filter(s -> s.action().mutating()).count();
        out.printf("Plan: %d host%s in %d batch%s, %d steps (%d changing), %d file%s to install. Nothing has been changed.%n",
                plan.hosts().size(), plan.hosts().size() == 1 ? "" : "s", batches.size(), batches.size() == 1 ? "" : "es",
                plan.stepCount(), changing, plan.fileCount(), plan.fileCount() == 1 ? "" : "s");
        // a host that could not be planned has no steps above: the count alone would hide it
        List<String> unplanned = plan.hosts().stream().filter(h -> h.steps().isEmpty() && !h.warnings().isEmpty())
                .map(HostPlan::host).toList();
        List<String> refused = plan.hosts().stream().filter(h -> !h.steps().isEmpty()
                && h.warnings().stream().anyMatch(w -> w.startsWith("preflight would refuse"))).map(HostPlan::host).toList();
        if (!unplanned.isEmpty()) {
            out.printf("Not planned (see each one's `!` line): %s.%n", String.join(", ", unplanned));
        }
        if (!refused.isEmpty()) {
            out.printf("Preflight would refuse, before any change: %s.%n", String.join(", ", refused));
        }
    }

    private static void printHost(HostPlan host, PrintWriter out) {
        out.printf("host %s%n", host.host());
        for (String warning : host.warnings()) {
            out.printf("  ! %s%n", warning);
        }
        String openBlock = null;
        for (PlannedStep step : host.steps()) {
            if (step.inBlock() && !step.block().equals(openBlock)) {
                for (HelperCall call : StepCalls.beforeGuard(host)) {
                    out.printf("  before the block, pgbouncer's cached answer for the probe is waited out (not with the old servers banned):%n"
                            + "        $ %s%n", call.display());
                }
                out.printf("  ┌ guarded block `%s`: the host's guard is armed here; if cutover or the link dies inside,%n",
                        step.block());
                out.printf("  │ the host reverts the whole block by itself %s after arming.%n", host.guardedBlock().deadline());
                openBlock = step.block();
            } else if (!step.inBlock() && openBlock != null) {
                closeBlock(out);
                openBlock = null;
            }
            String bar = step.inBlock() ? "  │ " : "  ";
            out.printf("%s%2d. %-22s %s%s%n", bar, step.number(), step.name(), step.action().key(), args(step.args()));
            for (FileChange file : step.files()) {
                printFile(file, bar, out);
            }
            for (HelperCall call : StepCalls.of(step, host.runId(), host.facts(), null)) {
                out.printf("%s      $ %s%n", bar, call.display());
            }
            for (String note : StepNotes.of(host, step)) {
                out.printf("%s      on this host: %s%n", bar, note);
            }
            step.action().undo().ifPresent(undo -> out.printf("%s      undo: %s%n", bar, undo));
        }
        if (openBlock != null) {
            closeBlock(out);
        }
    }

    private static void closeBlock(PrintWriter out) {
        out.println("  └ guard disarmed: the block is complete.");
    }

    private static void printFile(FileChange file, String bar, PrintWriter out) {
        String indent = bar + "      ";
        if (!file.before().known()) {
            out.printf("%s~ %s (current content: <facts>); will contain:%n", indent, file.path());
            String body = file.after().endsWith("\n") ? file.after().substring(0, file.after().length() - 1) : file.after();
            for (String line : body.split("\n", -1)) {
                out.printf("%s  | %s%n", indent, line);
            }
            return;
        }
        String diff = file.diff();
        if (diff.isEmpty()) {
            out.printf("%s= %s (already as planned: unchanged)%n", indent, file.path());
            return;
        }
        out.printf("%s%s %s%n", indent, file.before().exists() ? "~" : "+", file.path());
        for (String line : diff.split("\n")) {
            out.printf("%s  %s%n", indent, line);
        }
    }

    private static String args(Map<String, Object> args) {
        if (args.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        args.forEach((name, value) -> {
            if (!name.equals("template")) {
                text.append(' ').append(name).append('=').append(show(value));
            }
        });
        return text.length() == 0 ? "" : " " + text.toString().trim();
    }

    private static String show(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(PlanText::show).collect(Collectors.joining(",", "[", "]"));
        }
        if (value instanceof Unknown unknown) {
            return unknown.toString();
        }
        return String.valueOf(value);
    }
}
