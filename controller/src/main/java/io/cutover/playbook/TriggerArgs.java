package io.cutover.playbook;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a trigger's arguments must hold together, beyond each one's type. One rule for every way an
 * argument is written: the loader checks the literal ones, the planner the same rule again once
 * vars (and a loop's entries) are substituted for a host.
 */
public final class TriggerArgs {

    /** The argument that is missing or wrong, and why. */
    public record Problem(String arg, String message) {
    }

    /** The arguments each way of triggering uses, besides {@code via} and {@code proves}. */
    private static final Map<String, Set<String>> USES = Map.of(
            "pgbouncer", Set.of("port", "database", "user", "password", "admin_user", "admin_password", "timeout"),
            "getent", Set.of("name", "timeout"),
            "http", Set.of("url", "name", "timeout"),
            "reload", Set.of("pidfile", "name", "timeout"));

    private TriggerArgs() {
    }

    /**
     * Whether a trigger {@code via} uses {@code arg}: the shipped playbooks pass every trigger var
     * to every trigger, and a reload trigger shows no pgbouncer password (timeout: the ban estimate).
     */
    public static boolean uses(Object via, String arg) {
        return arg.equals("via") || arg.equals("proves") || USES.getOrDefault(String.valueOf(via), Set.of(arg)).contains(arg);
    }

    /**
     * @param args the trigger's arguments (absent: not given, the action's default applies)
     * @param undecided true for a value not known yet (a template at load time; facts offline)
     */
    public static Optional<Problem> problem(Map<String, Object> args, Predicate<Object> undecided) {
        Object via = args.getOrDefault("via", Action.TRIGGER.args().get("via").defaultValue());
        if (undecided.test(via)) {
            return Optional.empty();
        }
        Object url = args.get("url");
        if ("http".equals(via) && !undecided.test(url) && !(url instanceof String text && text.contains("{name}"))) {
            return Optional.of(new Problem("url", "trigger via http needs `url`, with {name} where the name goes (e.g. "
                    + "http://127.0.0.1:8082/resolve?name={name})" + (url == null ? "" : "; it is " + ValueType.show(url))));
        }
        if ("reload".equals(via) && args.get("pidfile") == null) {
            return Optional.of(new Problem("pidfile", "trigger via reload needs `pidfile`: the nginx or HAProxy master to "
                    + "reload (e.g. /run/nginx.pid)"));
        }
        return Optional.empty();
    }
}
