package io.cutover.inventory;

import io.cutover.yaml.InputException;
import io.cutover.yaml.Location;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an INI file exactly as Python's {@code configparser.ConfigParser(inline_comment_prefixes=(';',))}
 * reads it, which is what ansible-core does with ansible.cfg (config/manager.py): {@code [section]}
 * headers, {@code key = value} or {@code key: value} (the first {@code =} or {@code :} splits), keys
 * lower-cased, values stripped, continuation lines indented deeper than their key (joined with a line
 * break, blank lines inside kept, trailing ones dropped), {@code #} and {@code ;} comment lines, an inline
 * {@code ;} comment only after whitespace (so {@code a=b;c} keeps {@code ;c} but {@code #} never starts an
 * inline comment), {@code [DEFAULT]} values visible in every section, and {@code strict=True}: a section
 * or a key twice is an error. Ansible reads values raw, so {@code %(x)s} is not interpolated here either.
 *
 * <p>No Java INI library has these rules (ini4j and commons-configuration differ on continuation lines,
 * inline comments and duplicates, and neither is served here), and the inventory's INI parser reads a
 * different dialect (Ansible's own, where {@code a b=c} is a host line); so this is a line-for-line reading
 * of {@code RawConfigParser._read} of Python 3.11. Every error names the file and line, as Python's do.
 */
final class PyConfigParser {

    static final String DEFAULT_SECTION = "DEFAULT";
    private static final Pattern SECTION = Pattern.compile("\\[(.+)\\]");

    /** One value and the line its key was written on. */
    record Entry(String value, int line) {
    }

    private final Path file;
    private final Map<String, Map<String, Entry>> sections = new LinkedHashMap<>();
    private final Map<String, Entry> defaults = new LinkedHashMap<>();

    private PyConfigParser(Path file) {
        this.file = file;
    }

    /** Parses {@code text} (the content of {@code file}); a syntax error is an {@link InputException} at file:line. */
    static PyConfigParser parse(Path file, String text) {
        PyConfigParser parser = new PyConfigParser(file);
        parser.read(text);
        return parser;
    }

    /** The value of {@code key} in {@code section} (or in [DEFAULT]), as {@code get(section, key, raw=True)}. */
    Optional<Entry> get(String section, String key) {
        Map<String, Entry> values = sections.get(section);
        if (values == null) {
            return Optional.empty();
        }
        String k = key.toLowerCase(Locale.ROOT);
        Entry entry = values.get(k);
        return Optional.ofNullable(entry != null ? entry : defaults.get(k));
    }

    Set<String> sections() {
        return sections.keySet();
    }

    private void read(String text) {
        Map<String, List<String>> current = null; // the section being read, as raw value lines
        Map<String, Map<String, List<String>>> raw = new LinkedHashMap<>();
        Map<String, List<String>> rawDefaults = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> lines = new LinkedHashMap<>();
        Set<String> added = new HashSet<>();
        String section = null;
        String option = null;
        int indentLevel = 0;
        String[] all = text.split("\n", -1);
        int count = text.endsWith("\n") ? all.length - 1 : all.length;
        for (int i = 0; i < count; i++) {
            int lineNo = i + 1;
            String line = all[i].endsWith("\r") ? all[i].substring(0, all[i].length() - 1) : all[i];
            int commentStart = inlineComment(line);
            if (line.strip().startsWith("#") || line.strip().startsWith(";")) {
                commentStart = 0;
            }
            String value = (commentStart < 0 ? line : line.substring(0, commentStart)).strip();
            if (value.isEmpty()) {
                // empty_lines_in_values=True: a blank line (not a comment) inside a value is part of it
                if (commentStart < 0 && current != null && option != null && current.get(option) != null) {
                    current.get(option).add("");
                }
                continue;
            }
            int indent = 0;
            while (indent < line.length() && Character.isWhitespace(line.charAt(indent))) {
                indent++;
            }
            if (current != null && option != null && indent > indentLevel) {
                current.get(option).add(value); // a continuation line
                continue;
            }
            indentLevel = indent;
            Matcher header = SECTION.matcher(value);
            if (header.lookingAt()) {
                section = header.group(1); // Python's greedy `\[(?P<header>.+)\]`, matched at the start only
                if (raw.containsKey(section)) {
                    if (added.contains(section)) {
                        throw error(lineNo, "section [" + section + "] is written twice (Python's configparser, "
                                + "which Ansible uses, refuses that); merge the two");
                    }
                    current = raw.get(section);
                } else if (section.equals(DEFAULT_SECTION)) {
                    current = rawDefaults;
                } else {
                    current = new LinkedHashMap<>();
                    raw.put(section, current);
                    lines.put(section, new LinkedHashMap<>());
                }
                added.add(section);
                lines.computeIfAbsent(section, s -> new LinkedHashMap<>());
                option = null;
                continue;
            }
            if (current == null) {
                throw error(lineNo, "`" + value + "` comes before any [section] header; ansible.cfg settings go "
                        + "under [defaults], [privilege_escalation] or [ssh_connection]");
            }
            int delimiter = delimiter(value);
            if (delimiter < 0) {
                throw error(lineNo, "`" + value + "` is not `key = value` (Python's configparser, which Ansible "
                        + "uses, refuses the whole file)");
            }
            String key = value.substring(0, delimiter).strip().toLowerCase(Locale.ROOT);
            if (key.isEmpty()) {
                throw error(lineNo, "`" + value + "` has no key before the `" + value.charAt(delimiter) + "`");
            }
            String dupKey = section + "\0" + key;
            if (added.contains(dupKey)) {
                throw error(lineNo, "`" + key + "` is set twice in [" + section + "] (first at line "
                        + lines.get(section).get(key) + "); Python's configparser, which Ansible uses, refuses that");
            }
            added.add(dupKey);
            List<String> valueLines = new java.util.ArrayList<>();
            valueLines.add(value.substring(delimiter + 1).strip());
            current.put(key, valueLines);
            lines.get(section).put(key, lineNo);
            option = key;
        }
        rawDefaults.forEach((k, v) -> defaults.put(k, new Entry(join(v), lines.get(DEFAULT_SECTION).get(k))));
        raw.forEach((name, values) -> {
            Map<String, Entry> joined = new LinkedHashMap<>();
            values.forEach((k, v) -> joined.put(k, new Entry(join(v), lines.get(name).get(k))));
            sections.put(name, joined);
        });
    }

    /** Where an inline `;` comment starts: at the line's start or after whitespace; -1 if none. */
    private static int inlineComment(String line) {
        for (int i = line.indexOf(';'); i >= 0; i = line.indexOf(';', i + 1)) {
            if (i == 0 || Character.isWhitespace(line.charAt(i - 1))) {
                return i;
            }
        }
        return -1;
    }

    /** The first `=` or `:` (Python's `(?P<option>.*?)\s*(?P<vi>=|:)`, lazy: the leftmost wins). */
    private static int delimiter(String value) {
        int eq = value.indexOf('=');
        int colon = value.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        return colon < 0 ? eq : Math.min(eq, colon);
    }

    private static String join(List<String> valueLines) {
        return String.join("\n", valueLines).stripTrailing();
    }

    private InputException error(int line, String message) {
        return new InputException(new Location(file, line, 0), message);
    }
}
