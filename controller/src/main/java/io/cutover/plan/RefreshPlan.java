package io.cutover.plan;

import io.cutover.playbook.Action;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a refresh step does on one host, per target it names (a process name or a pidfile),
 * decided from the helper's facts alone: which running process each target is, the method that
 * switches it and why — or why it cannot be switched. Preflight refuses the host on any refusal,
 * the helper calls are made from the choices, and the plan prints them: all three read this, so a
 * target can never be listed by the plan and silently left out of the refresh.
 */
public final class RefreshPlan {

    /** The methods the helper implements; anything else facts name is only advice (e.g. restart). */
    public static final List<String> METHODS = List.of("none", "gdb-res-init", "gdb-cares", "pgbouncer-online-restart",
            "signal-HUP", "signal-USR1", "signal-USR2");

    /**
     * One running process a target named, or the target alone when it names none.
     *
     * @param target  the name or pidfile as the playbook wrote it
     * @param pid     the process, {@code null} when the target names no running process
     * @param name    the process's name (comm)
     * @param method  the method the refresh calls, {@code null} when refused
     * @param why     the facts behind the method, or behind the refusal
     * @param refusal why this process (or target) cannot be switched without a restart; {@code null} if it can
     */
    public record Choice(String target, Long pid, String name, String method, String why, String refusal) {

        public Choice {
            Objects.requireNonNull(target, "target");
            if (method == null && refusal == null) {
                throw new IllegalArgumentException("a choice without a method must say why: " + target);
            }
        }

        public boolean refused() {
            return refusal != null;
        }

        /**
         * One line for the plan and preflight: "pgbouncer pid 55: c-ares 1.18.1 → gdb-cares (…)", or
         * "nginx pid 789: resolver 10.0.0.2 in /etc/nginx/nginx.conf → no safe method yet (…): refused …".
         */
        public String describe() {
            String who = pid == null ? target : (name == null ? target : name) + " pid " + pid
                    + (target.equals(name) ? "" : " (" + target + ")");
            if (refused()) {
                return who + ": " + (why == null ? "" : why + ": ") + "refused: " + refusal;
            }
            return who + ": " + (why == null ? "→ " + method : why.contains("→") ? why : why + " → " + method);
        }
    }

    private static final String ONLINE_RESTART = "pgbouncer-online-restart";

    /**
     * Said wherever a playbook names the online restart: auto never picks it. Measured in
     * bench/results/analysis.md: one run in five lost a client connection under load.
     */
    private static final String ONLINE_RESTART_RISK = " (warning: pgbouncer -R replaces the process, and it lost a client"
            + " connection in 1 of 5 benchmark runs; auto never picks it; the refresh fails and rolls back the host if a"
            + " connection is lost)";

    private RefreshPlan() {
    }

    /**
     * The choices for a refresh step's {@code processes} and {@code method} on a host whose facts
     * are {@code facts}; a process two targets name (its name and its pidfile) is refreshed once.
     */
    public static List<Choice> of(List<String> targets, String method, Map<?, ?> facts) {
        return of(targets, method, facts, List.of());
    }

    /**
     * As {@link #of(List, String, Map)}, where {@code banned} are the servers the cutover bans: a
     * daemon whose own config names one of them would lose its DNS in the proof, and says so.
     */
    public static List<Choice> of(List<String> targets, String method, Map<?, ?> facts, List<String> banned) {
        List<Choice> choices = new ArrayList<>();
        Set<Object> seen = new LinkedHashSet<>();
        for (String target : targets) {
            List<Map<?, ?>> processes = processes(facts, target);
            if (processes.isEmpty()) {
                String problem = targetProblem(facts, target);
                choices.add(new Choice(target, null, null, null, null, problem));
                continue;
            }
            for (Map<?, ?> process : processes) {
                if (seen.add(process.get("pid"))) {
                    choices.add(choose(target, process, method, banned));
                }
            }
        }
        return List.copyOf(choices);
    }

