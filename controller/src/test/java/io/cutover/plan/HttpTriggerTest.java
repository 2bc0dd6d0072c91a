package io.cutover.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.helper.HelperCall;
import io.cutover.playbook.Action;
import io.cutover.playbook.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A trigger `via: http` GETs the daemon's URL for a fresh name, stopped once the capture has seen the lookup. */
class HttpTriggerTest {

    private static final String URL = "http://127.0.0.1:8082/resolve?name={name}";

    private static PlannedStep trigger(Map<String, Object> more) {
        Map<String, Object> args = new HashMap<>(Map.of("via", "http", "url", URL, "timeout", new Duration(2000),
                "name", "cutover-probe-r1.invalid")); // the planner's name for a run's first trigger (PlannerTest)
        args.putAll(more);
        return PlannedStep.of(12, "trigger", Action.TRIGGER, args, List.of(), "safe-cutover", "r1", HelperFacts.OFFLINE);
    }

    @Test
    void theHelperGetsTheUrlAndTheNameAndStopsAtTheCapture() {
        HelperCall call = trigger(Map.of()).calls().get(0).shown();

        assertThat(call.display()).isEqualTo("cutover-helper trigger --run r1 --via http --url '" + URL
                + "' --name cutover-probe-r1.invalid --timeout 2 --until-captured dns");
        assertThat(call.waitsFor()).isEqualTo("the daemon's lookup of cutover-probe-r1.invalid through " + URL + " (up to 2 s)");
    }

    @Test
    void aNameThePlaybookGivesIsUsedAndNothingWaitsBeforeTheBlock() {
        PlannedStep step = trigger(Map.of("name", "probe-x.lab.test"));

        assertThat(step.calls().get(0).shown().args()).containsSequence("--name", "probe-x.lab.test");
        assertThat(step.beforeGuard()).isEmpty();
    }

    @Test
    void goWaitIsAMethodTheControllerAcceptsAndSaysWhatItWaitsFor() {
        assertThat(RefreshPlan.METHODS).contains("go-wait");
        assertThat(HelperCall.of("refresh", List.of("--run", "r1", "--step", "refresh", "77", "go-wait")).waitsFor())
                .isEqualTo("resolv.conf's change to be 5 s old (process 77 is Go: it re-checks the file every 5 s)");
    }
}
