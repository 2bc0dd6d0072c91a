package io.cutover.plan;

import io.cutover.playbook.Action;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
    public static final List<String> METHODS = List.of("none", "go-wait", "gdb-res-init", "gdb-cares", "pgbouncer-online-restart",
            "proxy-reload", "proxy-resolver", "signal-HUP", "signal-USR1", "signal-USR2", "gdb-cares-break", "gdb-evdns");

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
     * The method for c-ares in a process whose memory layout is not known: its channel is caught by a
     * breakpoint while the refresh step's {@code find_url} makes it resolve; without one it is refused.
     */
    public static final String FIND_BY_BREAKPOINT = "gdb-cares-break";

    /** Why a {@link #FIND_BY_BREAKPOINT} choice cannot run on a refresh step without {@code find_url}. */
    public static Optional<String> findUrlProblem(Choice choice, PlannedStep refresh) {
        Object url = refresh.args().get("find_url");
        if (!FIND_BY_BREAKPOINT.equals(choice.method())) {
            return Optional.empty();
        }
        if (url != null) {
            String given = String.valueOf(url);
            return given.matches("https?://\\S+") && given.contains("{name}") ? Optional.empty()
                    : Optional.of("refresh " + choice.target() + ": find_url " + given + " is not an http:// or https:// URL with {name} "
                            + "where the name goes");
        }
        return Optional.of("refresh " + choice.describe() + ": refused: its c-ares channel is found only by a breakpoint while a "
                + "request makes it resolve, and the refresh step names no find_url (the daemon's URL that resolves {name}, e.g. "
                + "http://127.0.0.1:8085/resolve?name={name}); add it, or restart the process yourself (docs/resolver-refresh.md)");
    }

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
    public static List<Choice> of(List<String> targets, String method, HelperFacts facts) {
        return of(targets, method, facts, List.of());
    }

    /**
     * As {@link #of(List, String, HelperFacts)}, where {@code banned} are the servers the cutover bans: a
     * daemon whose own config names one of them would lose its DNS in the proof, and says so.
     */
    public static List<Choice> of(List<String> targets, String method, HelperFacts facts, List<String> banned) {
        List<Choice> choices = new ArrayList<>();
        Set<Long> seen = new LinkedHashSet<>();
        for (String target : targets) {
            List<HelperFacts.RunningProcess> processes = facts.processes(target);
            if (processes.isEmpty()) {
                String problem = targetProblem(facts, target);
                choices.add(new Choice(target, null, null, null, null, problem));
                continue;
            }
            for (HelperFacts.RunningProcess process : processes) {
                if (seen.add(process.pid())) {
                    choices.add(choose(target, process, method, banned));
                }
            }
        }
        return List.copyOf(choices);
    }

    private static Choice choose(String target, HelperFacts.RunningProcess process, String method, List<String> banned) {
        Long pid = process.pid();
        String name = process.name();
        String why = process.refreshWhy();
        List<String> bannedOwn = process.ownServers().stream().filter(banned::contains).toList();
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
        String advised = process.refreshMethod();
        if (advised != null && METHODS.contains(advised)) {
            return new Choice(target, pid, name, advised, why, null);
        }
        String refusal = advised == null
                ? (why != null && why.contains("no safe method (")
                        ? "auto picks no method for it (docs/resolver-refresh.md)"
                        : "no method that switches it without a restart is implemented yet (docs/resolver-refresh.md)") + bans
                : "only a " + advised + " would switch it (resolver: " + process.adns() + "); see docs/resolver-refresh.md";
        return new Choice(target, pid, name, null, why, refusal);
    }

    /**
     * The refresh step in the plan's words: per process, the method and why, or why it is refused;
     * offline, that facts decide. Empty for other steps.
     */
    public static List<String> notes(PlannedStep step, HelperFacts facts, List<PlannedStep> steps) {
        if (step.action() != Action.REFRESH) {
            return List.of();
        }
        List<String> banned = banned(steps);
        List<String> targets = targets(step);
        if (targets.isEmpty()) {
            return List.of("no processes named (refresh_processes is empty): no process is refreshed on this host");
        }
        if (facts.offline()) {
            return List.of("each target's running process and its method (auto: from what facts find in that process) are "
                    + "decided by the host's facts; a target that names no running process refuses the host");
        }
        return of(targets, String.valueOf(step.args().get("method")), facts, banned).stream()
                .map(c -> c.describe() + (c.refused() ? "" : proof(c, step, steps).map(p -> "; " + p).orElse("")))
                .toList();
    }

    /**
     * How a refreshed process is proved to ask 127.0.0.1: by the trigger step whose lookup it makes
     * (its {@code proves} names the target or the process), or accepted unproved by the refresh
     * step's {@code unproved}; {@link Optional#empty()} when neither, which preflight refuses.
     */
    public static Optional<String> proof(Choice choice, PlannedStep refresh, List<PlannedStep> steps) {
        for (PlannedStep step : steps) {
            if (step.action() == Action.TRIGGER && names(proves(step), choice)) {
                return Optional.of("proved by trigger `" + step.name() + "`");
            }
        }
        if (names(strings(refresh.args().get("unproved")), choice)) {
            return Optional.of("not proved: accepted without a proof (the refresh step's unproved)");
        }
        return Optional.empty();
    }

    /**
     * The refresh targets a trigger's lookup proves: its {@code proves}, else pgbouncer for a pgbouncer
     * trigger and the reloaded master's pidfile for a reload trigger.
     */
    public static List<String> proves(PlannedStep trigger) {
        Object given = trigger.args().get("proves");
        if (given != null) {
            return strings(given);
        }
        return switch (String.valueOf(trigger.args().get("via"))) {
            case "pgbouncer" -> List.of("pgbouncer");
            case "reload" -> trigger.args().get("pidfile") == null ? List.of() : List.of(String.valueOf(trigger.args().get("pidfile")));
            default -> List.of();
        };
    }

    private static boolean names(List<String> targets, Choice choice) {
        return targets.contains(choice.target()) || (choice.name() != null && targets.contains(choice.name()));
    }

    /** The servers a plan's fw-ban steps ban (the old servers), in the order written. */
    public static List<String> banned(List<PlannedStep> steps) {
        return steps.stream().filter(s -> s.action() == Action.FW_BAN && s.args().get("addresses") instanceof List<?>)
                .flatMap(s -> ((List<?>) s.args().get("addresses")).stream()).map(String::valueOf).distinct().toList();
    }

    /** The step's {@code processes}, as written (a single value is a list of one). */
    public static List<String> targets(PlannedStep step) {
        return strings(step.args().get("processes"));
    }

    private static List<String> strings(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }

    /** Why a target names no running process, in the helper's words where it said. */
    private static String targetProblem(HelperFacts facts, String target) {
        Optional<String> problem = facts.targetProblem(target);
        if (problem.isPresent()) {
            return problem.get() + ": nothing to switch, and a rollout never reports success for a process it did "
                    + "not switch; start it, fix the name or pidfile, or leave it out of refresh_processes";
        }
        return "no running process matches " + target + " (facts did not find it): nothing to switch; start it, fix the name "
                + "or pidfile, or leave it out of refresh_processes";
    }
}
