package io.cutover.plan;

import io.cutover.playbook.Action;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides from facts alone whether a host can be done safely, before anything changes on it.
 * Each problem is a sentence an SRE can act on; any problem refuses the host.
 */
public final class Preflight {

    private Preflight() {
    }

    public static List<String> problems(HostPlan plan, HelperFacts facts) {
        List<String> problems = new ArrayList<>();
        BindFacts service = facts.bind();
        for (PlannedStep step : plan.steps()) {
            switch (step.action()) {
                case PREFLIGHT -> {
                    for (Object tool : list(step.args().get("require"))) {
                        boolean present = tool.equals("named") ? service.installed() : facts.has(String.valueOf(tool));
                        if (!present && !(BIND_TOOLS.contains(tool) && installsBind(plan, service))) {
                            problems.add("needs " + tool + ", which is not installed");
                        }
                    }
                }
                case RESOLV_INSTALL -> resolvProblem(facts.resolv(), service, installsBind(plan, service)).ifPresent(problems::add);
                case FW_BAN -> {
                    if (facts.banBackend() == null) {
                        problems.add("no usable firewall (nft or iptables) to ban the old DNS servers");
                    }
                }
                case BIND_INSTALL -> installProblem(service).ifPresent(problems::add);
                case BIND_START -> startProblem(service).ifPresent(problems::add);
                case REFRESH -> refreshProblems(step, facts, plan.steps(), problems);
                case CAPTURE_START -> {
                    if (!facts.has("tcpdump")) {
                        problems.add("needs tcpdump for the proof, which is not installed");
                    }
                }
                default -> {
                    // the other actions check their own preconditions on the host (exit 3)
                }
            }
        }
        problems.addAll(alternateProblems(plan, facts.upstreams()));
        problems.addAll(sharedNameProblems(plan));
        return problems.stream().distinct().toList();
    }

    /**
     * One capture serves every trigger of the block, and a verify finds its trigger's lookup by
     * the name: two triggers that look up the same name could each pass on the other's lookup.
     * (A name only the run learns, a reload's upstream, is checked when the trigger reports it.)
     */
    private static List<String> sharedNameProblems(HostPlan plan) {
        Map<String, String> first = new java.util.HashMap<>();
        List<String> problems = new ArrayList<>();
        for (PlannedStep step : plan.steps()) {
            if (step.action() != Action.TRIGGER) {
                continue;
            }
            for (PlannedCall call : step.calls()) {
                List<String> args = call.shown().args();
                int at = args.indexOf("--name");
                String earlier = at < 0 || at + 1 == args.size() ? null : first.putIfAbsent(args.get(at + 1), step.name());
                if (earlier != null) {
                    problems.add("triggers `" + earlier + "` and `" + step.name() + "` both look up " + args.get(at + 1)
                            + ": each verify could pass on the other's lookup; give each trigger its own name");
                }
            }
        }
        return problems;
    }

    private static final Pattern FORWARDERS = Pattern.compile("forwarders\\s*\\{([^}]*)}");

    /**
     * The guarded block makes BIND forward to other servers while it bans the old ones. An
     * alternate that is also banned can never answer, and the proof fails only after the ban; an
     * alternate the host asks today, left unbanned, is a server a process that was not switched
     * still reaches. Both are refused before any change ({@code current}: the host's servers today).
     */
    private static List<String> alternateProblems(HostPlan plan, List<String> current) {
        List<String> banned = new ArrayList<>();
        List<String> forwarders = new ArrayList<>();
        Set<String> whileBanned = new LinkedHashSet<>();
        Set<String> bannedAlternates = new LinkedHashSet<>();
        for (PlannedStep step : plan.steps()) {
            if (!step.inBlock()) {
                continue;
            }
            switch (step.action()) {
                case FW_BAN -> list(step.args().get("addresses")).forEach(a -> banned.add(String.valueOf(a)));
                case FW_UNBAN -> banned.clear();
                case FILE_INSTALL -> step.files().forEach(file -> {
                    Matcher m = FORWARDERS.matcher(file.after().replaceAll("(//|#)[^\n]*", ""));
                    if (m.find()) {
                        forwarders.clear();
                        for (String word : m.group(1).split("[;\\s]+")) {
                            if (!word.isBlank()) {
                                forwarders.add(word.strip());
                            }
                        }
                    }
                });
                default -> {
                    // other steps change neither the ban nor where BIND forwards
                }
            }
            // what BIND forwards to while the ban holds (the capture and the trigger run in between)
            if (!banned.isEmpty()) {
                forwarders.forEach(whileBanned::add);
                forwarders.stream().filter(banned::contains).forEach(bannedAlternates::add);
            }
        }
        List<String> problems = new ArrayList<>();
        if (!bannedAlternates.isEmpty()) {
            problems.add("the block bans " + String.join(", ", bannedAlternates)
                    + " and makes BIND forward to it at the same time: the proof could never pass; "
                    + ALTERNATES_RULE);
        }
        List<String> inUse = whileBanned.stream().filter(current::contains).filter(a -> !bannedAlternates.contains(a)).toList();
        if (!inUse.isEmpty()) {
            problems.add("the block makes BIND forward to " + String.join(", ", inUse) + " while it bans the old servers, "
                    + "but the host asks " + (inUse.size() == 1 ? "it" : "them") + " today and the block does not ban "
                    + (inUse.size() == 1 ? "it" : "them") + ": a process that was not switched would still be answered; "
                    + ALTERNATES_RULE);
        }
        return problems;
    }

