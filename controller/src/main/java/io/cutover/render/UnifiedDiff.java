package io.cutover.render;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import java.util.Arrays;
import java.util.List;

/** A unified diff between a file's current and planned content, as {@code diff -u} prints it. */
public final class UnifiedDiff {

    private static final int CONTEXT_LINES = 3;

    private UnifiedDiff() {
    }

    /** The diff text; empty when the contents are equal. {@code before} null means "no such file". */
    public static String of(String path, String before, String after) {
        if (after.equals(before)) {
            return "";
        }
        List<String> original = before == null ? List.of() : lines(before);
        List<String> revised = lines(after);
        Patch<String> patch = DiffUtils.diff(original, revised);
        List<String> diff = UnifiedDiffUtils.generateUnifiedDiff(before == null ? "/dev/null" : "a" + path,
                "b" + path, original, patch, CONTEXT_LINES);
        return String.join("\n", diff) + "\n";
    }

    private static List<String> lines(String text) {
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return body.isEmpty() ? List.of() : Arrays.asList(body.split("\n", -1));
    }
}
