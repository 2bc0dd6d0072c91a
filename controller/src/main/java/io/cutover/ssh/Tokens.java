package io.cutover.ssh;

import java.nio.file.Path;

/** Expands {@code ~} and ssh_config's {@code %h %n %p %r %u %d %%} tokens in a path. */
record Tokens(Path home, String alias, String hostName, int port, String remoteUser, String localUser) {

    Path path(String value) {
        StringBuilder out = new StringBuilder();
        String text = value.startsWith("~/") ? home + value.substring(1) : value.equals("~") ? home.toString() : value;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%' || i + 1 >= text.length()) {
                out.append(c);
                continue;
            }
            char t = text.charAt(++i);
            switch (t) {
                case 'h' -> out.append(hostName);
                case 'n' -> out.append(alias);
                case 'p' -> out.append(port);
                case 'r' -> out.append(remoteUser);
                case 'u' -> out.append(localUser);
                case 'd' -> out.append(home);
                case '%' -> out.append('%');
                default -> out.append('%').append(t);
            }
        }
        return Path.of(out.toString());
    }
}
