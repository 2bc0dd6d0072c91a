package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.helper.HelperCall;
import io.cutover.plan.HelperFacts;
import io.cutover.plan.CurrentFile;
import io.cutover.plan.FileChange;
import io.cutover.plan.HostPlan;
import io.cutover.plan.LiveFacts;
import io.cutover.plan.PlannedStep;
import io.cutover.plan.Planner;
import io.cutover.plan.StepNotes;
import io.cutover.playbook.Playbook;
import io.cutover.playbook.PlaybookLoader;
import io.cutover.render.Renderer;
import io.cutover.render.Unknown;
import io.cutover.yaml.VarValues;
import io.cutover.yaml.YamlLoader;
import io.cutover.plan.Preflight;
import io.cutover.plan.PlannedCall;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * resolv.conf through its owner, from facts shaped as the helper reports them on the lab's real
 * hosts: what the plan diffs and sends, what preflight refuses, what {@code check} calls drift.
 */
class ResolvOwnerTest {

    private static final Path REPO = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();
    private static final Playbook PLAYBOOK = new PlaybookLoader(new YamlLoader()).load(REPO.resolve("playbooks/local-caching-bind.yml"));
    private static final String NM_FILE = "/etc/NetworkManager/conf.d/99-cutover-local-bind.conf";
    private static final String NM_CONTENT = "[main]\ndns=none\n";
    private static final String DROP_IN = "/etc/systemd/system/named-resolvconf.service.d/cutover-before-network-online.conf";

    /** A host's facts: systemd as PID 1, BIND installed and running, resolv.conf owned by {@code owner}. */
    private static Map<String, Object> facts(String owner, Map<String, Object> resolvExtra, Map<String, Object> ownerState,
            Map<String, Object> ownerFile) {
        Map<String, Object> resolv = new LinkedHashMap<>(Map.of("manager", owner, "nameservers", List.of("10.0.0.11", "10.0.0.12"),
                "search", List.of("lab.test"), "options", List.of(), "symlink", false, "owner_state", ownerState));
        resolv.put("owner_file", ownerFile);
        resolv.putAll(resolvExtra);
        Map<String, Object> facts = new HashMap<>();
        facts.put("resolv_conf", resolv);
        facts.put("init", Map.of("system", "systemd", "pid1", "systemd"));
        facts.put("bind", Map.of("installed", true, "running", true, "listening_127_0_0_1_53", true, "forwarders",
                List.of("10.0.0.11", "10.0.0.12")));
        facts.put("tools", Map.of("tcpdump", true, "gdb", true, "rndc", true, "named-checkconf", true));
        facts.put("firewall", Map.of("ban_backend", "nft"));
        facts.put("processes", List.of());
        return facts;
    }

    private static Map<String, Object> ownerFile(String path, String content, String current) {
        Map<String, Object> file = new HashMap<>(Map.of("path", path, "content", content));
        file.put("current", current);
        return file;
    }

    private static Map<String, Object> networkManager(String dns) {
        return facts("NetworkManager", Map.of(), Map.of("dns", dns), ownerFile(NM_FILE, NM_CONTENT, null));
    }

    private static Map<String, Object> resolvconf(Map<String, Object> unit, boolean truncates) {
        Map<String, Object> state = new HashMap<>();
        state.put("unit", unit);
        state.put("truncates_after_loopback", truncates);
        return facts("resolvconf", Map.of("symlink", true, "real_path", "/run/resolvconf/resolv.conf"), state,
                ownerFile(DROP_IN, "[Unit]\nBefore=network-online.target nss-lookup.target\n", null));
    }

    private static final Map<String, Object> DISABLED_UNIT = Map.of("unit", "named-resolvconf.service", "unit_file_state", "disabled",
            "active_state", "inactive");

    private static HostPlan plan(Map<String, Object> facts) {
        Planner planner = new Planner(PLAYBOOK, new Renderer(PLAYBOOK.templateDir()), VarValues.of(Map.of()));
        return planner.plan("h1", VarValues.of(Map.of("cutover_alt_forwarders", List.of("10.0.0.13"), "refresh_processes", List.of())),
                LiveFacts.of(facts, Map.of("/etc/resolv.conf", CurrentFile.of("nameserver 10.0.0.11\nnameserver 10.0.0.12\n"))), "r1");
    }

