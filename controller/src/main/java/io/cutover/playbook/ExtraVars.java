package io.cutover.playbook;

import io.cutover.yaml.InputException;
import io.cutover.yaml.Location;
import io.cutover.yaml.VarValues;
import io.cutover.yaml.YamlList;
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
                    forget(origins, key);
                    origins.put(key, entry.keyLocation());
                    parts(key, entry.value(), origins);
                });
            } else if (text.startsWith("{")) {
                mapping(yaml.parse(Path.of("-e"), text), "-e " + text).forEach((key, entry) -> {
                    vars.put(key, entry.value().toPlain());
                    forget(origins, key);
                });
            } else {
                // Several pairs split at the spaces that precede "key=", so a value may contain spaces.
                for (String pair : text.split("\\s+(?=[A-Za-z_][A-Za-z0-9_]*=)")) {
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new InputException("-e " + pair + ": expected key=value, @file.yml or a {...} mapping");
                    }
                    vars.put(pair.substring(0, eq), pair.substring(eq + 1));
                    forget(origins, pair.substring(0, eq));
                }
            }
        }
        return new VarValues(vars, origins);
    }

    /**
     * Where each part of a value from a file was written, as messages name the parts: {@code
     * triggers[2]} (entries count from 1), {@code triggers[2].pidfile}.
     */
    private static void parts(String path, YamlValue value, Map<String, Location> origins) {
        if (value instanceof YamlList list) {
            for (int i = 0; i < list.items().size(); i++) {
                origins.put(path + "[" + (i + 1) + "]", list.items().get(i).location());
                parts(path + "[" + (i + 1) + "]", list.items().get(i), origins);
            }
        } else if (value instanceof YamlMap map) {
            map.entries().forEach((key, entry) -> {
                origins.put(path + "." + key, entry.keyLocation());
                parts(path + "." + key, entry.value(), origins);
            });
        }
    }

    /** A later -e replaces the whole value: where its parts were written no longer holds. */
    private static void forget(Map<String, Location> origins, String key) {
        origins.keySet().removeIf(k -> k.equals(key) || k.startsWith(key + "[") || k.startsWith(key + "."));
    }

    private static Map<String, YamlMap.Entry> mapping(YamlValue value, String where) {
        return value == null ? Map.of() : value.asMap(where).entries();
    }
}
