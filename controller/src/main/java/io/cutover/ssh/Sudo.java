package io.cutover.ssh;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Wraps a command line so it runs with the privileges {@link Become} asks for.
 *
 * <p>The command always runs as {@code sh -c <command>} under sudo, so redirections and pipes in it
 * are evaluated by the privileged shell, not the login one. With a password, {@code -k} makes sudo
 * ignore cached credentials so it always reads exactly one password line from stdin (otherwise the
 * password line would reach the command as input); {@code -p ''} keeps the prompt out of stderr.
 */
public final class Sudo {
    private Sudo() {
    }

    /** A command line and the bytes to write to its stdin (the password line first, if any). */
    public record Wrapped(String command, byte[] stdin) {
        public Wrapped {
            stdin = stdin == null ? new byte[0] : stdin;
        }

        @Override
        public String toString() {
            return "Wrapped[command=" + command + ", stdin=" + stdin.length + " bytes]";
        }
    }

    public static Wrapped wrap(Become become, String command, byte[] stdin) {
        if (become instanceof Become.None) {
            return new Wrapped(command, stdin);
        }
        if (become instanceof Become.SudoNoPassword sudo) {
            return new Wrapped(ShellQuote.join("sudo", "-n", "-u", sudo.user(), "--", "sh", "-c", command), stdin);
        }
        Become.SudoPassword sudo = (Become.SudoPassword) become;
        String line = ShellQuote.join("sudo", "-k", "-S", "-p", "", "-u", sudo.user(), "--", "sh", "-c", command);
        return new Wrapped(line, passwordThen(sudo, stdin));
    }

    private static byte[] passwordThen(Become.SudoPassword sudo, byte[] stdin) {
        char[] password = sudo.password();
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        Arrays.fill(password, '\0');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        out.writeBytes(bytes);
        Arrays.fill(bytes, (byte) 0);
        Arrays.fill(encoded.array(), (byte) 0);
        out.write('\n');
        if (stdin != null) {
            out.writeBytes(stdin);
        }
        return out.toByteArray();
    }
}
