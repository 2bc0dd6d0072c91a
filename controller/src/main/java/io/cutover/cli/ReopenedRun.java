package io.cutover.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.journal.JournalEvent;
import io.cutover.journal.RunDirectory;
import io.cutover.journal.RunState;
import io.cutover.playbook.PlaybookLoader;
import io.cutover.yaml.InputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run reopened from its journal for resume or rollback: the same playbook, inventory, limit,
 * vars and batches it started with, refused if any of those files changed since (unless forced),
 * and the facts each host had before the run touched it.
 */
record ReopenedRun(String runId, RunState state, RunInputs inputs, Map<String, Map<String, Object>> facts) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static ReopenedRun open(RunDirectory runs, String requestedId, boolean force, PrintWriter err) {
        String id = StatusCommand.resolveRun(runs, requestedId);
        RunState state = RunState.load(runs.journal(id));
        JournalEvent.RunStart start = state.start();
        Path cwd = Path.of(start.cwd() != null ? start.cwd() : ".");
        Path playbook = cwd.resolve(java.util.Objects.requireNonNullElse(start.playbook(), ""));
        List<Path> inventory = start.inventory().stream().map(cwd::resolve).toList();
        RunInputs inputs = RunInputs.load(playbook, inventory, start.limit(), start.lenient(), start.extraVars(),
                start.serial().stream().map(s -> PlaybookLoader.parseBatchSize(s, null)).toList(), err);
        Map<String, String> recorded = start.inputs();
        if (!inputs.inputHashes().equals(recorded)) {
            List<String> changed = new ArrayList<>();
            inputs.inputHashes().forEach((k, v) -> {
                if (!v.equals(recorded.get(k))) {
                    changed.add(k);
                }
            });
            if (!force) {
                throw new InputException("run " + id + ": its " + String.join(", ", changed)
                        + " changed since the run started; continuing would mix two rollouts. Use --force to continue "
                        + "with the files as they are now, or start a new run with `cutover apply`.");
            }
            err.println("cutover: warning: " + String.join(", ", changed) + " changed since run " + id + " started (--force)");
        }
        if (!inputs.hosts().equals(start.hosts())) {
            throw new InputException("run " + id + ": the inventory now selects other hosts than the run started with");
        }
        Map<String, Map<String, Object>> facts = new LinkedHashMap<>();
        for (RunState.HostState host : state.hosts()) {
            if (host.facts() != null) {
                facts.put(host.host(), MAPPER.convertValue(host.facts(), Map.class));
            }
        }
        return new ReopenedRun(id, state, inputs, facts);
    }

    /** The run's inputs reaching hosts as the run did (its recorded -u, ANSIBLE_*, ansible.cfg), under {@code ssh}'s flags. */
    RunInputs connecting(SshOptions ssh, PrintWriter warnings) {
        Map<String, Map<String, Object>> recorded = state.start().connection();
        if (recorded == null) {
            return inputs.connecting(ssh, warnings); // a run journaled before connection defaults were recorded
        }
        return inputs.connecting(ssh.connectionDefaults(recorded));
    }
}
