package io.cutover.plan;

/**
 * What a host has today at a path, as far as the planner knows: unknown (offline), absent, or
 * this content.
 */
public record CurrentFile(boolean known, boolean exists, String content) {

    public static final CurrentFile UNKNOWN = new CurrentFile(false, false, null);
    public static final CurrentFile ABSENT = new CurrentFile(true, false, null);

    public CurrentFile {
        if (exists && content == null) {
            throw new IllegalArgumentException("an existing file needs its content");
        }
    }

    public static CurrentFile of(String content) {
        return new CurrentFile(true, true, content);
    }
}
