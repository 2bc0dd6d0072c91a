package io.cutover.engine;

import io.cutover.helper.Helper;
import io.cutover.plan.CurrentFile;
import io.cutover.plan.HostFacts;
import io.cutover.plan.HostPlan;
import io.cutover.plan.LiveFacts;
import io.cutover.plan.PlannedStep;
import io.cutover.plan.RefreshPlan;
import io.cutover.playbook.Action;
import io.cutover.ssh.SshConnection;
import io.cutover.ssh.SshException;
import io.cutover.helper.HelperException;
import io.cutover.yaml.InputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The prepare stage, the one path of {@code plan}, {@code apply}, {@code resume} and {@code check}:
 * a host's facts (read-only), then its plan from them — every step with the exact helper calls
 * apply sends, and what preflight finds as the plan's warnings. Changes nothing on the host.
 * Where apply differs, the difference is an argument, not another path: it prepares once the
 * host's lock is taken, with the facts it journaled before (resume), and again with the
 * processes read after a reconcile ({@link #withRunningProcesses}).
 */
public final class Prepare {

    private final RunContext run;
    private final Object runId;

    /** For a run: its id goes into the plan (the probe name, {@code --run}). */
    Prepare(RunContext run) {
        this(run, run.runId());
    }

    /** @param runId what the plan says for the run id: an {@link io.cutover.render.Unknown} where no run is started ({@code plan}) */
    public Prepare(RunContext run, Object runId) {
        this.run = run;
        this.runId = runId;
    }

    /**
     * What the host is planned from: the helper's facts report and today's content of the files
     * the plan installs (empty for facts an earlier attempt journaled), or why they could not be read.
     */
    public record Facts(Map<String, Object> report, Map<String, CurrentFile> files, String error) {

        public Facts {
            files = Map.copyOf(files);
        }

        public boolean ok() {
            return error == null;
        }

        /** Facts an earlier attempt of the run journaled: the host before the run changed it. */
        static Facts journaled(Map<String, Object> report) {
            return new Facts(report, Map.of(), null);
        }
    }

    /** One host prepared: its facts, and its plan — or why it has none (the facts' error, or {@code planError}). */
    public record Prepared(String host, Facts facts, HostPlan plan, String planError) {

        public boolean ok() {
            return plan != null;
        }
    }

    /** Every host of the run prepared over its own read-only connection, {@code forks} at a time ({@code plan}). */
    public List<Prepared> fleet(List<String> hosts, int forks) {
        return Forks.map(hosts, forks, host -> {
            try (SshConnection connection = run.connect(host)) {
                return prepare(run.helper(connection), host, null);
            } catch (SshException | HelperException e) {
                return new Prepared(host, new Facts(null, Map.of(), e.getMessage()), null, null);
            }
        });
    }

    /**
     * One host: facts read now, or {@code journaled} ones reused (resume), then planned.
     *
     * @param journaled the facts an earlier attempt of this run recorded for the host, or {@code null}
     */
    public Prepared prepare(Helper helper, String host, Map<String, Object> journaled) {
        // (the offline plan that says what to read cannot fail: every host was planned offline when the inputs loaded)
        Facts facts = journaled != null ? Facts.journaled(journaled) : read(helper, host);
        if (!facts.ok()) {
            return new Prepared(host, facts, null, null);
        }
        try {
            return new Prepared(host, facts, plan(host, facts), null);
        } catch (InputException e) {
            // the inputs planned offline: what fails now is this host's facts (no upstreams, say)
            return new Prepared(host, facts, null, e.getMessage());
        }
    }

    /** The host planned from its facts: the steps, their helper calls, preflight's findings. */
    public HostPlan plan(String host, Facts facts) {
        return run.planner().plan(host, run.inventoryVars(host), LiveFacts.of(facts.report(), facts.files()), runId);
    }

    /**
     * Resume: the journaled facts say what the host was before the run, but its processes may be
     * others now (a reboot since the attempt starts a new pgbouncer): the refresh must target the
     * ones that run, so they are read again once the host is reconciled.
     */
    Facts withRunningProcesses(Helper helper, String host, Facts journaled) {
        Facts now = read(helper, host);
        if (!now.ok()) {
            return now;
        }
        Map<String, Object> report = new LinkedHashMap<>(journaled.report());
        for (String key : List.of("processes", "refresh_targets")) {
            report.put(key, now.report().get(key));
        }
        return new Facts(report, journaled.files(), null);
    }

    /** The facts and files a host's plan needs, read-only. */
    Facts read(Helper helper, String host) {
        HostPlan offline = offline(host);
        FactsGatherer.HostFactsResult read = FactsGatherer.read(host, helper, processes(offline), paths(offline));
        return new Facts(read.facts(), read.files(), read.error());
    }

    /** The host planned without facts: what says which processes and files to read. */
    HostPlan offline(String host) {
        return run.planner().plan(host, run.inventoryVars(host), HostFacts.offline(), runId);
    }

    /** The processes the host's refresh steps name, and named (the journaled facts show what it was). */
    static List<String> processes(HostPlan offline) {
        Set<String> names = new LinkedHashSet<>();
        for (PlannedStep step : offline.steps()) {
            if (step.action() == Action.REFRESH) {
                names.addAll(RefreshPlan.targets(step));
            }
        }
        names.add("named");
        return new ArrayList<>(names);
    }

    /** The files the host's steps install, whose current content the plan diffs against. */
    static List<String> paths(HostPlan offline) {
        Set<String> paths = new LinkedHashSet<>();
        offline.steps().forEach(step -> step.files().forEach(f -> paths.add(f.path())));
        return new ArrayList<>(paths);
    }
}
