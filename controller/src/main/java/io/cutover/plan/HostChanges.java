package io.cutover.plan;

import io.cutover.playbook.Action;
import java.util.List;
import java.util.Objects;

/**
 * What one host's plan would change, counted by {@link Change}: the steps that would make a lasting
 * change, those already as planned (facts show nothing to do), the guarded block's transient ones
 * and the read-only ones; and the files a lasting step would change. Offline, every lasting step
 * counts as changing: only facts could tell otherwise. The recap and the journal count what ran by
 * the same definition, so a host planned "0 changing" ends "changed=0" unless it changed since.
 */
public record HostChanges(int changing, int unchanged, int transientSteps, int readOnly, int changingFiles, boolean online) {

    public static HostChanges of(HostPlan host) {
        int changing = 0;
        int unchanged = 0;
        int transientSteps = 0;
        int readOnly = 0;
        int files = 0;
        for (PlannedStep step : host.steps()) {
            switch (Change.of(step)) {
                case NONE -> readOnly++;
                case TRANSIENT -> transientSteps++;
                case LASTING -> {
                    if (wouldChange(host, step)) {
                        changing++;
                        files += (int) step.files().stream().filter(FileChange::changes).count();
                    } else {
                        unchanged++;
                    }
                }
            }
        }
        return new HostChanges(changing, unchanged, transientSteps, readOnly, files, !host.facts().parsed().offline());
    }

    /** The fleet's totals: every host that has steps (one that could not be planned has none). */
    public static HostChanges total(List<HostPlan> hosts, boolean online) {
        return hosts.stream().filter(h -> !h.steps().isEmpty()).map(HostChanges::of).reduce(HostChanges::plus)
                .orElse(new HostChanges(0, 0, 0, 0, 0, online));
    }

    public int steps() {
        return changing + unchanged + transientSteps + readOnly;
    }

    /** Planned from facts, with steps, none of them a lasting change: only the proof block would run again. */
    public boolean converged() {
        return online && steps() > 0 && changing == 0;
    }

    public HostChanges plus(HostChanges other) {
        return new HostChanges(changing + other.changing, unchanged + other.unchanged, transientSteps + other.transientSteps,
                readOnly + other.readOnly, changingFiles + other.changingFiles, online && other.online);
    }

    /** "16 steps: 4 changing, 1 already as planned, 7 transient (the proof block), 4 read-only". */
    public String describe() {
        StringBuilder text = new StringBuilder().append(steps()).append(steps() == 1 ? " step: " : " steps: ")
                .append(changing).append(" changing");
        if (unchanged > 0) {
            text.append(", ").append(unchanged).append(" already as planned");
        }
        return text.append(", ").append(transientSteps).append(" transient (the proof block), ").append(readOnly)
                .append(" read-only").toString();
    }

    /**
     * Whether a lasting step would change anything, as far as the facts tell (true where they cannot):
     * a file step whose files are all already as planned, BIND installed, named running as bind-start
     * leaves it, a refresh whose processes already see the planned resolv.conf, change nothing.
     */
    public static boolean wouldChange(HostPlan host, PlannedStep step) {
        HelperFacts facts = host.facts().parsed();
        if (Change.of(step) != Change.LASTING || facts.offline()) {
            return Change.of(step) == Change.LASTING;
        }
        BindFacts bind = facts.bind();
        return switch (step.action()) {
            case FILE_INSTALL, RESOLV_INSTALL -> step.files().isEmpty() || step.files().stream().anyMatch(FileChange::changes);
            case BIND_INSTALL -> !bind.installed();
            case BIND_START -> !namedRunsAsLeft(bind);
            case REFRESH -> !refreshed(host, step, facts);
            default -> true;
        };
    }

    /** named runs, and under systemd its unit is enabled, active and restarted by systemd: bind-start has nothing to do. */
    private static boolean namedRunsAsLeft(BindFacts bind) {
        if (!bind.running()) {
            return false;
        }
        if (!bind.systemd()) {
            return true;
        }
        return bind.service().filter(s -> "enabled".equals(s.unitFileState()) && "active".equals(s.activeState()) && s.restarts())
                .isPresent();
    }

    /**
     * resolv.conf already as planned, and every process the step targets already sees the servers it
     * would list. (The helper also refreshes a process it has no record of refreshing, such as one
     * restarted since the last run: the recap then counts that refresh, which facts could not foresee.)
     */
    private static boolean refreshed(HostPlan host, PlannedStep refresh, HelperFacts facts) {
        List<PlannedStep> resolv = host.steps().stream().filter(s -> s.action() == Action.RESOLV_INSTALL && !s.inBlock()).toList();
        if (resolv.isEmpty() || resolv.stream().anyMatch(s -> wouldChange(host, s))) {
            return false;
        }
        Object planned = resolv.get(resolv.size() - 1).args().get("nameservers");
        for (String target : RefreshPlan.targets(refresh)) {
            List<HelperFacts.RunningProcess> processes = facts.processes(target);
            if (processes.isEmpty()) {
                return false;
            }
            for (HelperFacts.RunningProcess process : processes) {
                if (!Objects.equals(process.seenNameservers(), planned)) {
                    return false;
                }
            }
        }
        return true;
    }
}
