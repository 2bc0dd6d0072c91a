package io.cutover.cli;

/** How a command prints: for people, or for machines. */
enum OutputFormat {
    TEXT, JSON;

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
