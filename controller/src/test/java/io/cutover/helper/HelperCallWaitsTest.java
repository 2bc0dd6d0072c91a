package io.cutover.helper;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a helper call tells the live view it waits for: the calls that can take a while, and only those. */
class HelperCallWaitsTest {

    private static final List<String> COMMON = List.of("--run", "r1", "--step", "s");

    @Test
    void theWaitForPgbouncersCachedAnswerSaysSo() {
        HelperCall call = HelperCall.of("trigger", List.of("--run", "r1", "--host", "127.0.0.1", "--timeout", "1.5",
                "--admin-user", "pgbadmin", "--wait-cached"));

        assertThat(call.waitsFor()).isEqualTo("pgbouncer's cached answer for the probe to expire");
    }

    @Test
    void aTriggerSaysWhatLookupItWaitsForAndItsBound() {
        assertThat(HelperCall.of("trigger", List.of("--run", "r1", "--timeout", "1.5", "--until-captured", "dns")).waitsFor())
                .isEqualTo("pgbouncer's lookup of the probe name (up to 1.5 s)");
        assertThat(HelperCall.of("trigger", List.of("--run", "r1", "--via", "getent", "--name", "p.invalid", "--timeout", "2")).waitsFor())
                .isEqualTo("the getent lookup of p.invalid (up to 2 s)");
    }

    @Test
    void servicesProcessesAndTheCaptureSayWhatTheyWaitFor() {
        assertThat(HelperCall.of("bind-start", COMMON).waitsFor()).isEqualTo("named to start and answer on 127.0.0.1:53");
        assertThat(HelperCall.of("bind-install", List.of("--run", "r1", "--package", "bind9")).waitsFor())
                .isEqualTo("the package manager to install bind9");
        assertThat(HelperCall.of("refresh", List.of("--run", "r1", "--step", "refresh", "54", "gdb-cares")).waitsFor())
                .isEqualTo("process 54 to be idle, then gdb-cares");
        assertThat(HelperCall.of("resolv-install", List.of("--run", "r1", "--owner", "NetworkManager")).waitsFor())
                .isEqualTo("NetworkManager to write resolv.conf");
        assertThat(HelperCall.of("capture-start", COMMON).waitsFor()).isEqualTo("tcpdump to start capturing");
    }

    @Test
    void callsThatDoTheirWorkAtOnceWaitForNothing() {
        for (String quick : List.of("file-install", "fw-ban", "fw-unban", "guard-arm", "guard-disarm", "state")) {
            assertThat(HelperCall.of(quick, COMMON).waitsFor()).as(quick).isNull();
        }
        assertThat(HelperCall.of("resolv-install", List.of("--run", "r1", "--owner", "none")).waitsFor()).isNull();
    }
}
