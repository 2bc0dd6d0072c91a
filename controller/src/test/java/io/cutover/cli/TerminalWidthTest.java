package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Reading the terminal's width: `stty size` first, $COLUMNS only when there is no terminal to ask. */
class TerminalWidthTest {

    @Test
    void sttySizeGivesRowsThenColumns() {
        assertThat(TerminalWidth.parseSize("40 60\n")).hasValue(60);
        assertThat(TerminalWidth.parseSize("24 200")).hasValue(200);
    }

    @Test
    void aTerminalThatDoesNotSayItsSizeGivesNone() {
        assertThat(TerminalWidth.parseSize("0 0\n")).isEmpty();
        assertThat(TerminalWidth.parseSize("")).isEmpty();
        assertThat(TerminalWidth.parseSize("stty: 'standard input': Inappropriate ioctl for device")).isEmpty();
    }

    @Test
    void columnsMustBeAPositiveNumber() {
        assertThat(TerminalWidth.parseColumns("132")).hasValue(132);
        assertThat(TerminalWidth.parseColumns(null)).isEqualTo(OptionalInt.empty());
        assertThat(TerminalWidth.parseColumns("wide")).isEmpty();
        assertThat(TerminalWidth.parseColumns("-80")).isEmpty();
    }
}
