package io.cutover.ssh;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShellQuoteTest {
    static final String CANARY = "/tmp/cutover-quote-canary";

    static Stream<String> hostile() {
        return Stream.of("", " ", "plain", "two words", "$(touch " + CANARY + ")", "`touch " + CANARY + "`",
                "; touch " + CANARY, "&& touch " + CANARY, "| touch " + CANARY, "a\ntouch " + CANARY,
                "'", "''", "'\\''", "it's", "\"$HOME\"", "${PATH}", "$((1+1))", "\\", "\\n", "--option",
                "-n", "-e", "*", "/*", "?", "[a-z]*", "~", "~root", "#comment", "!!", "a\tb", "\r", "%s%n",
                "x\u00e9\u4e2d\ud83d\ude00", "'; touch " + CANARY + "; echo '", "\u00a0", "<(echo)", ">"
                + CANARY, "$'\\x41'", "a=b", "IFS=x", "\u001b[31m");
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void aQuotedValueIsOneLiteralWordForARealShell(String value) throws Exception {
        Files.deleteIfExists(Path.of(CANARY));
        Process sh = new ProcessBuilder("/bin/sh", "-c", "printf '%s\\n' " + ShellQuote.quote(value))
                .redirectErrorStream(true).start();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(sh.waitFor()).isZero();
        assertThat(out).isEqualTo(value + "\n");
        assertThat(Path.of(CANARY)).doesNotExist();
    }

    @Test
    void aJoinedArgvReachesTheCommandAsTheSameArgv() throws IOException, InterruptedException {
        List<String> argv = hostile().toList();
        // The command line itself goes through sh -c, like an SSH exec request does.
        Process run = new ProcessBuilder("/bin/sh", "-c", "f() { for a in \"$@\"; do printf '[%s]' \"$a\"; done; }; f "
                + ShellQuote.join(argv)).start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(run.waitFor()).isZero();
        assertThat(out).isEqualTo(argv.stream().map(a -> "[" + a + "]").reduce("", String::concat));
        assertThat(Path.of(CANARY)).doesNotExist();
    }

    @Test
    void quotingIsSingleQuotesWithEmbeddedQuotesSpelledOut() {
        assertThat(ShellQuote.quote("")).isEqualTo("''");
        assertThat(ShellQuote.quote("a b")).isEqualTo("'a b'");
        assertThat(ShellQuote.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ShellQuote.join("printf", "%s", "$x")).isEqualTo("printf %s '$x'");
        assertThat(ShellQuote.quote("--run")).isEqualTo("--run");
        assertThat(ShellQuote.quote("")).isEqualTo("''");
    }

    @Test
    void nulIsRefusedRatherThanTruncated() {
        assertThatThrownBy(() -> ShellQuote.quote("a\0b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
        assertThatThrownBy(() -> ShellQuote.quote(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShellQuote.join(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
