package io.cutover.ssh;

/** One ProxyJump hop: {@code [user@]host[:port]}, IPv6 addresses in brackets; port 0 when not given. */
record JumpSpec(String user, String host, int port) {

    static JumpSpec parse(String target, String spec) {
        String rest = spec;
        String user = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            user = rest.substring(0, at);
            rest = rest.substring(at + 1);
        }
        if (rest.startsWith("ssh://")) {
            rest = rest.substring("ssh://".length());
        }
        String host = rest;
        int port = 0;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new SettingsException(target, "ProxyJump '" + spec + "': missing ]");
            }
            host = rest.substring(1, close);
            if (rest.length() > close + 1) {
                if (rest.charAt(close + 1) != ':') {
                    throw new SettingsException(target, "ProxyJump '" + spec + "': expected :port after ]");
                }
                port = SshSettingsResolver.port(target, rest.substring(close + 2));
            }
        } else if (rest.indexOf(':') >= 0 && rest.indexOf(':') == rest.lastIndexOf(':')) {
            host = rest.substring(0, rest.indexOf(':'));
            port = SshSettingsResolver.port(target, rest.substring(rest.indexOf(':') + 1));
        }
        if (host.isBlank() || (user != null && user.isBlank()) || host.startsWith("-")) {
            throw new SettingsException(target, "ProxyJump '" + spec + "' is not [user@]host[:port]");
        }
        return new JumpSpec(user, host, port);
    }
}
