package io.cutover.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected words are what Python 3.11's shlex.split(line, comments=True) returns for each line. */
class ShellWordsTest {

    @Test
    void quotesGroupAndDisappear() {
        assertThat(ShellWords.split("web1 x=\"a b\" y='c d'")).containsExactly("web1", "x=a b", "y=c d");
        assertThat(ShellWords.split("x=\"'05'\"")).containsExactly("x='05'");
        assertThat(ShellWords.split("a\"b c\"d")).containsExactly("ab cd");
    }

    @Test
    void aHashStartsACommentEvenInsideAWord() {
        assertThat(ShellWords.split("h pass=a#b c=d")).containsExactly("h", "pass=a");
        assertThat(ShellWords.split("h pass='a#b' # note")).containsExactly("h", "pass=a#b");
    }

    @Test
    void backslashesEscapeOutsideSingleQuotes() {
        assertThat(ShellWords.split("p=/a\\ b")).containsExactly("p=/a b");
        assertThat(ShellWords.split("p=\"a\\\"b\\c\"")).containsExactly("p=a\"b\\c");
        assertThat(ShellWords.split("p='a\\b'")).containsExactly("p=a\\b");
    }

    @Test
    void emptyQuotesAreAnEmptyWord() {
        assertThat(ShellWords.split("h '' x=")).isEqualTo(List.of("h", "", "x="));
    }

    @Test
    void anUnclosedQuoteIsShlexsError() {
        assertThatThrownBy(() -> ShellWords.split("h x='abc")).hasMessage("No closing quotation");
        assertThatThrownBy(() -> ShellWords.split("h x=abc\\")).hasMessage("No escaped character");
    }
}
