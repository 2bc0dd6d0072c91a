package io.cutover.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A YAML sequence. */
public record YamlList(List<YamlValue> items, Location location) implements YamlValue {

    public YamlList {
        items = List.copyOf(items);
        Objects.requireNonNull(location, "location");
    }

    @Override
    public Object toPlain() {
        List<Object> plain = new ArrayList<>(items.size());
        for (YamlValue item : items) {
            plain.add(item.toPlain());
        }
        return plain;
    }

    @Override
    public String kind() {
        return "a list";
    }
}
