package io.cutover.plan;

import io.cutover.helper.HelperCall;
import io.cutover.helper.HelperScript;
import io.cutover.playbook.Action;
import io.cutover.playbook.Duration;
import io.cutover.playbook.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Translates one planned step into the helper invocations that perform it, once, as the planner
 * makes the step: the step carries them, and the plan shows and apply sends what it carries.
 * Offline, what only facts tell (a process id) is shown as {@code <facts: ...>}; what only the
 * run tells (the trigger's query name) is a {@link PlannedCall.Slot}.
 */
final class StepCalls {

    private StepCalls() {
    }

    /**
     * @param runId the run id (a placeholder in offline plans)
     * @param facts the host's facts, {@link HelperFacts#OFFLINE} offline
     */
    static List<PlannedCall> of(PlannedStep step, Object runId, HelperFacts facts) {
        Map<String, Object> a = step.args();
        String run = String.valueOf(runId);
        List<String> common = List.of("--run", run, "--step", step.name());
        return switch (step.action()) {
            case PREFLIGHT -> List.of(); // checked by the controller against the facts
            case FILE_INSTALL -> known(install("file-install", step, common, a.get("mode")));
            case RESOLV_INSTALL -> known(resolvInstall(step, common, facts.resolv()));
            case BIND_CHECK -> known(HelperCall.of("bind-check", List.of()));
            case BIND_INSTALL -> known(HelperCall.of("bind-install", bindInstall(common, a, facts.bind())));
            case BIND_START -> known(HelperCall.of("bind-start",
                    withOptional(bindStart(common, facts.bind()), "--verify-name", a.get("verify_name"))));
            case BIND_RELOAD -> known(HelperCall.of("bind-reload", withOptional(common, "--verify-name", a.get("verify_name"))));
            case REFRESH -> refresh(step, common, facts).stream().map(PlannedCall::of).toList();
            case FW_BAN -> known(HelperCall.of("fw-ban", concat(common, strings(a.get("addresses")))));
            case FW_UNBAN -> known(HelperCall.of("fw-unban", List.of("--run", run)));
            case CAPTURE_START -> known(HelperCall.of("capture-start", common));
            case TRIGGER -> known(trigger(a, run));
            case CAPTURE_VERIFY -> List.of(verify(a, run));
        };
    }

    private static List<PlannedCall> known(HelperCall call) {
        return List.of(PlannedCall.of(call));
    }

    /** The package, pinned to the candidate the plan shows when facts found BIND missing. */
    private static List<String> bindInstall(List<String> common, Map<String, Object> a, BindFacts facts) {
        List<String> args = concat(common, List.of("--package", String.valueOf(a.get("package"))));
        return facts.missing().filter(BindFacts.Package::installable)
                .map(p -> concat(args, List.of("--version", p.candidate()))).orElse(args);
    }

    /** The init system facts found (the helper refuses a host that has changed since) and named's unit. */
    private static List<String> bindStart(List<String> common, BindFacts facts) {
        if (facts.offline()) {
            return common;
        }
        List<String> args = concat(common, List.of("--init", facts.systemd() ? "systemd" : "none"));
        return facts.systemd() ? facts.service().map(s -> concat(args, List.of("--unit", s.unit()))).orElse(args) : args;
    }

    private static HelperCall install(String subcommand, PlannedStep step, List<String> common, Object mode) {
        FileChange file = step.files().get(0);
        return withContent(subcommand, common, file.path(), file.after(), mode == null ? List.of() : List.of("--mode", String.valueOf(mode)));
    }

    private static HelperCall withContent(String subcommand, List<String> args, String path, String text, List<String> more) {
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        List<String> all = concat(concat(args, List.of("--target", path, "--sha256", HelperScript.sha256(content))), more);
        return new HelperCall(subcommand, all, content, "the rendered " + path + " (" + content.length + " bytes)");
    }

    /**
     * One call does the owner's part too (its configuration file, its reload or unit), so that no
     * state between them is ever left by the controller. The owner the plan was made for is passed:
     * the helper refuses a host whose owner has changed since. Under resolvconf, which writes the
     * file itself, the content only names the servers it must list.
     */
    private static HelperCall resolvInstall(PlannedStep step, List<String> common, ResolvFacts facts) {
        List<String> args = facts.offline() ? common : concat(common, List.of("--owner", facts.ownerName()));
        String path = String.valueOf(step.args().get("path"));
        return step.files().stream().filter(f -> f.path().equals(path)).findFirst()
                .map(f -> withContent("resolv-install", args, path, f.after(), List.of()))
                .orElseGet(() -> withContent("resolv-install", args, path, nameserverLines(step.args().get("nameservers")), List.of()));
    }

    private static String nameserverLines(Object nameservers) {
        StringBuilder text = new StringBuilder();
        for (String server : strings(nameservers)) {
            text.append("nameserver ").append(server).append('\n');
        }
        return text.toString();
    }

    /**
     * One call per running process the step's targets name, with the method {@link RefreshPlan}
     * chose; a refused target gets no call (preflight refuses the host before any step runs).
     */
    private static List<HelperCall> refresh(PlannedStep step, List<String> common, HelperFacts facts) {
        String method = String.valueOf(step.args().get("method"));
        List<String> targets = strings(step.args().get("processes"));
        List<HelperCall> calls = new ArrayList<>();
        if (facts.offline()) {
            for (String target : targets) {
                String shown = method.equals("auto") ? "<facts: refresh method of " + target + ">" : method;
                calls.add(HelperCall.of("refresh", concat(common, List.of("<facts: pid of " + target + ">", shown))));
            }
            return calls;
        }
        for (RefreshPlan.Choice choice : RefreshPlan.of(targets, method, facts)) {
            if (!choice.refused()) {
                List<String> args = concat(common, List.of(String.valueOf(choice.pid()), choice.method()));
                Object findUrl = step.args().get("find_url");
                calls.add(HelperCall.of("refresh", RefreshPlan.FIND_BY_BREAKPOINT.equals(choice.method()) && findUrl != null
                        ? concat(args, List.of("--find-url", String.valueOf(findUrl))) : args));
            }
        }
        return calls;
    }

    private static HelperCall trigger(Map<String, Object> a, String run) {
        if ("reload".equals(String.valueOf(a.get("via")))) {
            List<String> args = new ArrayList<>(List.of("--run", run, "--via", "reload", "--pidfile", String.valueOf(a.get("pidfile"))));
            if (a.get("name") != null) {
                args.addAll(List.of("--name", String.valueOf(a.get("name"))));
            }
            return HelperCall.of("trigger", args);
        }
        Object name = a.get("name"); // the planner gives one where the playbook does not
        if ("getent".equals(String.valueOf(a.get("via")))) {
            return HelperCall.of("trigger", List.of("--run", run, "--via", "getent", "--name", String.valueOf(name),
                    "--timeout", seconds((Duration) a.get("timeout"))));
        }
        if ("http".equals(String.valueOf(a.get("via")))) {
            // the daemon resolves the name its own way; the GET stops once the capture has seen the lookup
            return HelperCall.of("trigger", List.of("--run", run, "--via", "http", "--url", String.valueOf(a.get("url")),
                    "--name", String.valueOf(name), "--timeout", seconds((Duration) a.get("timeout")), "--until-captured", "dns"));
        }
        // --until-captured: psql stops once the run's capture (capture-start's default name, dns) has
        // seen the lookup, instead of waiting out the timeout; verify still reads the whole capture
        List<String> args = new ArrayList<>(List.of("--run", run, "--host", "127.0.0.1", "--port", String.valueOf(a.get("port")),
                "--db", String.valueOf(a.get("database")), "--user", String.valueOf(a.get("user")),
                "--timeout", seconds((Duration) a.get("timeout")), "--until-captured", "dns"));
        StringBuilder stdin = new StringBuilder();
        if (a.get("admin_user") != null) {
            args.addAll(List.of("--admin-user", String.valueOf(a.get("admin_user")), "--fresh"));
        }
        if (a.get("password") instanceof Secret password) {
            args.add("--password-stdin");
            stdin.append(password.value()).append('\n');
            Secret admin = a.get("admin_password") instanceof Secret s ? s : password;
            stdin.append(admin.value()).append('\n');
        }
        String description = stdin.length() == 0 ? null : "passwords (not shown)";
        return new HelperCall("trigger", args, stdin.toString().getBytes(StandardCharsets.UTF_8), description);
    }

    /**
     * What runs before the guard of the plan's block is armed: for each pgbouncer trigger in the
     * block, waiting out an answer pgbouncer still has cached for the probe name (once a client has
     * asked for the probe, its pool looks the name up again every time the answer expires), so that
     * the trigger does not wait inside the block with the old servers banned. Nothing for a getent,
     * http or reload trigger, or without an admin user to read pgbouncer's cache with.
     */
    static List<PlannedCall> beforeGuard(PlannedStep trigger, Object runId) {
        Map<String, Object> a = trigger.args();
        if (trigger.action() != Action.TRIGGER || !trigger.inBlock()
                || !"pgbouncer".equals(String.valueOf(a.get("via"))) || a.get("admin_user") == null) {
            return List.of();
        }
        HelperCall call = trigger(a, String.valueOf(runId));
        List<String> args = new ArrayList<>(call.args());
        int captured = args.indexOf("--until-captured");
        args.subList(captured, captured + 2).clear();
        args.remove("--fresh");
        args.add("--wait-cached");
        return List.of(PlannedCall.of(new HelperCall("trigger", args, call.stdin(), call.stdinDescription())));
    }

    private static PlannedCall verify(Map<String, Object> a, String run) {
        List<PlannedCall.Word> args = new ArrayList<>(texts("--run", run, "--qname"));
        args.add(new PlannedCall.Blank(PlannedCall.Slot.QNAME));
        args.addAll(texts("--expect", String.valueOf(a.get("expect"))));
        for (String forbidden : strings(a.get("forbid"))) {
            args.addAll(texts("--forbid", forbidden));
        }
        if (Boolean.TRUE.equals(a.get("stop"))) {
            args.addAll(texts("--stop"));
        }
        return new PlannedCall("capture-verify", args, null, null);
    }

    private static List<PlannedCall.Word> texts(String... words) {
        return java.util.Arrays.stream(words).<PlannedCall.Word>map(PlannedCall.Text::new).toList();
    }

    private static String seconds(Duration duration) {
        return duration.millis() % 1000 == 0 ? Long.toString(duration.millis() / 1000)
                : String.format(java.util.Locale.ROOT, "%.3f", duration.millis() / 1000.0);
    }

    private static List<String> withOptional(List<String> base, String flag, Object value) {
        return value == null ? base : concat(base, List.of(flag, String.valueOf(value)));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }
}
