package io.cutover.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PyYamlTypingTest {

    private final YamlLoader loader = new YamlLoader(true, message -> { });

    private Object value(String scalar) {
        YamlMap map = (YamlMap) loader.parse(Path.of("t.yml"), "k: " + scalar + "\n");
        return map.get("k").orElseThrow().toPlain();
    }

    @Test
    void floatsNeedADotAndASignedExponentAsInPyYaml() {
        assertThat(value("1e3")).isEqualTo("1e3");
        assertThat(value("1.0e3")).isEqualTo("1.0e3");
        assertThat(value("-.5")).isEqualTo("-.5");
        assertThat(value("1.0e+3")).isEqualTo(1000.0);
        assertThat(value(".5")).isEqualTo(0.5);
        assertThat(value("1.")).isEqualTo(1.0);
    }

    @Test
    void yaml11IntegersBooleansAndNullsAreTyped() {
        assertThat(value("0755")).isEqualTo(493);
        assertThat(value("1:30")).isEqualTo(90);
        assertThat(value("08")).isEqualTo("08");
        assertThat(value("on")).isEqualTo(true);
        assertThat(value("~")).isNull();
    }

    @Test
    void keysKeepTheirYamlTypeAndTheirText() {
        YamlMap map = (YamlMap) loader.parse(Path.of("t.yml"), "yes: 1\n10: 2\n'on': 3\n");
        List<YamlMap.Entry> entries = List.copyOf(map.entries().values());
        assertThat(entries).extracting(YamlMap.Entry::keyValue).containsExactly(true, 10, "on");
        assertThat(entries).extracting(YamlMap.Entry::key).containsExactly("yes", "10", "on");
    }

    @Test
    void anOverriddenKeyKeepsItsFirstPositionAsInAPythonDict() {
        YamlMap map = (YamlMap) loader.parse(Path.of("t.yml"),
                "base: &b {a: 1, b: 2}\nm:\n  <<: *b\n  a: 3\n  c: 4\n");
        YamlMap m = (YamlMap) map.get("m").orElseThrow();
        assertThat(m.keys()).containsExactly("a", "b", "c");
        assertThat(m.get("a").orElseThrow().toPlain()).isEqualTo(3);
    }
}
