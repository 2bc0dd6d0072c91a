package io.cutover.cli;

/**
 * How many terminal columns text takes, as terminals draw it (wcwidth): East Asian wide and
 * fullwidth characters and most emoji take two, combining marks and format characters none.
 * The live view's status line is cut by this count, never by {@code String.length()}: a line one
 * column too long wraps, and a wrapped status line cannot be redrawn in place.
 */
final class Columns {

    /** What a cut line ends with; one column in every UTF-8 terminal that is not set to draw it wide. */
    static final String ELLIPSIS = "…";

    /** Code point ranges drawn two columns wide (East Asian Width W and F, the emoji blocks). */
    private static final int[][] WIDE = {
        {0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0}, {0x23F3, 0x23F3},
        {0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F}, {0x2693, 0x2693}, {0x26A1, 0x26A1},
        {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5}, {0x26CE, 0x26CE}, {0x26D4, 0x26D4}, {0x26EA, 0x26EA},
        {0x26F2, 0x26F3}, {0x26F5, 0x26F5}, {0x26FA, 0x26FA}, {0x26FD, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B},
        {0x2728, 0x2728}, {0x274C, 0x274C}, {0x274E, 0x274E}, {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
        {0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55}, {0x2E80, 0x303E},
        {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xA000, 0xA4CF}, {0xA960, 0xA97F}, {0xAC00, 0xD7A3},
        {0xF900, 0xFAFF}, {0xFE10, 0xFE19}, {0xFE30, 0xFE6F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x1F004, 0x1F004},
        {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251}, {0x1F300, 0x1F64F},
        {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD},
        {0x30000, 0x3FFFD},
    };

    private Columns() {
    }

    /** The columns {@code text} takes on a terminal. */
    static int of(String text) {
        int columns = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            columns += of(c);
            i += Character.charCount(c);
        }
        return columns;
    }

    static int of(int codePoint) {
        int type = Character.getType(codePoint);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                || type == Character.CONTROL || (codePoint >= 0x1160 && codePoint <= 0x11FF)) {
            return 0; // combining marks, zero-width joiners and spaces, Hangul medial vowels and finals
        }
        for (int[] range : WIDE) {
            if (codePoint < range[0]) {
                return 1;
            }
            if (codePoint <= range[1]) {
                return 2;
            }
        }
        return 1;
    }

    /**
     * {@code text} in at most {@code columns} columns: whole when it fits, else cut at a character
     * boundary (never inside a wide character or before its combining marks) and ended with
     * {@link #ELLIPSIS}. Empty for fewer than one column.
     */
    static String fit(String text, int columns) {
        if (of(text) <= columns) {
            return text;
        }
        if (columns < 1) {
            return "";
        }
        int room = columns - of(ELLIPSIS);
        int used = 0;
        int end = 0;
        while (end < text.length()) {
            int c = text.codePointAt(end);
            int w = of(c);
            if (used + w > room) {
                break;
            }
            used += w;
            end += Character.charCount(c);
        }
        return text.substring(0, end) + ELLIPSIS;
    }
}
