package io.cutover.inventory;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's grammar of host identifiers: a hostname, IPv4 or IPv6 address, each possibly with
 * {@code [x:y]} ranges, and an optional {@code :port} ({@code [addr]:port} for IPv6). Used to
 * split {@code web1:2222} in inventory keys and to tell a single host from a {@code a:b} pattern.
 */
final class HostAddress {

    /** A host identifier and the port written after it, if any. */
    record Parsed(String host, Integer port) {
    }

    private static final String NUMERIC_RANGE = "\\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\\]";
    private static final String HEX_RANGE = "\\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\\]";
    private static final String ALNUM_RANGE = "\\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\\]";
    private static final String IPV6_PART = "(?:[0-9a-f]{1,4}|" + HEX_RANGE + ")";
    private static final String IPV4_PART = "(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|" + NUMERIC_RANGE + ")";
    private static final String LABEL = "(?:[\\w]|" + ALNUM_RANGE + ")(?:[\\w_-]|" + ALNUM_RANGE + ")*(?<![_-])";

    private static final Pattern BRACKETED_HOSTPORT = Pattern.compile("^\\[(.+)\\]:([0-9]+)$");
    private static final Pattern HOSTPORT = Pattern.compile("^((?:[^:\\[\\]]|\\[[^\\]]*\\])*):([0-9]+)$");
    static final Pattern IPV4 = Pattern.compile("^(?:" + IPV4_PART + "\\.){3}" + IPV4_PART + "$",
            Pattern.CASE_INSENSITIVE);
    static final Pattern IPV6 = Pattern.compile("^(?:"
            + "(?:" + IPV6_PART + ":){7}" + IPV6_PART + "|"
            + "(?:" + IPV6_PART + ":){1,6}:|"
            + "(?:" + IPV6_PART + ":)(?::" + IPV6_PART + "){1,6}|"
            + "(?:" + IPV6_PART + ":){2}(?::" + IPV6_PART + "){1,5}|"
            + "(?:" + IPV6_PART + ":){3}(?::" + IPV6_PART + "){1,4}|"
            + "(?:" + IPV6_PART + ":){4}(?::" + IPV6_PART + "){1,3}|"
            + "(?:" + IPV6_PART + ":){5}(?::" + IPV6_PART + "){1,2}|"
            + "(?:" + IPV6_PART + ":){6}(?::" + IPV6_PART + ")|"
            + ":(?::" + IPV6_PART + "){1,6}|"
            + IPV6_PART + "?::|"
            + "(?:0:){6}(?:" + IPV6_PART + "\\.){3}" + IPV6_PART + "|"
            + "::(?:ffff:)?(?:" + IPV6_PART + "\\.){3}" + IPV6_PART + "|"
            + "(?:0:){5}ffff:(?:" + IPV6_PART + "\\.){3}" + IPV6_PART
            + ")$", Pattern.CASE_INSENSITIVE);
    private static final Pattern HOSTNAME = Pattern.compile("^" + LABEL + "(?:\\." + LABEL + ")*$",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);

    private HostAddress() {
    }

    /**
     * Parses {@code address} as Ansible's {@code parse_address(..., allow_ranges=True)} does;
     * empty when it is not a recognisable host identifier (Ansible then keeps the text as is).
     */
    static Optional<Parsed> parse(String address) {
        String host = address;
        Integer port = null;
        for (Pattern withPort : new Pattern[] {BRACKETED_HOSTPORT, HOSTPORT}) {
            Matcher m = withPort.matcher(host);
            if (m.matches()) {
                host = m.group(1);
                try {
                    port = Integer.valueOf(m.group(2));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        if (IPV4.matcher(host).matches() || IPV6.matcher(host).matches() || HOSTNAME.matcher(host).matches()) {
            return Optional.of(new Parsed(host, port));
        }
        return Optional.empty();
    }

    /** An inventory key: the host pattern (ranges not yet expanded) and the port it names, if any. */
    static Parsed splitPort(String key) {
        return parse(key).orElse(new Parsed(key, null));
    }

    static boolean isIpAddress(String text) {
        return IPV4.matcher(text).matches() || IPV6.matcher(text).matches();
    }
}