    private static Choice choose(String target, Map<?, ?> process, String method, List<String> banned) {
        Long pid = process.get("pid") instanceof Number n ? n.longValue() : null;
        String name = process.get("name") == null ? null : String.valueOf(process.get("name"));
        String why = process.get("refresh_why") == null ? null : String.valueOf(process.get("refresh_why"));
        List<String> bannedOwn = ownServers(process).stream().filter(banned::contains).toList();
        String bans = bannedOwn.isEmpty() ? "" : "; its own resolver " + String.join(" ", bannedOwn)
                + (bannedOwn.size() == 1 ? " is a server" : " are servers") + " the cutover bans: it would lose DNS during the proof";
        if (!"auto".equals(method)) {
            if (!METHODS.contains(method)) {
                return new Choice(target, pid, name, null, null, "refresh_method " + method + " is not a method the helper has ("
                        + String.join(", ", METHODS) + ", or auto)");
            }
            return bans.isEmpty() ? new Choice(target, pid, name, method, "the playbook's refresh_method"
                    + (method.equals(ONLINE_RESTART) ? ONLINE_RESTART_RISK : ""), null)
                    : new Choice(target, pid, name, null, why, "the playbook's refresh_method " + method + " does not change it" + bans);
        }
        Object advised = process.get("refresh_method");
        if (advised != null && METHODS.contains(String.valueOf(advised))) {
            return new Choice(target, pid, name, String.valueOf(advised), why, null);
        }
        String refusal = advised == null
                ? (why != null && why.contains("no safe method (")
                        ? "auto picks no method for it (docs/resolver-refresh.md)"
                        : "no method that switches it without a restart is implemented yet (docs/resolver-refresh.md)") + bans
                : "only a " + advised + " would switch it (resolver: " + process.get("adns") + "); see docs/resolver-refresh.md";
        return new Choice(target, pid, name, null, why, refusal);
    }

    /** The servers a daemon's own config names (nginx resolver, HAProxy resolvers), as facts read them. */
    private static List<String> ownServers(Map<?, ?> process) {
        if (process.get("own_resolver") instanceof Map<?, ?> own && own.get("servers") instanceof List<?> servers) {
            return servers.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    /**
     * The refresh step in the plan's words: per process, the method and why, or why it is refused;
     * offline, that facts decide. Empty for other steps.
     */
    public static List<String> notes(PlannedStep step, Object facts, List<String> banned) {
        if (step.action() != Action.REFRESH) {
            return List.of();
        }
        List<String> targets = targets(step);
        if (targets.isEmpty()) {
            return List.of("no processes named (refresh_processes is empty): no process is refreshed on this host");
        }
        if (!(facts instanceof Map<?, ?> tree)) {
            return List.of("each target's running process and its method (auto: from what facts find in that process) are "
                    + "decided by the host's facts; a target that names no running process refuses the host");
        }
        return of(targets, String.valueOf(step.args().get("method")), tree, banned).stream().map(Choice::describe).toList();
    }

    /** The servers a plan's fw-ban steps ban (the old servers), in the order written. */
    public static List<String> banned(List<PlannedStep> steps) {
        return steps.stream().filter(s -> s.action() == Action.FW_BAN && s.args().get("addresses") instanceof List<?>)
                .flatMap(s -> ((List<?>) s.args().get("addresses")).stream()).map(String::valueOf).distinct().toList();
    }

    /** The step's {@code processes}, as written (a single value is a list of one). */
    public static List<String> targets(PlannedStep step) {
        Object value = step.args().get("processes");
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }

    /**
     * The running processes the facts list for a target: those the helper found by that name or
     * pidfile ({@code targets}), or — in facts of a helper that did not report them — by name.
     */
    public static List<Map<?, ?>> processes(Map<?, ?> facts, String target) {
        List<Map<?, ?>> matched = new ArrayList<>();
        if (facts.get("processes") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> process && (process.get("targets") instanceof List<?> named
                        ? named.contains(target) : target.equals(process.get("name")))) {
                    matched.add(process);
                }
            }
        }
        return matched;
    }

    /** Why a target names no running process, in the helper's words where it said. */
    private static String targetProblem(Map<?, ?> facts, String target) {
        if (facts.get("refresh_targets") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> t && target.equals(t.get("target")) && t.get("problem") != null) {
                    return t.get("problem") + ": nothing to switch, and a rollout never reports success for a process it did "
                            + "not switch; start it, fix the name or pidfile, or leave it out of refresh_processes";
                }
            }
        }
        return "no running process matches " + target + " (facts did not find it): nothing to switch; start it, fix the name "
                + "or pidfile, or leave it out of refresh_processes";
    }
}