    private static final String ALTERNATES_RULE =
            "the alternates (cutover_alt_forwarders in the shipped playbook) must be servers the host does not use today";

    /** resolv.conf is changed through its owner: refused where cutover cannot configure that owner. */
    private static Optional<String> resolvProblem(ResolvFacts resolv, BindFacts service, boolean installsBind) {
        if (resolv.offline()) {
            return Optional.empty();
        }
        if (resolv.owner().isEmpty()) {
            return Optional.of("resolv.conf is owned by " + resolv.ownerName() + ", which cutover does not know how to configure");
        }
        ResolvFacts.Owner owner = resolv.owner().get();
        if (owner.needsSystemd() && !service.systemd()) {
            return Optional.of(owner.factName() + " owns resolv.conf, and cutover configures " + owner.factName()
                    + " only under systemd (PID 1 here is " + service.pid1() + ")");
        }
        if (owner == ResolvFacts.Owner.RESOLVCONF) {
            if (!resolv.resolvconfTruncates()) {
                return Optional.of("resolvconf keeps the old servers after 127.0.0.1 (TRUNCATE_NAMESERVER_LIST_AFTER_LOOPBACK_ADDRESS "
                        + "is off in /etc/default/resolvconf): set it to yes, or remove the setting");
            }
            if (resolv.namedResolvconfUnit().isEmpty() && !installsBind) {
                return Optional.of("resolvconf owns resolv.conf, but systemd has no " + ResolvFacts.NAMED_RESOLVCONF_UNIT
                        + " (Debian's bind9 ships it) to register 127.0.0.1 with resolvconf");
            }
        }
        return Optional.empty();
    }

    /** What the bind9 package brings: a host that will get it does not lack them. */
    private static final List<String> BIND_TOOLS = List.of("named", "rndc", "named-checkconf");

    private static boolean installsBind(HostPlan plan, BindFacts bind) {
        return hasAction(plan, Action.BIND_INSTALL) && bind.missing().map(BindFacts.Package::installable).orElse(false);
    }

    private static Optional<String> installProblem(BindFacts bind) {
        if (bind.installed() || bind.offline()) {
            return Optional.empty();
        }
        return bind.missing().filter(p -> !p.installable()).map(p -> p.manager() == null
                ? "BIND is not installed and the host has no apt to install " + p.name() + " with; install BIND yourself"
                : "BIND is not installed and no package source of the host has " + p.name()
                        + " (apt-cache policy: no candidate); add a source that has it, or install BIND yourself");
    }

    private static Optional<String> startProblem(BindFacts bind) {
        if ("unknown".equals(bind.init())) {
            return Optional.of("PID 1 is " + bind.pid1() + ", an init system cutover does not know: it drives systemd, "
                    + "or starts named by hand where no service manager runs (a shell or a container's init as PID 1)");
        }
        return bind.service().filter(s -> !RESTORABLE.contains(s.unitFileState()))
                .map(s -> s.unit() + " is '" + s.unitFileState() + "', which cutover could not restore exactly "
                        + "(it restores enabled, disabled and masked); enable or disable it yourself first");
    }

    private static final List<String> RESTORABLE = List.of("enabled", "enabled-runtime", "disabled", "masked", "masked-runtime");

    private static void refreshProblems(PlannedStep step, HelperFacts facts, List<PlannedStep> steps, List<String> problems) {
        String method = String.valueOf(step.args().get("method"));
        List<String> targets = RefreshPlan.targets(step);
        for (RefreshPlan.Choice choice : RefreshPlan.of(targets, method, facts, RefreshPlan.banned(steps))) {
            if (choice.refused()) {
                problems.add("refresh " + choice.describe());
            } else if (RefreshPlan.findUrlProblem(choice, step).isPresent()) {
                problems.add(RefreshPlan.findUrlProblem(choice, step).get());
            } else if (choice.method().startsWith("gdb") && !facts.has("gdb")) {
                problems.add("refreshing " + choice.target() + " with " + choice.method() + " needs gdb, which is not installed");
            } else if (RefreshPlan.proof(choice, step, steps).isEmpty()) {
                // a rollout never reports a process switched that it did not see ask 127.0.0.1
                problems.add("refresh " + choice.target() + ": no trigger proves it (nothing would make "
                        + (choice.name() == null ? "it" : choice.name() + " pid " + choice.pid())
                        + " look a fresh name up while the old servers are banned); add a trigger step whose `proves` names "
                        + choice.target() + ", followed by a capture-verify (docs/playbooks.md), or accept it without a proof "
                        + "in the refresh step's `unproved`");
            }
        }
    }

    static List<?> list(Object value) {
        return value instanceof List<?> l ? l : value == null ? List.of() : List.of(value);
    }

    static boolean hasAction(HostPlan plan, Action action) {
        return plan.steps().stream().anyMatch(s -> s.action() == action);
    }
}
