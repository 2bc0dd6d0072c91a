package io.cutover.cli;

import io.cutover.plan.BanWindow;
import io.cutover.plan.FileChange;
import io.cutover.plan.FleetPlan;
import io.cutover.plan.HostChanges;
import io.cutover.plan.HostPlan;
import io.cutover.plan.PlannedCall;
import io.cutover.plan.PlannedStep;
import io.cutover.plan.RefreshPlan;
import io.cutover.plan.StepNotes;
import io.cutover.render.Unknown;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The human plan: per host (or per group of hosts with identical plans), its counts by the one
 * definition of changed, every step, its files as diffs, its undo, the guard; then the totals.
 */
final class PlanText {

    /** A line printFile wrote from a diff: the step's indent, then the diff's own line. */
    private static final Pattern DIFF_LINE = Pattern.compile("^((?:  │ |  ) {8})([-+@].*)$");

    private PlanText() {
    }

    static void print(FleetPlan plan, PrintWriter out) {
        print(plan, out, Colors.NONE, PlanGroups.each(plan.hosts()));
    }

    /** @param groups the hosts as printed: one each, or grouped by identical plans ({@code plan --summary}) */
    static void print(FleetPlan plan, PrintWriter out, Colors colors, List<PlanGroups.Group> groups) {
        out.printf("Playbook %s (%s)%n", plan.playbook().name(), plan.playbook().file());
        if (plan.offline()) {
            out.println("Offline plan: no host was contacted. Values shown as <facts...> are decided by each host's");
            out.println("facts; `cutover plan` without --offline shows them, and diffs against the hosts' files.");
        }
        out.println();
        List<List<HostPlan>> batches = plan.batches();
        for (int i = 0; i < batches.size(); i++) {
            List<HostPlan> batch = batches.get(i);
            List<String> names = batch.stream().map(HostPlan::host).toList();
            out.printf("Batch %d of %d (%d host%s): %s%n", i + 1, batches.size(), batch.size(), batch.size() == 1 ? "" : "s",
                    groups.size() < plan.hosts().size() ? HostRanges.compact(names) : String.join(", ", names));
        }
        for (PlanGroups.Group group : groups) {
            out.println();
            if (group.hosts().size() == 1) {
                out.println(colors.bold("host " + group.hosts().get(0)));
            } else {
                out.println(colors.bold("hosts " + HostRanges.compact(group.hosts())) + " (" + group.hosts().size()
                        + " hosts with the same plan" + PlanGroups.legend(group) + ")");
            }
            out.print(colors.on() ? paint(group.body(), colors) : group.body());
        }
        out.println();
        HostChanges total = HostChanges.total(plan.hosts(), !plan.offline());
        out.printf("Plan: %d host%s in %d batch%s, %s; %d file%s to change. Nothing has been changed.%n",
                plan.hosts().size(), plan.hosts().size() == 1 ? "" : "s", batches.size(), batches.size() == 1 ? "" : "es",
                total.describe(), total.changingFiles(), total.changingFiles() == 1 ? "" : "s");
        // a host that could not be planned has no steps above: the count alone would hide it
        List<String> unplanned = plan.hosts().stream().filter(h -> h.steps().isEmpty() && !h.warnings().isEmpty())
                .map(HostPlan::host).toList();
        List<String> refused = plan.hosts().stream().filter(h -> !h.steps().isEmpty()
                && h.warnings().stream().anyMatch(w -> w.startsWith("preflight would refuse"))).map(HostPlan::host).toList();
        List<String> converged = plan.hosts().stream().filter(h -> HostChanges.of(h).converged()).map(HostPlan::host).toList();
        if (!converged.isEmpty()) {
            out.printf("Already converged (no file changes; only the proof block runs again): %s.%n", HostRanges.compact(converged));
        }
        if (!unplanned.isEmpty()) {
            out.printf("Not planned (see each one's `!` line): %s.%n", String.join(", ", unplanned));
        }
        if (!refused.isEmpty()) {
            out.printf("Preflight would refuse, before any change: %s.%n", String.join(", ", refused));
        }
    }

    /** Diff lines coloured: in a file's body every line is indented and then "  -", "  +", "  @@". */
    private static String paint(String body, Colors colors) {
        StringBuilder painted = new StringBuilder();
        for (String line : body.split("\n", -1)) {
            Matcher diff = DIFF_LINE.matcher(line);
            painted.append(diff.matches() ? diff.group(1) + colors.diffLine(diff.group(2)) : line).append('\n');
        }
        return painted.substring(0, painted.length() - 1);
    }

    /** Everything the plan says about one host, after its "host" line. */
    static String body(HostPlan host) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        for (String warning : host.warnings()) {
            out.printf("  ! %s%n", warning);
        }
        if (!host.steps().isEmpty()) {
            out.printf("  %s%n", changes(host));
        }
        String openBlock = null;
        for (PlannedStep step : host.steps()) {
            if (step.inBlock() && !step.block().equals(openBlock)) {
                for (PlannedCall call : host.beforeGuard()) {
                    out.printf("  before the block, pgbouncer's cached answer for the probe is waited out (not with the old servers banned):%n"
                            + "        $ %s%n", call.shown().display());
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
            for (PlannedCall call : step.calls()) {
                out.printf("%s      $ %s%n", bar, call.shown().display());
            }
            for (String note : StepNotes.of(host, step)) {
                out.printf("%s      on this host: %s%n", bar, note);
            }
            step.action().undo().ifPresent(undo -> out.printf("%s      undo: %s%n", bar, undo));
        }
        if (openBlock != null) {
            closeBlock(out);
        }
        out.flush();
        return text.toString();
    }

    /**
     * The host's counts by the one definition of changed; for a host already as planned, that only
     * the proof block runs again, and for how long it bans the old servers.
     */
    private static String changes(HostPlan host) {
        HostChanges changes = HostChanges.of(host);
        if (!changes.converged()) {
            return changes.describe() + "; " + changes.changingFiles() + " file" + (changes.changingFiles() == 1 ? "" : "s")
                    + " to change";
        }
        List<String> banned = RefreshPlan.banned(host.steps());
        return "= no file changes: every lasting step is already as planned. " + BanWindow.of(host)
                .map(w -> "The proof block will run again and ban the old servers" + (banned.isEmpty() ? "" : " (" + String.join(", ", banned) + ")")
                        + " for " + w.describe() + ".")
                .orElse("The guarded block will run again.");
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
