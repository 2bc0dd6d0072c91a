package io.cutover.playbook;

import io.cutover.yaml.InputException;
import io.cutover.yaml.YamlLoader;
import io.cutover.yaml.YamlValue;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code -e} values, as Ansible takes them: {@code key=value} (a string; several separated by
 * spaces), {@code @vars.yml} (a YAML or JSON mapping from a file), or an inline YAML/JSON
 * mapping {@code {"key": [..]}}. Later ones override earlier ones.
 */
public final class ExtraVars {

    private ExtraVars() {
    }

    public static Map<String, Object> parse(List<String> values, YamlLoader yaml) {
        Map<String, Object> vars = new LinkedHashMap<>();
        for (String value : values) {
            String text = value.trim();
            if (text.startsWith("@")) {
                Path file = Path.of(text.substring(1));
                vars.putAll(mapping(yaml.load(file), "-e " + text));
            } else if (text.startsWith("{")) {
                vars.putAll(mapping(yaml.parse(Path.of("-e"), text), "-e " + text));
            } else {
                // Several pairs split at the spaces that precede "key=", so a value may contain spaces.
                for (String pair : text.split("\\s+(?=[A-Za-z_][A-Za-z0-9_]*=)")) {
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new InputException("-e " + pair + ": expected key=value, @file.yml or a {...} mapping");
                    }
                    vars.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return vars;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapping(YamlValue value, String where) {
        if (value == null) {
            return Map.of();
        }
        return (Map<String, Object>) value.asMap(where).toPlain();
    }
}
