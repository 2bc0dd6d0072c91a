package io.cutover.run;

import io.cutover.helper.HelperHome;
import io.cutover.helper.HelperScript;
import io.cutover.ssh.SshConnector;
import io.cutover.ssh.SshSettingsResolver;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What a run reaches the world through, handed in by the CLI (the real ones) or by a test (local
 * ones: an in-process SSH server, a helper in a directory of its own, a fixed clock).
 *
 * @param resolver       a host's SSH settings from its inventory connection
 * @param connector      opens the SSH connections
 * @param script         the helper pushed to the hosts
 * @param home           where the helper lives on the hosts ({@link HelperHome#DEFAULT})
 * @param commandTimeout one helper call's timeout
 * @param clock          the journal's timestamps and the run ids
 */
public record RunServices(SshSettingsResolver resolver, SshConnector connector, HelperScript script, HelperHome home,
        Duration commandTimeout, Clock clock) {

    public RunServices {
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(clock, "clock");
    }
}
