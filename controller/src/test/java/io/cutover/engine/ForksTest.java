package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ForksTest {

    @Test
    void resultsComeInTheHostsOrder() {
        assertThat(Forks.map(List.of("c", "a", "b"), 2, h -> h + "!")).containsExactly("c!", "a!", "b!");
    }

    @Test
    void aHostWhoseTaskThrowsDoesNotInterruptTheOthersMidStep() {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        AtomicBoolean interrupted = new AtomicBoolean();
        assertThatThrownBy(() -> Forks.map(List.of("bug", "busy"), 2, host -> {
            if (host.equals("bug")) {
                awaitQuietly(started);
                throw new IllegalArgumentException("a bug in one host's handling");
            }
            started.countDown();
            try {
                Thread.sleep(300); // a step in progress on the other host
                finished.set(true);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return host;
        })).isInstanceOf(IllegalStateException.class).hasRootCauseMessage("a bug in one host's handling");
        assertThat(interrupted).isFalse();
        assertThat(finished).isTrue();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
