package io.cutover.playbook;

import io.cutover.yaml.Location;
import java.util.Objects;

/**
 * A variable the playbook uses: its type, and a default (which may be a template such as
 * {@code ${facts.resolv.nameservers}}) or "required". Inventory host vars and {@code -e} of the
 * same name override the default and are checked against the type.
 */
public record VarDecl(String name, ValueType type, boolean required, Object defaultValue, String description,
        Location location) {

    public VarDecl {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(location, "location");
        description = description == null ? "" : description;
    }
}
