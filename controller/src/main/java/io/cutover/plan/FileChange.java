package io.cutover.plan;

import io.cutover.render.UnifiedDiff;
import java.util.Objects;

/** A file a step would install: the content now, the content after, and the diff between them. */
public record FileChange(String path, CurrentFile before, String after) {

    public FileChange {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }

    /** The unified diff, when the current content is known; empty when nothing would change. */
    public String diff() {
        if (!before.known()) {
            return "";
        }
        return UnifiedDiff.of(path, before.content(), after);
    }

    public boolean changes() {
        return !before.known() || !after.equals(before.content());
    }
}
