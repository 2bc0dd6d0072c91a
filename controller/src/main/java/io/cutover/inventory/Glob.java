package io.cutover.inventory;

import java.util.regex.Pattern;

/** Python's fnmatch.translate: {@code *}, {@code ?}, {@code [seq]}, {@code [!seq]}, case-sensitive, whole name. */
final class Glob {

    private Glob() {
    }

    static Pattern compile(String glob) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        int n = glob.length();
        while (i < n) {
            char c = glob.charAt(i++);
            if (c == '*') {
                if (re.length() < 2 || !re.substring(re.length() - 2).equals(".*")) {
                    re.append(".*");
                }
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[') {
                int j = i;
                if (j < n && glob.charAt(j) == '!') {
                    j++;
                }
                if (j < n && glob.charAt(j) == ']') {
                    j++;
                }
                while (j < n && glob.charAt(j) != ']') {
                    j++;
                }
                if (j >= n) {
                    re.append("\\[");
                } else {
                    re.append(charClass(glob.substring(i, j)));
                    i = j + 1;
                }
            } else {
                re.append(literal(c));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    private static String charClass(String stuff) {
        if (stuff.isEmpty()) {
            return "(?!)"; // [] matches nothing
        }
        if (stuff.equals("!")) {
            return "."; // [!] matches any one character
        }
        StringBuilder out = new StringBuilder("[");
        int k = 0;
        if (stuff.charAt(0) == '!') {
            out.append('^');
            k = 1;
        }
        boolean any = false;
        while (k < stuff.length()) {
            char from = stuff.charAt(k);
            if (k + 2 < stuff.length() && stuff.charAt(k + 1) == '-') {
                char to = stuff.charAt(k + 2);
                if (from <= to) { // Python drops reversed ranges
                    out.append(literal(from)).append('-').append(literal(to));
                    any = true;
                }
                k += 3;
            } else {
                out.append(literal(from));
                any = true;
                k++;
            }
        }
        if (!any) {
            return stuff.charAt(0) == '!' ? "." : "(?!)";
        }
        return out.append(']').toString();
    }

    private static String literal(char c) {
        if (Character.isLetterOrDigit(c) || c == '_' || c > 127) {
            return String.valueOf(c);
        }
        return "\\" + c;
    }
}
