package io.cutover.playbook;

import io.cutover.yaml.InputException;
import io.cutover.yaml.Location;
import io.cutover.yaml.VarValues;
import io.cutover.yaml.YamlLoader;
import io.cutover.yaml.YamlMap;
import io.cutover.yaml.YamlValue;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code -e} values, as Ansible takes them: {@code key=value} (a string; several separated by
 * spaces), {@code @vars.yml} (a YAML or JSON mapping from a file), or an inline YAML/JSON
 * mapping {@code {"key": [..]}}. Later ones override earlier ones. Values from a file keep where
 * they were written.
 */
public final class ExtraVars {

    private ExtraVars() {
    }

    public static VarValues parse(List<String> values, YamlLoader yaml) {
        Map<String, Object> vars = new LinkedHashMap<>();
        Map<String, Location> origins = new HashMap<>();
        for (String value : values) {
            String text = value.trim();
            if (text.startsWith("@")) {
                Path file = Path.of(text.substring(1));
                mapping(yaml.load(file), "-e " + text).forEach((key, entry) -> {
                    vars.put(key, entry.value().toPlain());
                    origins.put(key, entry.keyLocation());
                });
            } else if (text.startsWith("{")) {
                mapping(yaml.parse(Path.of("-e"), text), "-e " + text).forEach((key, entry) -> {
                    vars.put(key, entry.value().toPlain());
                    origins.remove(key);
                });
            } else {
                // Several pairs split at the spaces that precede "key=", so a value may contain spaces.
                for (String pair : text.split("\\s+(?=[A-Za-z_][A-Za-z0-9_]*=)")) {
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new InputException("-e " + pair + ": expected key=value, @file.yml or a {...} mapping");
                    }
                    vars.put(pair.substring(0, eq), pair.substring(eq + 1));
                    origins.remove(pair.substring(0, eq));
                }
            }
        }
        return new VarValues(vars, origins);
    }

    private static Map<String, YamlMap.Entry> mapping(YamlValue value, String where) {
        return value == null ? Map.of() : value.asMap(where).entries();
    }
}
