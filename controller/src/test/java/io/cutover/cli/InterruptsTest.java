package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ctrl-C at any instant of the process: before, during and after the run that holds it. */
class InterruptsTest {

    private final StringWriter err = new StringWriter();
    private final List<Integer> exits = new ArrayList<>();
    private final Interrupts interrupts = new Interrupts(new PrintWriter(err, true), exits::add);

    @Test
    void beforeAnyRunAnInterruptEndsTheProcessWithOneLineAndExit130() {
        interrupts.interrupted();

        assertThat(err.toString()).isEqualTo("cutover: interrupted before any host was touched: nothing done." + System.lineSeparator());
        assertThat(exits).containsExactly(ExitCode.INTERRUPTED);
        assertThat(ExitCode.INTERRUPTED).isEqualTo(130);
    }

    @Test
    void duringARunTheRunIsToldOfEachInterruptAndTheProcessGoesOn() {
        List<Integer> told = new ArrayList<>();

        try (Interrupts.Scope held = interrupts.hold()) {
            held.handTo(told::add);
            interrupts.interrupted();
            interrupts.interrupted();
        }

        assertThat(told).containsExactly(1, 2);
        assertThat(exits).isEmpty();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void anInterruptBeforeTheRunHasItsHandlerIsHandedOnWithIt() {
        List<Integer> told = new ArrayList<>();

        try (Interrupts.Scope held = interrupts.hold()) {
            interrupts.interrupted();
            assertThat(told).isEmpty();

            held.handTo(told::add);
            interrupts.interrupted();
        }

        assertThat(told).containsExactly(1, 2);
        assertThat(exits).isEmpty();
    }

    @Test
    void afterTheRunAnInterruptNoLongerSaysNothingWasDone() {
        interrupts.hold().close();

        interrupts.interrupted();

        assertThat(err.toString()).contains("as the run ended").doesNotContain("nothing done");
        assertThat(exits).containsExactly(ExitCode.INTERRUPTED);
    }
}
