package io.cutover.inventory;

import io.cutover.yaml.Location;

/** One variable's value and where it was written (for "which file set this?" in errors). */
record Var(Object value, Location origin) {
}
