package io.cutover.inventory;

import io.cutover.yaml.InputException;
import io.cutover.yaml.Location;
import java.util.function.Consumer;

/**
 * Where Ansible merely warns (and drops a host, a var or a whole group), cutover refuses: a typo
 * must never silently remove a host from a DNS cutover. {@code --lenient} turns these refusals
 * back into warnings and Ansible's behaviour. Errors Ansible itself raises stay errors.
 */
final class Strictness {

    private final boolean lenient;
    private final Consumer<String> warnings;

    Strictness(boolean lenient, Consumer<String> warnings) {
        this.lenient = lenient;
        this.warnings = warnings;
    }

    boolean lenient() {
        return lenient;
    }

    /** Throws in strict mode; in lenient mode warns and returns, so the caller does what Ansible does. */
    void refuse(Location location, String message) {
        if (!lenient) {
            throw new InputException(location, message);
        }
        warn(location, message);
    }

    void warn(Location location, String message) {
        warnings.accept((location == null ? "" : location + ": ") + "warning: " + message);
    }
}
