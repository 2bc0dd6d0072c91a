package io.cutover.inventory;

/**
 * One Python string literal (the part from its opening quote): single, double or triple quoted,
 * raw or not, str or bytes, with Python's escapes. Bytes come back as one char per byte.
 *
 * @param value the decoded content
 * @param end   the index just past the closing quote
 */
record PythonString(String value, int end) {

    /** The literal whose opening quote is at {@code start}; null when Python would call it a syntax error. */
    static PythonString read(String text, int start, boolean raw, boolean bytes) {
        char quote = text.charAt(start);
        String delimiter = text.startsWith(String.valueOf(quote).repeat(3), start) ? String.valueOf(quote).repeat(3)
                : String.valueOf(quote);
        int i = start + delimiter.length();
        StringBuilder out = new StringBuilder();
        while (i < text.length()) {
            if (text.startsWith(delimiter, i)) {
                return new PythonString(out.toString(), i + delimiter.length());
            }
            char c = text.charAt(i);
            if (bytes && c > 0x7f) {
                return null; // bytes can only contain ASCII literal characters
            }
            if ((c == '\n' || c == '\r') && delimiter.length() == 1) {
                return null;
            }
            if (c != '\\') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= text.length()) {
                return null;
            }
            if (raw) {
                out.append(c).append(text.charAt(i + 1)); // a raw backslash still keeps the quote from closing
                i += 2;
                continue;
            }
            i = escape(text, i + 1, bytes, out);
            if (i < 0) {
                return null;
            }
        }
        return null;
    }

    /** Decodes the escape whose letter is at {@code at}; returns the index after it, or -1 if invalid. */
    private static int escape(String text, int at, boolean bytes, StringBuilder out) {
        char e = text.charAt(at);
        switch (e) {
            case '\n' -> { return at + 1; }
            case '\\', '\'', '"' -> out.append(e);
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'v' -> out.append('\u000b');
            case 'x' -> {
                return hex(text, at + 1, 2, out);
            }
            case 'u', 'U', 'N' -> {
                if (bytes) {
                    out.append('\\').append(e);
                    return at + 1;
                }
                if (e == 'N') {
                    return named(text, at + 1, out);
                }
                return hex(text, at + 1, e == 'u' ? 4 : 8, out);
            }
            default -> {
                if (e >= '0' && e <= '7') {
                    int end = at;
                    while (end < text.length() && end < at + 3 && text.charAt(end) >= '0' && text.charAt(end) <= '7') {
                        end++;
                    }
                    int value = Integer.parseInt(text.substring(at, end), 8);
                    if (bytes && value > 0xff) {
                        return -1;
                    }
                    out.appendCodePoint(value);
                    return end;
                }
                out.append('\\').append(e); // an unknown escape keeps its backslash
            }
        }
        return at + 1;
    }

    private static int hex(String text, int at, int length, StringBuilder out) {
        if (at + length > text.length()) {
            return -1;
        }
        String digits = text.substring(at, at + length);
        if (!digits.matches("[0-9a-fA-F]+")) {
            return -1;
        }
        long value = Long.parseLong(digits, 16);
        if (value > Character.MAX_CODE_POINT) {
            return -1;
        }
        out.appendCodePoint((int) value);
        return at + length;
    }

    private static int named(String text, int at, StringBuilder out) {
        int close = text.indexOf('}', at);
        if (at >= text.length() || text.charAt(at) != '{' || close < 0) {
            return -1;
        }
        try {
            out.appendCodePoint(Character.codePointOf(text.substring(at + 1, close)));
        } catch (IllegalArgumentException e) {
            return -1;
        }
        return close + 1;
    }
}
