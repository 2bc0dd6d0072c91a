package io.cutover.yaml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A YAML mapping whose keys are text (as written), in document order. Merge keys ({@code <<})
 * are already applied; each entry keeps the location of its key.
 */
public record YamlMap(Map<String, Entry> entries, Location location) implements YamlValue {

    /**
     * One key and its value; {@code keyLocation} points at the key, for "unknown key" errors.
     * {@code keyValue} is the key as YAML 1.1 types it ({@code yes} is Boolean.TRUE, {@code 10}
     * an Integer, {@code ~} null): Ansible refuses a host or group name that is not a string, and
     * renders a var named {@code on} as {@code "true"}, so the inventory needs the typed key.
     */
    public record Entry(String key, Location keyLocation, YamlValue value, Object keyValue) {
        public Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(keyLocation, "keyLocation");
            Objects.requireNonNull(value, "value");
        }

        /** An entry whose key is plain text. */
        public Entry(String key, Location keyLocation, YamlValue value) {
            this(key, keyLocation, value, key);
        }

        /** True when YAML typed the key as a string (quoted, or plain text that is not a bool/number/null). */
        public boolean keyIsString() {
            return keyValue instanceof String;
        }
    }

    public YamlMap {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        Objects.requireNonNull(location, "location");
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    public Optional<YamlValue> get(String key) {
        Entry entry = entries.get(key);
        return entry == null ? Optional.empty() : Optional.of(entry.value());
    }

    public YamlValue require(String key, String field) {
        return get(key).orElseThrow(() -> new InputException(location, field, "missing required key `" + key + "`"));
    }

    /**
     * Refuses keys outside {@code allowed}, naming the first unknown one, its position and the
     * closest allowed key: a typo must never be silently ignored.
     */
    public void rejectUnknownKeys(Set<String> allowed, String field) {
        for (Entry entry : entries.values()) {
            if (!allowed.contains(entry.key())) {
                throw new InputException(entry.keyLocation(), field,
                        "unknown key `" + entry.key() + "`" + Suggestions.didYouMean(entry.key(), allowed)
                                + "; allowed here: " + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
    }

    @Override
    public Object toPlain() {
        Map<String, Object> plain = new LinkedHashMap<>();
        for (Entry entry : entries.values()) {
            plain.put(entry.key(), entry.value().toPlain());
        }
        return plain;
    }

    @Override
    public String kind() {
        return "a mapping";
    }
}
