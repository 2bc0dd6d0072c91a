package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.plan.HelperFacts;
import io.cutover.plan.CurrentFile;
import io.cutover.plan.FileChange;
import io.cutover.plan.HostPlan;
import io.cutover.plan.PlannedStep;
import io.cutover.playbook.Action;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code cutover check} calls drift, from a host's facts and its plan, before any lookup is made. */
class CheckDriftTest {

    private static final String RESOLV = "nameserver 127.0.0.1\n";

    private static HostPlan plan(String resolvNow, String optionsInBlockNow) {
        return new HostPlan("h1", List.of(
                new PlannedStep(1, "resolv-conf", Action.RESOLV_INSTALL, Map.of(),
                        List.of(new FileChange("/etc/resolv.conf", CurrentFile.of(resolvNow), RESOLV)), null, List.of(), List.of()),
                new PlannedStep(2, "refresh", Action.REFRESH, Map.of("processes", List.of("pgbouncer")), List.of(), null, List.of(), List.of()),
                new PlannedStep(3, "forwarders-alternate", Action.FILE_INSTALL, Map.of(),
                        List.of(new FileChange("/etc/bind/named.conf.options", CurrentFile.of(optionsInBlockNow), "alternate")),
                        "safe-cutover", List.of(), List.of())),
                null, List.of(), List.of(), null, "check-1");
    }

    private static Map<String, Object> facts(List<String> nameservers, boolean named, boolean on127, boolean pgbouncer) {
        return Map.of(
                "resolv_conf", Map.of("nameservers", nameservers),
                "bind", Map.of("running", named, "listening_127_0_0_1_53", on127),
                "processes", pgbouncer ? List.of(Map.of("name", "pgbouncer", "pid", 54)) : List.of());
    }

    @Test
    void aHostAsThePlaybookLeavesItHasNoDriftEvenThoughTheBlockWouldInstallItsTemporaryConfig() {
        assertThat(FleetCheck.Drift.of(plan(RESOLV, "the real forwarders"), HelperFacts.of(facts(List.of("127.0.0.1"), true, true, true))))
                .isEmpty();
    }

    @Test
    void eachWayAHostCanDriftIsNamed() {
        List<String> drift = FleetCheck.Drift.of(plan("nameserver 10.0.0.1\n", "x"), HelperFacts.of(facts(List.of("10.0.0.1"), false, false, false)));

        assertThat(drift).containsExactly(
                "/etc/resolv.conf is not what the playbook installs (resolv-conf would change it)",
                "resolv.conf lists [10.0.0.1], not 127.0.0.1 only",
                "named is not running",
                "no running process matches refresh target pgbouncer");
    }

    @Test
    void namedRunningButDeafOn127IsDriftOfItsOwn() {
        assertThat(FleetCheck.Drift.of(plan(RESOLV, "x"), HelperFacts.of(facts(List.of("127.0.0.1"), true, false, true))))
                .containsExactly("named runs but does not answer on 127.0.0.1:53");
    }

    private static Map<String, Object> underSystemd(String fileState, String active, boolean restarts) {
        return Map.of(
                "resolv_conf", Map.of("nameservers", List.of("127.0.0.1")),
                "bind", Map.of("running", true, "listening_127_0_0_1_53", true, "service", Map.of("unit", "named.service",
                        "unit_file_state", fileState, "active_state", active, "restart", restarts ? "on-failure" : "no",
                        "restarts", restarts)),
                "processes", List.of(Map.of("name", "pgbouncer", "pid", 54)));
    }

    @Test
    void underSystemdNamedMustBeEnabledActiveAndRestarted() {
        assertThat(FleetCheck.Drift.of(plan(RESOLV, "x"), HelperFacts.of(underSystemd("enabled", "active", true)))).isEmpty();
        assertThat(FleetCheck.Drift.of(plan(RESOLV, "x"), HelperFacts.of(underSystemd("disabled", "active", false)))).containsExactly(
                "named.service is disabled, not enabled: named would not come back after a reboot",
                "named.service has Restart=no: systemd would not restart a named that dies");
        assertThat(FleetCheck.Drift.of(plan(RESOLV, "x"), HelperFacts.of(underSystemd("enabled-runtime", "failed", true)))).containsExactly(
                "named.service is enabled-runtime, not enabled: named would not come back after a reboot",
                "named.service is failed, not active");
    }

    @Test
    void anotherNameserverBeside127IsDrift() {
        assertThat(FleetCheck.Drift.of(plan(RESOLV, "x"), HelperFacts.of(facts(List.of("127.0.0.1", "10.0.0.1"), true, true, true))))
                .containsExactly("resolv.conf lists [127.0.0.1, 10.0.0.1], not 127.0.0.1 only");
    }
}
