package io.cutover.yaml;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a value came from, for error messages: {@code inventory.yml:12:5}. Line and column are
 * 1-based, as editors show them; 0 means "unknown" and is left out of the text.
 */
public record Location(Path file, int line, int column) {

    public Location {
        Objects.requireNonNull(file, "file");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("negative position " + line + ":" + column);
        }
    }

    public static Location of(Path file) {
        return new Location(file, 0, 0);
    }

    @Override
    public String toString() {
        if (line == 0) {
            return file.toString();
        }
        return column == 0 ? file + ":" + line : file + ":" + line + ":" + column;
    }
}
