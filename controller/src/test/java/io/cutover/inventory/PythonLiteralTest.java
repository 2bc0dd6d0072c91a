package io.cutover.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Each line of {@code python-literals/cases.jsonl} is what CPython 3.11's {@code ast.literal_eval}
 * made of a text ({@code value}: the literal, or the text itself where it raises; {@code unusable}:
 * a set, complex or Ellipsis that Ansible then cannot print). The file was written by running
 * literal_eval on each text, so these are CPython's answers, not ours.
 */
class PythonLiteralTest {

    private static final Path CASES = Path.of("src/test/resources/inventory/python-literals/cases.jsonl");

    @TestFactory
    Stream<DynamicTest> valuesAreWhatLiteralEvalMakesOfThem() throws IOException {
        List<String> lines = Files.readAllLines(CASES);
        assertThat(lines).hasSizeGreaterThan(80);
        return lines.stream().map(line -> {
            JsonNode c = AnsibleOracle.parse(line);
            String text = c.get("text").asText();
            String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
            return DynamicTest.dynamicTest("`" + shown + "`", () -> {
                if (c.has("unusable")) {
                    assertThatThrownBy(() -> PythonLiteral.value(text)).isInstanceOf(PythonLiteral.Unusable.class);
                    return;
                }
                Object ours = PythonLiteral.value(text);
                if (c.get("value").isTextual() && c.get("value").asText().equals(text)) {
                    assertThat(ours).as("kept as text").isEqualTo(text);
                } else {
                    assertThat(AnsibleOracle.parse(PythonText.json(ours))).isEqualTo(c.get("value"));
                }
            });
        });
    }

    @Test
    void aTupleIsAListThatShowsAsATuple() {
        Object tuple = PythonLiteral.value("(1, 'a')");
        assertThat(tuple).isEqualTo(List.of(1, "a"));
        assertThat(PythonText.str(tuple)).isEqualTo("(1, 'a')");
        assertThat(PythonText.str(PythonLiteral.value("(1,)"))).isEqualTo("(1,)");
    }

    @Test
    void bigIntegersKeepTheirSizeAndJavaType() {
        assertThat(PythonLiteral.value("2147483647")).isInstanceOf(Integer.class);
        assertThat(PythonLiteral.value("2147483648")).isInstanceOf(Long.class);
        assertThat(PythonLiteral.value("-2147483648")).isEqualTo(Integer.MIN_VALUE);
        assertThat(PythonLiteral.value("99999999999999999999")).isInstanceOf(java.math.BigInteger.class);
    }

    @Test
    void deepNestingIsTextNotAStackOverflow() {
        String deep = "[".repeat(100_000);
        assertThat(PythonLiteral.value(deep)).isEqualTo(deep);
    }
}