    private static PlannedStep step(HostPlan plan, String name) {
        return plan.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static HelperCall resolvCall(HostPlan plan) {
        List<HelperCall> calls = step(plan, "resolv-conf").calls().stream().map(PlannedCall::shown).toList();
        assertThat(calls).hasSize(1);
        return calls.get(0);
    }

    @Test
    void underNetworkManagerThePlanDiffsItsConfFileAndResolvConfAndTheCallNamesTheOwner() {
        HostPlan plan = plan(networkManager("default"));

        List<FileChange> files = step(plan, "resolv-conf").files();
        assertThat(files).extracting(FileChange::path).containsExactly(NM_FILE, "/etc/resolv.conf");
        assertThat(files.get(0).diff()).contains("--- /dev/null", "+dns=none");
        assertThat(files.get(1).after()).contains("nameserver 127.0.0.1");
        assertThat(resolvCall(plan).display()).contains("resolv-install --run r1 --step resolv-conf --owner NetworkManager --target /etc/resolv.conf");
        assertThat(StepNotes.of(plan, step(plan, "resolv-conf")).get(0))
                .contains("sets dns=none (now dns=default)", "systemctl reload NetworkManager", "undo removes " + NM_FILE);
        assertThat(Preflight.problems(plan, HelperFacts.of(networkManager("default")))).isEmpty();
    }

    @Test
    void underResolvconfNothingOfOursIsWrittenToResolvConfTheCallOnlyNamesTheServersItMustList() {
        Map<String, Object> facts = resolvconf(DISABLED_UNIT, true);
        HostPlan plan = plan(facts);

        assertThat(step(plan, "resolv-conf").files()).extracting(FileChange::path).containsExactly(DROP_IN);
        HelperCall call = resolvCall(plan);
        assertThat(call.display()).contains("--owner resolvconf");
        assertThat(new String(call.stdin(), StandardCharsets.UTF_8)).isEqualTo("nameserver 127.0.0.1\n");
        assertThat(StepNotes.of(plan, step(plan, "resolv-conf")).get(0))
                .contains("systemctl enable --now named-resolvconf.service", "undo returns the unit to disabled/inactive");
        assertThat(Preflight.problems(plan, HelperFacts.of(facts))).isEmpty();
    }

    @Test
    void behindSystemdResolvedsStubBindForwardsToTheServersResolvedAsksNotTo127_0_0_53() {
        Map<String, Object> facts = facts("systemd-resolved", Map.of("nameservers", List.of("127.0.0.53"), "upstreams",
                List.of("10.0.0.11", "10.0.0.12"), "symlink", true, "real_path", "/run/systemd/resolve/stub-resolv.conf"),
                Map.of("global_dns", List.of()), ownerFile("/etc/systemd/resolved.conf.d/cutover-local-bind.conf", "[Resolve]\nDNS=127.0.0.1\n", null));
        HostPlan plan = plan(facts);

        assertThat(step(plan, "bind-options").files().get(0).after()).contains("10.0.0.11;", "10.0.0.12;").doesNotContain("127.0.0.53");
        assertThat(step(plan, "ban-old").args().get("addresses")).isEqualTo(List.of("10.0.0.11", "10.0.0.12"));
        assertThat(StepNotes.of(plan, step(plan, "resolv-conf")).get(0))
                .contains("replacing its symlink to /run/systemd/resolve/stub-resolv.conf", "undo restores the symlink");
    }

    @Test
    void offlineTheCallLeavesTheOwnerToTheHostsHelper() {
        HostPlan plan = new Planner(PLAYBOOK, new Renderer(PLAYBOOK.templateDir()), VarValues.of(Map.of()))
                .plan("h1", VarValues.of(Map.of("cutover_alt_forwarders", List.of("10.0.0.13"))), io.cutover.plan.HostFacts.offline(),
                        new Unknown("run id"));
        assertThat(resolvCall(plan).display()).doesNotContain("--owner");
        assertThat(StepNotes.of(plan, step(plan, "resolv-conf")).get(0)).startsWith("through resolv.conf's owner (facts decide)");
    }

    @Test
    void preflightRefusesWhatCutoverCannotConfigure() {
        Map<String, Object> noSystemd = networkManager("default");
        noSystemd.put("init", Map.of("system", "none", "pid1", "sh"));
        assertThat(Preflight.problems(plan(noSystemd), HelperFacts.of(noSystemd)))
                .contains("NetworkManager owns resolv.conf, and cutover configures NetworkManager only under systemd (PID 1 here is sh)");

        Map<String, Object> keepsOldServers = resolvconf(DISABLED_UNIT, false);
        assertThat(Preflight.problems(plan(keepsOldServers), HelperFacts.of(keepsOldServers))).anyMatch(p -> p.contains("TRUNCATE_NAMESERVER_LIST_AFTER_LOOPBACK_ADDRESS"));

        Map<String, Object> noUnit = resolvconf(null, true);
        assertThat(Preflight.problems(plan(noUnit), HelperFacts.of(noUnit)))
                .contains("resolvconf owns resolv.conf, but systemd has no named-resolvconf.service (Debian's bind9 ships it) to register 127.0.0.1 with resolvconf");

        Map<String, Object> unknown = facts("netconfig", Map.of(), Map.of(), null);
        assertThat(Preflight.problems(plan(unknown), HelperFacts.of(unknown)))
                .contains("resolv.conf is owned by netconfig, which cutover does not know how to configure");
    }

    /** A host after the rollout: resolv.conf lists 127.0.0.1, the owner's file in place. */
    private static Map<String, Object> converted(Map<String, Object> facts) {
        @SuppressWarnings("unchecked")
        Map<String, Object> resolv = new LinkedHashMap<>((Map<String, Object>) facts.get("resolv_conf"));
        resolv.put("nameservers", List.of("127.0.0.1"));
        @SuppressWarnings("unchecked")
        Map<String, Object> file = (Map<String, Object>) resolv.get("owner_file");
        if (file != null) {
            file.put("current", file.get("content"));
        }
        facts.put("resolv_conf", resolv);
        return facts;
    }

    @Test
    void checkNamesAnOwnerThatWouldUndoTheChange() {
        Map<String, Object> nm = converted(networkManager("default"));
        assertThat(FleetCheck.Drift.of(plan(nm), HelperFacts.of(nm))).contains("NetworkManager has dns=default, not none: it will rewrite resolv.conf");
        Map<String, Object> nmOk = converted(networkManager("none"));
        assertThat(FleetCheck.Drift.of(plan(nmOk), HelperFacts.of(nmOk))).noneMatch(d -> d.contains("NetworkManager"));

        Map<String, Object> rc = converted(resolvconf(DISABLED_UNIT, true));
        assertThat(FleetCheck.Drift.of(plan(rc), HelperFacts.of(rc))).filteredOn(d -> !d.startsWith("/etc/bind/"))
                .containsExactly("named-resolvconf.service is disabled/inactive, not enabled/active: resolvconf would drop 127.0.0.1 after a reboot");
    }

    @Test
    void checkReadsWhatDhclientWroteOnARenewalByItsServersNotItsBytes() {
        Map<String, Object> dh = converted(facts("dhclient", Map.of(), Map.of(), ownerFile("/etc/dhcp/dhclient-enter-hooks.d/cutover-local-bind",
                "new_domain_name_servers=127.0.0.1\n", null)));
        Planner planner = new Planner(PLAYBOOK, new Renderer(PLAYBOOK.templateDir()), VarValues.of(Map.of()));
        // dhclient-script's own resolv.conf: other bytes than the template's, the same single server
        HostPlan plan = planner.plan("h1", VarValues.of(Map.of("cutover_alt_forwarders", List.of("10.0.0.13"), "refresh_processes", List.of())),
                LiveFacts.of(dh, Map.of("/etc/resolv.conf", CurrentFile.of("domain lab.test\nsearch lab.test\nnameserver 127.0.0.1\n"),
                        "/etc/bind/named.conf.options", CurrentFile.ABSENT)), "r1");
        assertThat(FleetCheck.Drift.of(plan, HelperFacts.of(dh))).noneMatch(d -> d.startsWith("/etc/resolv.conf"));
    }
}
