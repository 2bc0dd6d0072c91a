package io.cutover.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code shlex.split(line, comments=True)} (POSIX mode), which Ansible's INI plugin uses
 * to cut a host line into words: quotes group and disappear ({@code x="a b"} is the word
 * {@code x=a b}), a backslash escapes outside single quotes, and {@code #} starts a comment even in
 * the middle of a word ({@code pass=a#b} is {@code pass=a}).
 */
final class ShellWords {

    /** A line shlex cannot split; the message is shlex's own. */
    static final class SplitException extends RuntimeException {
        SplitException(String message) {
            super(message);
        }
    }

    private static final String WHITESPACE = " \t\r\n";
    private static final char NONE = 0;

    private ShellWords() {
    }

    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        boolean quoted = false;
        char quote = NONE;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i++);
            if (quote != NONE) {
                if (c == quote) {
                    quote = NONE;
                } else if (c == '\\' && quote == '"') {
                    if (i >= line.length()) {
                        throw new SplitException("No escaped character");
                    }
                    char next = line.charAt(i++);
                    if (next != '\\' && next != '"') {
                        word.append('\\');
                    }
                    word.append(next);
                } else {
                    word.append(c);
                }
            } else if (WHITESPACE.indexOf(c) >= 0) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                    quoted = false;
                }
            } else if (c == '#') {
                break;
            } else if (c == '\\') {
                if (i >= line.length()) {
                    throw new SplitException("No escaped character");
                }
                word.append(line.charAt(i++));
                inWord = true;
            } else if (c == '\'' || c == '"') {
                quote = c;
                quoted = true;
                inWord = true;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != NONE) {
            throw new SplitException("No closing quotation");
        }
        if (inWord && (word.length() > 0 || quoted)) {
            words.add(word.toString());
        }
        return words;
    }
}
