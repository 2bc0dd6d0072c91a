package io.cutover.ssh;

import java.util.Locale;

/** What to do with a host key that known_hosts does not list. A changed key is refused under every policy. */
public enum HostKeyPolicy {
    /** Unknown keys are refused; the user adds them (ssh-keyscan, ssh once) before a run. The default. */
    STRICT,
    /** Unknown keys are appended to known_hosts and trusted from then on (OpenSSH's {@code accept-new}). */
    ACCEPT_NEW;

    /**
     * Parses {@code strict}/{@code accept-new} and the {@code StrictHostKeyChecking} values OpenSSH
     * understands; {@code no}/{@code off} are refused because never trusting silently is a design rule.
     */
    public static HostKeyPolicy parse(String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "strict": case "yes": case "true": case "ask":
                return STRICT;
            case "accept-new": case "accept_new":
                return ACCEPT_NEW;
            case "no": case "off": case "false":
                throw new IllegalArgumentException("host key checking cannot be turned off ('" + value
                        + "'); use accept-new to record unknown keys");
            default:
                throw new IllegalArgumentException("unknown host key policy '" + value
                        + "' (expected strict or accept-new)");
        }
    }
}
