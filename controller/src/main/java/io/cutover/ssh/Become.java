package io.cutover.ssh;

import java.util.Arrays;

/**
 * How a non-root login user gains root for privileged commands. The password of {@link SudoPassword} is
 * a secret: it is only ever written to sudo's stdin, never to a command line, log, message or
 * {@code toString}.
 */
public sealed interface Become permits Become.None, Become.SudoNoPassword, Become.SudoPassword {

    /** Commands run as the login user (the login user is root, or privilege is not needed). */
    static Become none() {
        return new None();
    }

    /** {@code sudo -n}: the user has NOPASSWD rights; a password prompt is an error, not a hang. */
    static Become sudo(String user) {
        return new SudoNoPassword(user);
    }

    /** {@code sudo -S}: the password is fed on stdin. The array is copied; the caller may wipe its own. */
    static Become sudoWithPassword(String user, char[] password) {
        return new SudoPassword(user, password.clone());
    }

    record None() implements Become {
    }

    record SudoNoPassword(String user) implements Become {
        public SudoNoPassword {
            requireUser(user);
        }
    }

    record SudoPassword(String user, char[] password) implements Become {
        public SudoPassword {
            requireUser(user);
            if (password == null) {
                throw new IllegalArgumentException("sudo password is missing");
            }
            for (char c : password) {
                if (c == '\n' || c == '\r' || c == '\0') {
                    throw new IllegalArgumentException("sudo password contains a line break or NUL");
                }
            }
        }

        @Override
        public char[] password() {
            return password.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SudoPassword other && other.user.equals(user)
                    && Arrays.equals(other.password, password);
        }

        @Override
        public int hashCode() {
            return user.hashCode();
        }

        @Override
        public String toString() {
            return "SudoPassword[user=" + user + ", password=***]";
        }
    }

    private static void requireUser(String user) {
        if (user == null || user.isBlank() || user.startsWith("-")) {
            throw new IllegalArgumentException("not a valid become user: '" + user + "'");
        }
    }
}
