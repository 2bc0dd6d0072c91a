package io.cutover.ssh;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test server: the calls a controller sends to the helper's {@code serve} (docs/helper-protocol.md
 * "Served calls"), read off the serve's stdin as it passes, each reported as {@code sh HELPER ARGV}:
 * the exec line the call would have been. Tests that check what a host ran see both kinds alike.
 */
final class ServedCalls extends FilterInputStream {

    private static final Pattern SERVE = Pattern.compile("sh (\\S+) serve (cutover[0-9a-f]+)");

    private final String prefix;
    private final int tokenLength;
    private final Consumer<String> calls;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private String argv;
    private long skip;

    private ServedCalls(InputStream in, String helper, String token, Consumer<String> calls) {
        super(in);
        this.prefix = "sh " + helper + " ";
        this.tokenLength = token.length();
        this.calls = calls;
    }

    /** A watch on the stdin of {@code command}: the identity unless it starts the helper's serve. */
    static UnaryOperator<InputStream> of(String command, Consumer<String> calls) {
        Matcher serve = SERVE.matcher(command);
        if (!serve.find()) {
            return UnaryOperator.identity();
        }
        return in -> new ServedCalls(in, serve.group(1), serve.group(2), calls);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            see((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        for (int i = 0; i < n; i++) {
            see(buffer[offset + i]);
        }
        return n;
    }

    /** ARGV line, length line, then that many bytes and the token; then the next call. */
    private void see(byte b) {
        if (skip > 0) {
            skip--;
            return;
        }
        if (b != '\n') {
            line.write(b);
            return;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (argv == null) {
            argv = text;
            calls.accept(prefix + text);
        } else {
            skip = Long.parseLong(text.strip()) + tokenLength;
            argv = null;
        }
    }
}
