package io.cutover.yaml;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Errors snakeyaml reports without a position still name the line and column they are at. */
class YamlLoaderErrorsTest {

    private static final Path FILE = Path.of("inventory.yml");

    @Test
    void aForbiddenCharacterIsReportedAtItsLineAndColumn() {
        assertThatThrownBy(() -> new YamlLoader().parse(FILE, "all:\n  hosts:\n    ab\u0000c:\n"))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("inventory.yml:3:7: not valid YAML: special characters are not allowed");
    }

    @Test
    void anExplicitTagTheValueDoesNotFitIsABadValueAtItsPosition() {
        assertThatThrownBy(() -> new YamlLoader().parse(FILE, "steps:\n  - action: !!int refresh\n"))
                .isInstanceOf(InputException.class)
                .hasMessage("inventory.yml:2:13: `refresh` is not a valid !!int (remove the tag or fix the value)");
        assertThatThrownBy(() -> new YamlLoader().parse(FILE, "a: !!float x-y\n"))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("inventory.yml:1:4: `x-y` is not a valid !!float");
    }

    @Test
    void nestingDeeperThanTheLimitIsReportedWhereItGoesTooDeep() {
        // two mappings, then the 63rd "[" is the 65th level: column 5 + 63
        String deep = "a:\n  b: " + "[".repeat(200) + "]".repeat(200) + "\n";
        assertThatThrownBy(() -> new YamlLoader().parse(FILE, deep))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("inventory.yml:2:68: not valid YAML: Nesting Depth exceeded");
    }
}
