package io.cutover.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.helper.HelperException;
import io.cutover.playbook.Action;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A planned call is sent as planned, with only its typed slots filled by what the run learnt. */
class PlannedCallTest {

    private static PlannedCall verify() {
        return PlannedStep.of(13, "verify", Action.CAPTURE_VERIFY, Map.of("expect", "127.0.0.1", "forbid", List.of("10.0.0.11", "10.0.0.12"),
                "stop", true),
                List.of(), "safe-cutover", "r1", HelperFacts.OFFLINE).calls().get(0);
    }

    @Test
    void theQnameIsASlotThePlanShowsAndTheRunFillsFromTheTriggersResult() {
        PlannedCall call = verify();

        assertThat(call.slots()).containsExactly(PlannedCall.Slot.QNAME);
        assertThat(call.shown().display()).isEqualTo("cutover-helper capture-verify --run r1 --qname '<the name the trigger looked up>'"
                + " --expect 127.0.0.1 --forbid 10.0.0.11 --forbid 10.0.0.12 --stop");
        assertThat(call.toSend(new PlannedCall.RunValues("cutover-probe-r1.invalid")).args())
                .containsExactly("--run", "r1", "--qname", "cutover-probe-r1.invalid", "--expect", "127.0.0.1",
                        "--forbid", "10.0.0.11", "--forbid", "10.0.0.12", "--stop");
    }

    @Test
    void aSlotNoTriggerFilledFailsTheStepInsteadOfSendingThePlaceholder() {
        assertThatThrownBy(() -> verify().toSend(new PlannedCall.RunValues(null))).isInstanceOf(HelperException.class)
                .hasMessage("capture-verify needs <the name the trigger looked up>, but no trigger before it reported one");
    }

    @Test
    void withoutAnOptionDropsEachOccurrenceAndItsValue() {
        assertThat(verify().without("--forbid").toSend(new PlannedCall.RunValues("q")).args())
                .containsExactly("--run", "r1", "--qname", "q", "--expect", "127.0.0.1", "--stop");
    }
}
