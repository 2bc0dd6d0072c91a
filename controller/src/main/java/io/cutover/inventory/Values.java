package io.cutover.inventory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.cutover.yaml.YamlList;
import io.cutover.yaml.YamlMap;
import io.cutover.yaml.YamlScalar;
import io.cutover.yaml.YamlValue;

/** Deep, order-keeping, unmodifiable copies of plain YAML values (maps, lists, scalars, nulls). */
final class Values {

    private Values() {
    }

    /**
     * The value as Ansible holds it, deep-frozen. Mapping keys are named as Ansible's JSON names
     * them: a key YAML types as a boolean ({@code on}) becomes {@code "true"}, {@code 0x10} becomes
     * {@code "16"}.
     */
    static Object plain(YamlValue value) {
        if (value instanceof YamlScalar scalar) {
            return scalar.value();
        }
        if (value instanceof YamlList list) {
            List<Object> items = new ArrayList<>(list.items().size());
            list.items().forEach(item -> items.add(plain(item)));
            return Collections.unmodifiableList(items);
        }
        YamlMap map = (YamlMap) value;
        Map<String, Object> entries = new LinkedHashMap<>();
        for (YamlMap.Entry entry : map.entries().values()) {
            entries.put(keyName(entry), plain(entry.value()));
        }
        return Collections.unmodifiableMap(entries);
    }

    /** The name Ansible's JSON output gives a mapping key. */
    static String keyName(YamlMap.Entry entry) {
        Object key = entry.keyValue();
        if (key instanceof String text) {
            return text;
        }
        return PythonText.jsonKey(key);
    }

    static Map<String, Object> freezeMap(Map<String, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>(map.size() * 2);
        map.forEach((key, value) -> copy.put(key, freeze(value)));
        return Collections.unmodifiableMap(copy);
    }

    @SuppressWarnings("unchecked")
    static Object freeze(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (isFrozen(map)) {
                return map;
            }
            return freezeMap((Map<String, ?>) map);
        }
        if (value instanceof List<?> list) {
            if (isFrozen(list) || list instanceof PythonTuple) { // a tuple is deep-frozen when made
                return list;
            }
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(freeze(item)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    private static final Class<?> FROZEN_MAP = Collections.unmodifiableMap(new LinkedHashMap<>()).getClass();
    private static final Class<?> FROZEN_LIST = Collections.unmodifiableList(new ArrayList<>()).getClass();

    private static boolean isFrozen(Object collection) {
        // Our own frozen copies are deep already; re-copying them would make merges quadratic.
        return collection.getClass() == FROZEN_MAP || collection.getClass() == FROZEN_LIST;
    }
}
