package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Terminal columns, as a terminal draws text: what the status line is cut by. */
class ColumnsTest {

    @Test
    void asciiTakesOneColumnACharacter() {
        assertThat(Columns.of("app1 trigger 11/15")).isEqualTo(18);
    }

    @Test
    void eastAsianWideCharactersAndEmojiTakeTwo() {
        assertThat(Columns.of("東京-db1")).isEqualTo(8);
        assertThat(Columns.of("웹서버")).isEqualTo(6);
        assertThat(Columns.of("ｗｅｂ")).isEqualTo(6); // fullwidth forms
        assertThat(Columns.of("🚀")).isEqualTo(2);
    }

    @Test
    void combiningMarksAndZeroWidthCharactersTakeNone() {
        assertThat(Columns.of("e\u0301")).isEqualTo(1);
        assertThat(Columns.of("a\u200Bb")).isEqualTo(2);
    }

    @Test
    void theEllipsisAndTheMiddleDotTakeOne() {
        assertThat(Columns.of(Columns.ELLIPSIS)).isEqualTo(1);
        assertThat(Columns.of("·")).isEqualTo(1);
    }

    @Test
    void textThatFitsIsKeptWhole() {
        assertThat(Columns.fit("app1 bind-start 5/15", 20)).isEqualTo("app1 bind-start 5/15");
    }

    @Test
    void textThatDoesNotFitIsCutAndEndsWithAnEllipsisWithinTheColumns() {
        String cut = Columns.fit("app1 bind-start 5/15", 10);

        assertThat(cut).isEqualTo("app1 bind…");
        assertThat(Columns.of(cut)).isEqualTo(10);
    }

    @Test
    void aWideCharacterIsNeverCutInHalf() {
        String cut = Columns.fit("東京東京東京", 6);

        assertThat(cut).isEqualTo("東京…");
        assertThat(Columns.of(cut)).isLessThanOrEqualTo(6);
    }

    @Test
    void aCombiningMarkStaysWithItsLetter() {
        assertThat(Columns.fit("cafe\u0301 au lait", 6)).isEqualTo("cafe\u0301 …");
    }

    @Test
    void noRoomGivesNothing() {
        assertThat(Columns.fit("app1", 0)).isEmpty();
        assertThat(Columns.fit("app1", 1)).isEqualTo(Columns.ELLIPSIS);
    }
}
