package io.cutover.inventory;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Python 3's numeric literals, as its tokenizer reads them: {@code 1_000}, {@code 0x1F},
 * {@code 0o17}, {@code 0b101}, {@code 1.}, {@code .5}, {@code 1e3}, {@code 2j}. Unlike YAML,
 * {@code 010} is not a number at all (leading zeros are a syntax error), while {@code 010.5} is.
 */
final class PythonNumber {

    /** An imaginary (complex) number: literal_eval accepts it, Ansible then cannot print it. */
    record Imaginary() {
    }

    private static final String DIGITS = "[0-9](?:_?[0-9])*";
    private static final String EXPONENT = "[eE][-+]?" + DIGITS;
    private static final String FLOAT = "(?:" + DIGITS + "\\.(?:" + DIGITS + ")?(?:" + EXPONENT + ")?"
            + "|\\." + DIGITS + "(?:" + EXPONENT + ")?"
            + "|" + DIGITS + EXPONENT + ")";
    private static final Pattern INTEGER = Pattern.compile("[1-9](?:_?[0-9])*|0+(?:_?0)*"
            + "|0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+");
    private static final Pattern REAL = Pattern.compile(FLOAT);
    private static final Pattern IMAGINARY = Pattern.compile("(?:" + FLOAT + "|" + DIGITS + ")[jJ]");

    private PythonNumber() {
    }

    static boolean isLiteral(String token) {
        return INTEGER.matcher(token).matches() || REAL.matcher(token).matches()
                || IMAGINARY.matcher(token).matches();
    }

    /** The value of a token {@link #isLiteral} accepted: Integer, Long, BigInteger, Double or Imaginary. */
    static Object value(String token) {
        if (IMAGINARY.matcher(token).matches()) {
            return new Imaginary();
        }
        String digits = token.replace("_", "");
        if (REAL.matcher(token).matches()) {
            return Double.parseDouble(digits); // correctly rounded, as Python's float(); 1e400 is inf
        }
        int radix = 10;
        if (digits.length() > 1 && Character.isLetter(digits.charAt(1))) {
            radix = switch (Character.toLowerCase(digits.charAt(1))) {
                case 'x' -> 16;
                case 'o' -> 8;
                default -> 2;
            };
            digits = digits.substring(2);
        }
        return narrow(new BigInteger(digits, radix));
    }

    /** The smallest of Integer, Long, BigInteger that holds the value, as the YAML loader gives ints. */
    static Object narrow(BigInteger value) {
        if (value.bitLength() < 32) {
            return value.intValue();
        }
        if (value.bitLength() < 64) {
            return value.longValue();
        }
        return value;
    }

    /** Where the number token starting at {@code start} ends: Python reads letters, digits, `_`, `.` and an exponent's sign. */
    static int tokenEnd(String text, int start) {
        int pos = start;
        boolean hex = text.startsWith("0x", start) || text.startsWith("0X", start);
        while (pos < text.length()) {
            char c = text.charAt(pos);
            boolean exponentSign = (c == '+' || c == '-') && pos > start && !hex
                    && (text.charAt(pos - 1) == 'e' || text.charAt(pos - 1) == 'E');
            if (!Character.isLetterOrDigit(c) && c != '_' && c != '.' && !exponentSign) {
                break;
            }
            pos++;
        }
        return pos;
    }

    /** Python's unary minus on an int (which may outgrow its Java type), a float, or an imaginary. */
    static Object negate(Object number) {
        if (number instanceof Integer i) {
            return narrow(BigInteger.valueOf(i).negate());
        }
        if (number instanceof Long l) {
            return narrow(BigInteger.valueOf(l).negate());
        }
        if (number instanceof BigInteger b) {
            return narrow(b.negate());
        }
        if (number instanceof Double d) {
            return -d;
        }
        return number; // imaginary: still imaginary
    }
}
