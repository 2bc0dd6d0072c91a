package io.cutover.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.helper.HelperCall;
import io.cutover.playbook.Action;
import io.cutover.playbook.Duration;
import io.cutover.playbook.Secret;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** pgbouncer's cached answer for the probe is waited out before the guarded block, never with the old servers banned. */
class BeforeBlockTest {

    private static final PlannedStep BAN = PlannedStep.of(10, "ban-old", Action.FW_BAN, Map.of("addresses", List.of("10.0.0.11")),
            List.of(), "safe-cutover", "r1", HelperFacts.OFFLINE);

    private static HostPlan plan(Map<String, Object> triggerArgs) {
        Map<String, Object> args = new HashMap<>(Map.of("via", "pgbouncer", "port", 6432, "database", "probe", "user", "app",
                "timeout", new Duration(2000), "password", new Secret("pw")));
        args.putAll(triggerArgs);
        PlannedStep trigger = PlannedStep.of(12, "trigger", Action.TRIGGER, args, List.of(), "safe-cutover", "r1", HelperFacts.OFFLINE);
        return new HostPlan("h1", List.of(BAN, trigger), null, List.of(), List.of(), null, "r1");
    }

    @Test
    void theBlockIsPrecededByAWaitForTheCachedAnswerInsteadOfTheTriggersLookup() {
        HostPlan plan = plan(Map.of("admin_user", "pgbadmin", "admin_password", new Secret("apw")));
        List<HelperCall> calls = plan.beforeGuard().stream().map(PlannedCall::shown).toList();
        assertThat(calls).hasSize(1);
        HelperCall call = calls.get(0);
        assertThat(call.subcommand()).isEqualTo("trigger");
        assertThat(call.args()).containsSequence("--admin-user", "pgbadmin").contains("--wait-cached", "--password-stdin")
                .doesNotContain("--fresh", "--until-captured");
        assertThat(new String(call.stdin(), StandardCharsets.UTF_8)).isEqualTo("pw\napw\n");
        assertThat(call.display()).doesNotContain("apw");
    }

    @Test
    void nothingToWaitForWithoutAnAdminUserOrThroughGetent() {
        assertThat(plan(Map.of()).beforeGuard()).isEmpty();
        assertThat(plan(Map.of("via", "getent", "admin_user", "a")).beforeGuard()).isEmpty();
    }
}
