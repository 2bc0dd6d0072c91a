package io.cutover.inventory;

import java.util.regex.Pattern;

/**
 * What an SSH address may be: an IP address (IPv6 without brackets or port) or a DNS hostname.
 * Checked before any connection, so a typo is refused with the reason instead of failing in DNS.
 */
final class SshAddress {

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");

    private SshAddress() {
    }

    /** Why {@code address} cannot be connected to, or {@code null} when it can. */
    static String problem(String address) {
        if (address.isEmpty()) {
            return "it is empty";
        }
        if (HostAddress.isIpAddress(address) && !address.contains("[")) {
            return null;
        }
        if (address.chars().anyMatch(c -> c > 127)) {
            return "it has non-ASCII characters (use the xn-- punycode form)";
        }
        if (address.startsWith("-")) {
            return "it starts with `-`";
        }
        if (address.contains(":")) {
            return "it is neither an IPv4 nor an IPv6 address (write IPv6 without brackets or port;"
                    + " put a port in ansible_port)";
        }
        if (address.length() > 253) {
            return "it is longer than 253 characters";
        }
        String trimmed = address.endsWith(".") ? address.substring(0, address.length() - 1) : address;
        for (String label : trimmed.split("\\.", -1)) {
            if (label.isEmpty()) {
                return "it has an empty label (`..`)";
            }
            if (!LABEL.matcher(label).matches()) {
                return label.length() > 63 ? "the label `" + label + "` is longer than 63 characters"
                        : "the label `" + label + "` may only hold letters, digits, `-` and `_`,"
                                + " and may not start or end with `-`";
            }
        }
        if (trimmed.matches("[0-9.]+")) {
            return "it looks like an IPv4 address but is not one";
        }
        return null;
    }
}
