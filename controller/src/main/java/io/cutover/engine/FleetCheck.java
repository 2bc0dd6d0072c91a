package io.cutover.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.helper.Helper;
import io.cutover.helper.HelperCall;
import io.cutover.helper.HelperException;
import io.cutover.helper.HelperHome;
import io.cutover.helper.HelperResult;
import io.cutover.plan.FileChange;
import io.cutover.plan.HostPlan;
import io.cutover.plan.PlannedCall;
import io.cutover.plan.PlannedStep;
import io.cutover.plan.HelperFacts;
import io.cutover.plan.ResolvFacts;
import io.cutover.playbook.Action;
import io.cutover.ssh.ShellQuote;
import io.cutover.ssh.SshConnection;
import io.cutover.ssh.SshException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code cutover check}: re-proves, read-only, that hosts are as the playbook leaves them. Per host:
 * the host prepared exactly as {@code plan} and {@code apply} prepare it ({@link Prepare}), and
 * <ul>
 *   <li>every file the playbook installs outside its guarded block is what it would install now;</li>
 *   <li>resolv.conf lists 127.0.0.1 only, and named runs and answers on 127.0.0.1:53 — under
 *       systemd also enabled, active and restarted by systemd if it dies;</li>
 *   <li>every refresh target runs, and a fresh lookup it makes (the playbook's own trigger) is
 *       captured reaching 127.0.0.1:53.</li>
 * </ul>
 * Nothing is banned and no configuration changes. The capture needs the helper as a file: it is
 * pushed to a scratch directory under {@code /run} (a tmpfs on systemd hosts) with its own state
 * directory, and both are removed before the host is left — the host's {@code /var/lib/cutover}
 * (its undo logs, its lock) is never touched.
 */
public final class FleetCheck {

    private static final String SCRATCH_ROOT = "/run/cutover-check";

    private final RunContext run;
    private final int forks;

    /** {@code run}'s id names the scratch directory and the capture on each host. */
    public FleetCheck(RunContext run, int forks) {
        this.run = run;
        this.forks = forks;
    }

    public List<CheckResult> check(List<String> hosts) {
        return Forks.map(hosts, forks, this::one);
    }

    private CheckResult one(String host) {
        try (SshConnection connection = run.connect(host)) {
            Prepare.Prepared prepared = new Prepare(run).prepare(run.helper(connection), host, null);
            if (!prepared.ok()) {
                return CheckResult.unchecked(host, prepared.facts().ok() ? prepared.planError() : prepared.facts().error());
            }
            HelperFacts facts = prepared.plan().facts().parsed();
            List<String> drift = new ArrayList<>(Drift.of(prepared.plan(), facts));
            JsonNode proof = prove(connection, prepared.plan(), drift);
            return new CheckResult(host, facts.resolv().ownerName(), drift, proof, null);
        } catch (SshException | HelperException e) {
            return CheckResult.unchecked(host, e.getMessage());
        }
    }

    /**
     * The playbook's capture, trigger and verify, without the ban and with nothing forbidden: the
     * local BIND forwards the probe to the old servers itself, so only "reached 127.0.0.1" proves
     * anything here. Adds to {@code drift} when the lookup did not reach 127.0.0.1.
     */
    private JsonNode prove(SshConnection connection, HostPlan plan, List<String> drift) {
        String scratch = SCRATCH_ROOT + "/" + run.runId();
        Helper helper = new Helper(connection, run.script(), run.commandTimeout(), new HelperHome(scratch + "/bin", scratch + "/state"));
        try {
            helper.install();
            Attempt attempt = attempt(helper, plan);
            if (attempt.answeredFromACache()) {
                // A lookup made shortly before (the rollout's own trigger, say) can still be cached as
                // NXDOMAIN inside the process (c-ares >= 1.23 caches answers itself): no packet at all
                // was sent. Try once more when such an entry has expired.
                sleep(CACHE_WAIT_MS);
                attempt = attempt(helper, plan);
            }
            if (attempt.failure() != null) {
                drift.add("the fresh lookup did not reach 127.0.0.1: " + attempt.failure());
            }
            return attempt.capture();
        } finally {
            // stops a capture still running (its undo), then removes every trace of the check
            try {
                helper.call(HelperCall.of("revert", List.of(run.runId())));
            } finally {
                connection.execPrivileged("rm -rf -- " + ShellQuote.quote(scratch), new byte[0], run.commandTimeout());
            }
        }
    }

    /** pgbouncer's default dns_nxdomain_ttl (15 s), longer than the negative TTLs a cache is usually given. */
    private static final long CACHE_WAIT_MS = 16_000;

    /** One capture → trigger → verify: what verify saw, and why it failed (null when it did not). */
    private record Attempt(JsonNode capture, String failure) {

        boolean answeredFromACache() {
            return failure != null && capture != null && capture.path("packets_total").asInt(-1) == 0;
        }
    }

    /** Every trigger with the verify after it; the first capture is the one reported. */
    private Attempt attempt(Helper helper, HostPlan plan) {
        String qname = null;
        JsonNode first = null;
        for (PlannedStep step : plan.steps()) {
            if (!step.inBlock() || !proofSteps().contains(step.action())) {
                continue;
            }
            for (PlannedCall planned : step.calls()) {
                // nothing is banned here: the local BIND forwarding to the old servers is what a check expects
                PlannedCall call = step.action() == Action.CAPTURE_VERIFY ? planned.without("--forbid") : planned;
                HelperResult result = helper.call(call.toSend(new PlannedCall.RunValues(qname)));
                if (step.action() == Action.TRIGGER) {
                    qname = result.data().path("qname").asText(null);
                }
                boolean verify = step.action() == Action.CAPTURE_VERIFY;
                if (!result.ok()) {
                    return new Attempt(verify ? result.data() : null, step.name() + ": " + result.describeFailure());
                }
                if (verify && first == null) {
                    first = result.data();
                }
            }
        }
        return first != null ? new Attempt(first, null)
                : new Attempt(null, "the playbook has no capture, trigger and verify steps to prove with");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HelperException("interrupted while waiting to prove again");
        }
    }

    private static List<Action> proofSteps() {
        return List.of(Action.CAPTURE_START, Action.TRIGGER, Action.CAPTURE_VERIFY);
    }

    /**
     * resolv.conf rewritten by an owner that writes it itself (dhclient on a lease, resolvconf)
     * holds the owner's bytes, not the template's: what it lists is checked instead.
     */
    private static boolean ownersBytes(PlannedStep step, FileChange file, ResolvFacts.Owner owner) {
        return step.action() == Action.RESOLV_INSTALL && owner != null && owner.rewritesResolvConf()
                && file.path().equals(step.args().get("path"));
    }

    /** The owner's own configuration, as the rollout left it: a rewrite by the owner would undo it. */
    private static Optional<String> ownerDrift(ResolvFacts resolv) {
        if (resolv.owner().isEmpty()) {
            return Optional.empty();
        }
        return switch (resolv.owner().get()) {
            case NETWORK_MANAGER -> "none".equals(resolv.networkManagerDns()) ? Optional.empty()
                    : Optional.of("NetworkManager has dns=" + resolv.networkManagerDns() + ", not none: it will rewrite resolv.conf");
            case SYSTEMD_RESOLVED -> List.of("127.0.0.1").equals(resolv.resolvedGlobalDns()) ? Optional.empty()
                    : Optional.of("systemd-resolved's global DNS is " + resolv.resolvedGlobalDns() + ", not 127.0.0.1 only");
            case RESOLVCONF -> {
                ResolvFacts.UnitState unit = resolv.namedResolvconfUnit().orElse(new ResolvFacts.UnitState(null, null));
                yield "enabled".equals(unit.unitFileState()) && "active".equals(unit.activeState())
                        ? Optional.empty()
                        : Optional.of(ResolvFacts.NAMED_RESOLVCONF_UNIT + " is " + unit.describe()
                                + ", not enabled/active: resolvconf would drop 127.0.0.1 after a reboot");
            }
            case NONE, DHCLIENT -> Optional.empty();
        };
    }

    /** What the facts and the host's plan say has drifted, before any lookup is made. */
    static final class Drift {

        private Drift() {
        }

        static List<String> of(HostPlan plan, HelperFacts facts) {
            List<String> drift = new ArrayList<>();
            ResolvFacts.Owner owner = facts.resolv().owner().orElse(null);
            for (PlannedStep step : plan.steps()) {
                if (step.inBlock()) {
                    continue; // the block installs the proof's temporary configuration, then restores it
                }
                for (FileChange file : step.files()) {
                    if (file.changes() && !ownersBytes(step, file, owner)) {
                        drift.add(file.path() + " is not what the playbook installs (" + step.name() + " would change it)");
                    }
                }
            }
            if (!List.of("127.0.0.1").equals(facts.nameservers())) {
                drift.add("resolv.conf lists " + facts.nameservers() + ", not 127.0.0.1 only");
            }
            ownerDrift(facts.resolv()).ifPresent(drift::add);
            if (!facts.bind().running()) {
                drift.add("named is not running");
            } else if (!facts.bind().answers()) {
                drift.add("named runs but does not answer on 127.0.0.1:53");
            }
            // under systemd: named must come back after a reboot and after a crash
            facts.bind().service().ifPresent(service -> {
                String unit = service.unit();
                if (!"enabled".equals(service.unitFileState())) {
                    drift.add(unit + " is " + service.unitFileState() + ", not enabled: named would not come back after a reboot");
                }
                if (!"active".equals(service.activeState())) {
                    drift.add(unit + " is " + service.activeState() + ", not active");
                }
                if (!service.restarts()) {
                    drift.add(unit + " has Restart=" + service.restart() + ": systemd would not restart a named that dies");
                }
            });
            for (PlannedStep step : plan.steps()) {
                if (step.action() == Action.REFRESH && step.args().get("processes") instanceof List<?> targets) {
                    for (Object target : targets) {
                        if (facts.processes(String.valueOf(target)).isEmpty()) {
                            drift.add("no running process matches refresh target " + target);
                        }
                    }
                }
            }
            return drift;
        }
    }
}
