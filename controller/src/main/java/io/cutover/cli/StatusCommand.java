package io.cutover.cli;

import io.cutover.journal.JournalException;
import io.cutover.journal.RunDirectory;
import io.cutover.journal.RunState;
import io.cutover.yaml.InputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cutover status}: where every host of a run stands, from its journal. Contacts no host. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Show the per-host state of a run (the last one by default), from its journal. Contacts no host.",
        footer = {
            "",
            "Examples:",
            "  cutover status                       # the last run",
            "  cutover status 20261125-184229-a276 -o json | jq '.hosts[] | {host, status}'",
            "  cutover status --list                # every run in .cutover/runs",
            "  cutover status --list -o json        # the same, as one JSON document",
        })
final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions runOptions;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN_ID", description = "The run (default: the last one).")
    String runId;

    @Mixin
    OutputOptions output;

    @Option(names = "--list", description = "List the runs instead, oldest first: when, who, outcome, playbook, hosts.")
    boolean list;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RunDirectory runs = new RunDirectory(runOptions.runsDir);
        if (list) {
            if (output.json()) {
                out.println(JsonOutput.document("runs", Clock.systemUTC(),
                        Map.of("runs", runs.runs().stream().map(id -> listEntry(runs, id)).toList())));
            } else {
                list(runs, out);
            }
            out.flush();
            return ExitCode.OK;
        }
        String id = resolveRun(runs, runId);
        RunState state = RunState.load(runs.journal(id));
        if (output.json()) {
            out.println(json(state));
        } else {
            text(state, out);
        }
        out.flush();
        return ExitCode.OK;
    }

    /** The given run, or the last one; a clear error when there is none. */
    static String resolveRun(RunDirectory runs, String runId) {
        if (runId != null) {
            if (!java.nio.file.Files.isRegularFile(runs.journal(runId))) {
                throw new InputException("no run " + runId + " in " + runs.root() + " (see `cutover status --list`)");
            }
            return runId;
        }
        return runs.latest().orElseThrow(() -> new InputException("no runs in " + runs.root()
                + "; `cutover apply` starts one (or pass --runs-dir)"));
    }

    /**
     * The runs as a table, oldest first: when, who, outcome, playbook, hosts counted by status. A
     * journal that cannot be read is one line naming why, never the end of the list.
     */
    static void list(RunDirectory runs, PrintWriter out) {
        List<String> ids = runs.runs();
        if (ids.isEmpty()) {
            out.println("no runs in " + runs.root() + "; `cutover apply` starts one (or pass --runs-dir)");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("RUN", "STARTED (UTC)", "BY", "OUTCOME", "PLAYBOOK", "HOSTS"));
        for (String id : ids) {
            try {
                rows.add(listRow(id, RunState.load(runs.journal(id))));
            } catch (JournalException e) {
                rows.add(List.of(id, "unreadable: " + e.getMessage()));
            }
        }
        int[] widths = new int[6];
        rows.stream().filter(r -> r.size() == widths.length).forEach(r -> {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        });
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                boolean last = i == row.size() - 1;
                line.append(last ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
            }
            out.println(line);
        }
    }

    private static List<String> listRow(String id, RunState state) {
        Map<String, Long> counts = new LinkedHashMap<>();
        state.hosts().forEach(h -> counts.merge(h.status().label(), 1L, Long::sum));
        String started = Objects.requireNonNullElse(state.started(), "");
        started = started.length() >= 16 ? started.substring(0, 10) + " " + started.substring(11, 16) : "?";
        String by = state.operator().map(o -> Objects.requireNonNullElse(o.person(), "?") + "@"
                + Objects.requireNonNullElse(o.controller(), "?")).orElse("?");
        String playbook = Path.of(Objects.requireNonNullElse(state.start().playbook(), "?")).getFileName().toString();
        String hosts = state.hosts().size() + ": " + String.join(", ",
                counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList());
        return List.of(id, started, by, state.outcome().orElse("unfinished"), playbook, hosts);
    }

    private static void text(RunState state, PrintWriter out) {
        out.printf("run %s: %s%n", state.runId(), state.outcome().orElse("did not finish (controller stopped): `cutover resume` continues it"));
        out.printf("  playbook %s, inventory %s%n", state.start().playbook(), io.cutover.journal.JournalEvent.json(state.start().inventory()));
        int width = state.hosts().stream().mapToInt(h -> h.host().length()).max().orElse(4);
        for (RunState.HostState host : state.hosts()) {
            String where = host.status().name().equals("RUNNING")
                    ? "at step " + host.lastStepStarted() + (host.inBlock() ? " (inside the guarded block)" : "") : "";
            String detail = host.reason() != null ? host.reason() : io.cutover.engine.HostOutcome.summarize(host.proof());
            out.printf("  %-" + width + "s  %-11s %s %s%s%n", host.host(), host.status().label(),
                    RunLauncher.counts(host.changedSteps(), host.transientSteps()), where, detail);
        }
    }

    /** One run of --list for machines: what the line says, in fields; an unreadable journal says why. */
    private static Map<String, Object> listEntry(RunDirectory runs, String id) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("run", id);
        RunState state;
        try {
            state = RunState.load(runs.journal(id));
        } catch (JournalException e) {
            entry.put("error", e.getMessage());
            return entry;
        }
        entry.put("started_at", JsonOutput.time(state.started()));
        entry.put("outcome", state.outcome().orElse(null));
        entry.put("playbook", state.start().playbook());
        entry.put("operator", state.operator().orElse(null));
        Map<String, Long> counts = new LinkedHashMap<>();
        state.hosts().forEach(h -> counts.merge(h.status().name().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum));
        entry.put("hosts", state.hosts().size());
        entry.put("host_statuses", counts);
        return entry;
    }

    private static String json(RunState state) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("run", state.runId());
        doc.put("started_at", JsonOutput.time(state.started()));
        doc.put("outcome", state.outcome().orElse(null));
        doc.put("playbook", state.start().playbook());
        List<Map<String, Object>> hosts = state.hosts().stream().map(h -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", h.host());
            m.put("status", h.status());
            m.put("started_at", JsonOutput.time(h.started()));
            m.put("ended_at", JsonOutput.time(h.ended()));
            m.put("last_step_started", h.lastStepStarted());
            m.put("last_step_done", h.lastStepDone());
            m.put("in_block", h.inBlock());
            m.put("changed_steps", h.changedSteps());
            m.put("transient_steps", h.transientSteps());
            m.put("reason", h.reason());
            m.put("proof", h.proof());
            return m;
        }).toList();
        doc.put("hosts", hosts);
        return JsonOutput.document("status", Clock.systemUTC(), doc);
    }
}
