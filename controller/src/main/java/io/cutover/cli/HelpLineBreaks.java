package io.cutover.cli;

import java.text.BreakIterator;
import java.text.CharacterIterator;
import java.text.StringCharacterIterator;
import java.text.spi.BreakIteratorProvider;
import java.util.Locale;

/**
 * Where {@code --help} may wrap a line: after a space, nowhere else. picocli wraps with the JDK's
 * line BreakIterator, which also breaks after {@code .}, {@code /} and {@code ,}: "ansible." and
 * "cfg" on two lines, "~/." and "ssh/config". This provider (installed through the locale SPI,
 * META-INF/services, once {@link #install} has put SPI first) answers line instances only; the
 * JDK's own providers still answer every other kind.
 */
public final class HelpLineBreaks extends BreakIteratorProvider {

    /** Puts this provider before the JDK's, unless the user chose providers: before any text is wrapped. */
    static void install() {
        if (System.getProperty("java.locale.providers") == null) {
            System.setProperty("java.locale.providers", "SPI,CLDR");
        }
    }

    @Override
    public Locale[] getAvailableLocales() {
        return new Locale[] {Locale.ROOT, Locale.ENGLISH, Locale.US};
    }

    @Override
    public boolean isSupportedLocale(Locale locale) {
        return true; // help is English whatever the user's locale
    }

    @Override
    public BreakIterator getLineInstance(Locale locale) {
        return new AtSpaces();
    }

    @Override
    public BreakIterator getWordInstance(Locale locale) {
        return null; // the JDK's
    }

    @Override
    public BreakIterator getCharacterInstance(Locale locale) {
        return null;
    }

    @Override
    public BreakIterator getSentenceInstance(Locale locale) {
        return null;
    }

    /** Boundaries at the text's ends and where a word starts after spaces. */
    static final class AtSpaces extends BreakIterator {

        private CharacterIterator text = new StringCharacterIterator("");
        private int position;

        private boolean boundary(int i) {
            return i <= text.getBeginIndex() || i >= text.getEndIndex() || (charAt(i - 1) == ' ' && charAt(i) != ' ');
        }

        private char charAt(int i) {
            return text.setIndex(i);
        }

        @Override
        public int first() {
            return position = text.getBeginIndex();
        }

        @Override
        public int last() {
            return position = text.getEndIndex();
        }

        @Override
        public int next(int n) {
            int at = current();
            for (int i = 0; i < n && at != DONE; i++) {
                at = next();
            }
            return at;
        }

        @Override
        public int next() {
            if (position >= text.getEndIndex()) {
                return DONE;
            }
            do {
                position++;
            } while (!boundary(position));
            return position;
        }

        @Override
        public int previous() {
            if (position <= text.getBeginIndex()) {
                return DONE;
            }
            do {
                position--;
            } while (!boundary(position));
            return position;
        }

        @Override
        public int following(int offset) {
            position = offset;
            return next();
        }

        @Override
        public int current() {
            return position;
        }

        @Override
        public CharacterIterator getText() {
            return text;
        }

        @Override
        public void setText(CharacterIterator newText) {
            text = newText;
            position = newText.getBeginIndex();
        }
    }
}
