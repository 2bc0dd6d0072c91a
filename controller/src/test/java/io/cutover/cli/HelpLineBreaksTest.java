package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class HelpLineBreaksTest {

    private static List<String> pieces(String text) {
        BreakIterator lines = new HelpLineBreaks().getLineInstance(Locale.US);
        lines.setText(text);
        List<String> pieces = new ArrayList<>();
        for (int start = lines.first(), end = lines.next(); end != BreakIterator.DONE; start = end, end = lines.next()) {
            pieces.add(text.substring(start, end));
        }
        return pieces;
    }

    @Test
    void aLineBreaksAfterSpacesOnlyNeverInsideAPathOrAFileName() {
        assertThat(pieces("default: ansible.cfg remote_user, ~/.ssh/config  User"))
                .containsExactly("default: ", "ansible.cfg ", "remote_user, ", "~/.ssh/config  ", "User");
    }

    @Test
    void walkingBackAndFromAnOffsetFindsTheSameBoundaries() {
        BreakIterator lines = new HelpLineBreaks().getLineInstance(Locale.ROOT);
        lines.setText("one two.three four");
        assertThat(lines.following(5)).isEqualTo(14);
        assertThat(lines.preceding(13)).isEqualTo(4);
        assertThat(lines.last()).isEqualTo(18);
        assertThat(lines.previous()).isEqualTo(14);
        assertThat(lines.isBoundary(8)).isFalse();
    }
}
