package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.plan.HelperFacts;
import io.cutover.plan.CurrentFile;
import io.cutover.plan.HostPlan;
import io.cutover.plan.LiveFacts;
import io.cutover.plan.Planner;
import io.cutover.playbook.Playbook;
import io.cutover.playbook.PlaybookLoader;
import io.cutover.render.Renderer;
import io.cutover.yaml.VarValues;
import io.cutover.yaml.YamlLoader;
import io.cutover.plan.Preflight;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Alternate forwarders that the block also bans, or that the host asks today without the block
 * banning them, are caught before any change, not after the ban.
 */
class BannedAlternateTest {

    private static final Path REPO = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();
    private static final Playbook PLAYBOOK = new PlaybookLoader(new YamlLoader()).load(REPO.resolve("playbooks/local-caching-bind.yml"));

    private static List<String> problems(List<String> alternates) {
        return problems(Map.of("cutover_alt_forwarders", alternates, "refresh_processes", List.of()));
    }

    private static List<String> problems(Map<String, Object> vars) {
        Map<String, Object> facts = Map.of(
                "resolv_conf", Map.of("manager", "none", "nameservers", List.of("10.0.0.11", "10.0.0.12"), "search", List.of(),
                        "options", List.of()),
                "init", Map.of("system", "none", "pid1", "sh"),
                "bind", Map.of("installed", true, "running", false, "forwarders", List.of()),
                "tools", Map.of("tcpdump", true, "rndc", true, "named-checkconf", true),
                "firewall", Map.of("ban_backend", "nft"),
                "processes", List.of());
        HostPlan plan = new Planner(PLAYBOOK, new Renderer(PLAYBOOK.templateDir()), VarValues.of(Map.of())).plan("h1",
                VarValues.of(vars),
                LiveFacts.of(facts, Map.of("/etc/resolv.conf", CurrentFile.of("nameserver 10.0.0.11\n"))), "r1");
        return Preflight.problems(plan, HelperFacts.of(facts));
    }

    @Test
    void anAlternateTheBlockBansRefusesTheHost() {
        assertThat(problems(List.of("10.0.0.13", "10.0.0.12"))).containsExactly("the block bans 10.0.0.12 and makes BIND forward "
                + "to it at the same time: the proof could never pass; the alternates (cutover_alt_forwarders in the shipped playbook) "
                + "must be servers the host does not use today");
    }

    @Test
    void alternatesApartFromTheOldServersPass() {
        assertThat(problems(List.of("10.0.0.13"))).isEmpty();
    }

    @Test
    void anAlternateTheHostAsksTodayButTheBlockDoesNotBanRefusesTheHost() {
        // the host asks 10.0.0.11 and 10.0.0.12; the playbook is told to ban only .11 and to forward to .12
        assertThat(problems(Map.of("cutover_old_nameservers", List.of("10.0.0.11"), "cutover_alt_forwarders", List.of("10.0.0.12"),
                "refresh_processes", List.of()))).containsExactly("the block makes BIND forward to 10.0.0.12 while it bans the "
                        + "old servers, but the host asks it today and the block does not ban it: a process that was not switched "
                        + "would still be answered; the alternates (cutover_alt_forwarders in the shipped playbook) must be servers "
                        + "the host does not use today");
    }
}
