package io.cutover.helper;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.plan.HostPlan;
import io.cutover.plan.PlannedStep;
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

    private static final PlannedStep BAN = new PlannedStep(10, "ban-old", Action.FW_BAN, Map.of("addresses", List.of("10.0.0.11")),
            List.of(), "safe-cutover");

    private static HostPlan plan(Map<String, Object> triggerArgs) {
        Map<String, Object> args = new HashMap<>(Map.of("via", "pgbouncer", "port", 6432, "database", "probe", "user", "app",
                "timeout", new Duration(2000), "password", new Secret("pw")));
        args.putAll(triggerArgs);
        PlannedStep trigger = new PlannedStep(12, "trigger", Action.TRIGGER, args, List.of(), "safe-cutover");
        return new HostPlan("h1", List.of(BAN, trigger), null, List.of(), null, "r1");
    }

    @Test
    void theBlockIsPrecededByAWaitForTheCachedAnswerInsteadOfTheTriggersLookup() {
        HostPlan plan = plan(Map.of("admin_user", "pgbadmin", "admin_password", new Secret("apw")));
        List<HelperCall> calls = StepCalls.beforeGuard(plan);
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
        assertThat(StepCalls.beforeGuard(plan(Map.of()))).isEmpty();
        assertThat(StepCalls.beforeGuard(plan(Map.of("via", "getent", "admin_user", "a")))).isEmpty();
    }
}
