package io.cutover.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands host ranges the way Ansible's inventory plugins do: {@code db[01:12].example.com},
 * {@code node[a:c]}, {@code web[0:20:5]}, several ranges per name ({@code r[1:2]n[a:b]}).
 * A leading zero fixes the width; letters run through {@code a-zA-Z}; the end is inclusive.
 */
final class HostRange {

    /** More hosts than this from one range is a typo, not a fleet (and would exhaust memory). */
    static final int MAX_HOSTS = 100_000;

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /** A range that Ansible itself would refuse (its message, reworded); the caller adds where. */
    static final class RangeException extends RuntimeException {
        RangeException(String message) {
            super(message);
        }
    }

    private HostRange() {
    }

    static boolean hasRange(String name) {
        return name.indexOf('[') >= 0;
    }

    /** The host names {@code pattern} stands for, in order; the pattern itself when it has no range. */
    static List<String> expand(String pattern) {
        List<String> out = new ArrayList<>();
        expandInto(pattern, out);
        return out;
    }

    private static void expandInto(String line, List<String> out) {
        if (!hasRange(line)) {
            out.add(line);
            return;
        }
        // Like Ansible: split at the first '[' and the first ']' (whatever their order).
        String marked = line.replaceFirst("\\[", "|").replaceFirst("]", "|");
        String[] parts = marked.split("\\|", -1);
        if (parts.length != 3) {
            throw new RangeException("unbalanced brackets: a range is written [begin:end] or [begin:end:step]");
        }
        String head = parts[0];
        String[] bounds = parts[1].split(":", -1);
        String tail = parts[2];
        if (bounds.length != 2 && bounds.length != 3) {
            throw new RangeException("a host range must be [begin:end] or [begin:end:step], found [" + parts[1] + "]");
        }
        String begin = bounds[0].isEmpty() ? "0" : bounds[0];
        String end = bounds[1];
        if (end.isEmpty()) {
            throw new RangeException("the host range [" + parts[1] + "] has no end value");
        }
        int step = bounds.length == 3 ? parseNumber(bounds[2], parts[1]) : 1;
        if (step <= 0) {
            throw new RangeException("the step of the host range [" + parts[1] + "] must be at least 1");
        }
        int width = 0;
        if (begin.charAt(0) == '0' && begin.length() > 1) {
            if (begin.length() != end.length()) {
                throw new RangeException("the host range [" + parts[1] + "] must use equal-length begin and end ("
                        + "a leading zero fixes the width), e.g. [01:12]");
            }
            width = begin.length();
        }
        int letterBegin = LETTERS.indexOf(begin);
        int letterEnd = LETTERS.indexOf(end);
        if (letterBegin >= 0 && letterEnd >= 0) {
            if (letterBegin > letterEnd) {
                throw new RangeException("the host range [" + parts[1] + "] must have begin <= end");
            }
            for (int i = letterBegin; i <= letterEnd; i += step) {
                expandInto(head + LETTERS.charAt(i) + tail, out);
            }
            return;
        }
        long from = parseNumber(begin, parts[1]);
        long to = parseNumber(end, parts[1]);
        if (to >= from && (to - from) / step + 1 > MAX_HOSTS) {
            throw new RangeException("the host range [" + parts[1] + "] stands for more than " + MAX_HOSTS
                    + " hosts; is a digit too many?");
        }
        for (long i = from; i <= to; i += step) {
            String number = Long.toString(i);
            if (number.length() < width) {
                number = "0".repeat(width - number.length()) + number;
            }
            expandInto(head + number + tail, out);
        }
    }

    private static int parseNumber(String text, String range) {
        String digits = text.strip().replace("_", "");
        if (digits.startsWith("+")) {
            digits = digits.substring(1);
        }
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            throw new RangeException("the host range [" + range + "] mixes letters and numbers or is not a range;"
                    + " use [1:9] or [a:f]");
        }
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new RangeException("the host range [" + range + "] is too large");
        }
    }
}
