package io.cutover.yaml;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Loads one YAML file into a {@link YamlValue} tree that keeps positions. Hostile input is
 * bounded: file size, nesting depth, alias count and the number of nodes an alias expansion may
 * produce are all capped, and every failure is an {@link InputException} with file:line:column.
 *
 * <p>Scalars are typed as YAML 1.1 (the dialect Ansible's PyYAML speaks), so that values reach
 * hosts exactly as they would through Ansible.
 */
public final class YamlLoader {

    static final long MAX_FILE_BYTES = 16L * 1024 * 1024;
    static final int MAX_DEPTH = 64;
    static final int MAX_ALIASES = 100;
    static final int MAX_NODES = 1_000_000;

    private final boolean lenient;
    private final Consumer<String> warnings;

    /**
     * @param lenient  when true, duplicate keys are a warning (last one wins, as in Ansible)
     *                 instead of an error
     * @param warnings where warnings go (one line each, already prefixed with the location)
     */
    public YamlLoader(boolean lenient, Consumer<String> warnings) {
        this.lenient = lenient;
        this.warnings = warnings;
    }

    /** A strict loader: duplicate keys are errors. */
    public YamlLoader() {
        this(false, message -> { });
    }

    /** Loads a file; an empty file (or one holding only comments) gives {@code null}. */
    public YamlValue load(Path file) {
        return parse(file, readText(file));
    }

    /** Parses text as if it came from {@code file} (used for `-e` values and tests). */
    public YamlValue parse(Path file, String text) {
        Node root;
        String yaml = stripBom(text);
        try {
            root = newYaml().compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            throw new InputException(locate(file, e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark()),
                    "not valid YAML: " + describe(e));
        } catch (ReaderException e) {
            throw new InputException(atCodePoint(file, yaml, e.getPosition()), "not valid YAML: " + oneLine(e.getMessage()));
        } catch (YAMLException e) {
            throw new InputException(deepestStart(file, yaml), "not valid YAML: " + oneLine(e.getMessage()));
        }
        if (root == null) {
            return null;
        }
        return new Converter(file).convert(root, 0);
    }

    private static Yaml newYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // we report duplicates ourselves, with their position
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit((int) MAX_FILE_BYTES);
        options.setAllowRecursiveKeys(false);
        return new Yaml(new ScalarConstructor(options), new org.yaml.snakeyaml.representer.Representer(
                new org.yaml.snakeyaml.DumperOptions()), new org.yaml.snakeyaml.DumperOptions(), options,
                new PyYamlResolver());
    }

    /**
     * A file's text, as {@link #load} reads it: UTF-8, at most the size limit; a clear error
     * naming the file (and the line of a bad byte) otherwise. Used for INI inventories too.
     */
    public static String readText(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new InputException(Location.of(file), "file is " + size + " bytes; the limit is "
                        + MAX_FILE_BYTES + " bytes (is this really an inventory or playbook?)");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputException(Location.of(file), "no such file");
        } catch (IOException e) {
            throw new InputException(Location.of(file), "cannot read: " + e.getMessage());
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            return decoder.decode(buffer).toString();
        } catch (CharacterCodingException e) {
            int offset = buffer.position();
            int line = 1;
            for (int i = 0; i < offset && i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new InputException(new Location(file, line, 0),
                    "not UTF-8 text (invalid byte at offset " + offset + "); is this a binary file?");
        }
    }

    private static String stripBom(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** The line and column of the code point at {@code position} (a character snakeyaml refuses). */
    private static Location atCodePoint(Path file, String text, int position) {
        int line = 1;
        int column = 1;
        int index = 0;
        for (int i = 0; i < text.length() && index < position; i = text.offsetByCodePoints(i, 1), index++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new Location(file, line, column);
    }

    /**
     * Where nesting first goes deeper than the limit: snakeyaml's composer says only that it did. The
     * parser's events (which it does not limit) carry positions; anything else unmarked gets the file.
     */
    private static Location deepestStart(Path file, String text) {
        int depth = 0;
        try {
            for (Event event : newYaml().parse(new StringReader(text))) {
                if (event instanceof CollectionStartEvent && ++depth > MAX_DEPTH) {
                    return locate(file, event.getStartMark());
                } else if (event instanceof CollectionEndEvent) {
                    depth--;
                }
            }
        } catch (YAMLException e) {
            // a different problem the events cannot place either
        }
        return Location.of(file);
    }

    private static Location locate(Path file, Mark mark) {
        return mark == null ? Location.of(file) : new Location(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static String describe(MarkedYAMLException e) {
        String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
        String context = e.getContext() != null && e.getProblem() != null ? " (" + e.getContext() + ")" : "";
        return oneLine(problem + context);
    }

    private static String oneLine(String text) {
        return text == null ? "unknown error" : text.replaceAll("\\s+", " ").trim();
    }

    /** Exposes SafeConstructor's YAML 1.1 scalar typing without building whole documents. */
    private static final class ScalarConstructor extends SafeConstructor {
        ScalarConstructor(LoaderOptions options) {
            super(options);
        }

        Object scalar(ScalarNode node) {
            return constructObject(node);
        }
    }

    /** Walks the composed node graph once, counting nodes so an alias bomb cannot expand. */
    private final class Converter {
        private final Path file;
        private final ScalarConstructor constructor = new ScalarConstructor(new LoaderOptions());
        private int nodes;

        Converter(Path file) {
            this.file = file;
        }

        YamlValue convert(Node node, int depth) {
            if (++nodes > MAX_NODES) {
                throw new InputException(locate(file, node.getStartMark()),
                        "YAML expands to more than " + MAX_NODES + " values (an alias bomb?)");
            }
            if (depth > MAX_DEPTH) {
                throw new InputException(locate(file, node.getStartMark()),
                        "nested more than " + MAX_DEPTH + " levels deep");
            }
            Location location = locate(file, node.getStartMark());
            if (node instanceof ScalarNode scalar) {
                return new YamlScalar(scalarValue(scalar, location), scalar.getValue(), location);
            }
            if (node instanceof SequenceNode sequence) {
                List<YamlValue> items = new ArrayList<>(sequence.getValue().size());
                for (Node item : sequence.getValue()) {
                    items.add(convert(item, depth + 1));
                }
                return new YamlList(items, location);
            }
            MappingNode mapping = (MappingNode) node;
            Map<String, YamlMap.Entry> entries = new LinkedHashMap<>();
            // Merge keys first, so that the mapping's own keys override them (YAML merge semantics).
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode().getTag().equals(Tag.MERGE)) {
                    merge(tuple.getValueNode(), entries, depth);
                }
            }
            Map<String, Location> ownKeys = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode().getTag().equals(Tag.MERGE)) {
                    continue;
                }
                Location keyLocation = locate(file, tuple.getKeyNode().getStartMark());
                String key = keyText(tuple.getKeyNode(), keyLocation);
                Location previous = ownKeys.put(key, keyLocation);
                if (previous != null) {
                    String message = "duplicate key `" + key + "` (first at line " + previous.line() + ")";
                    if (!lenient) {
                        throw new InputException(keyLocation, message + "; remove one of them");
                    }
                    warnings.accept(keyLocation + ": warning: " + message + "; the last one wins");
                }
                // A repeated or merge-overridden key keeps its first position, as in a Python dict:
                // Ansible's host order follows that position.
                entries.put(key, new YamlMap.Entry(key, keyLocation, convert(tuple.getValueNode(), depth + 1),
                        keyValue((ScalarNode) tuple.getKeyNode(), keyLocation)));
            }
            return new YamlMap(entries, location);
        }

        private void merge(Node source, Map<String, YamlMap.Entry> into, int depth) {
            if (source instanceof SequenceNode sequence) {
                // Earlier mappings in a merge list win over later ones.
                List<Node> items = new ArrayList<>(sequence.getValue());
                java.util.Collections.reverse(items);
                for (Node item : items) {
                    merge(item, into, depth);
                }
                return;
            }
            YamlValue merged = convert(source, depth + 1);
            if (!(merged instanceof YamlMap map)) {
                throw new InputException(merged.location(), "`<<` (merge key) needs a mapping, found " + merged.kind());
            }
            into.putAll(map.entries());
        }

        private Object keyValue(ScalarNode key, Location location) {
            return scalarValue(key, location);
        }

        private String keyText(Node key, Location location) {
            if (!(key instanceof ScalarNode scalar)) {
                throw new InputException(location, "a key must be a single value, not a list or mapping");
            }
            return scalar.getValue();
        }

        private Object scalarValue(ScalarNode node, Location location) {
            String tag = node.getTag().getValue();
            if (tag.equals("!vault")) {
                throw new InputException(location, "an Ansible Vault value (`!vault`) is not supported here: cutover"
                        + " does not decrypt vault. Use the plain value in a vars file only you can read (chmod 600,"
                        + " e.g. -e @secrets.yml or host_vars/), or for the sudo password -K / CUTOVER_BECOME_PASSWORD");
            }
            if (tag.equals("!unsafe")) {
                return node.getValue(); // Ansible's "never template this": a plain string here, cutover does not template it
            }
            Object value;
            try {
                value = constructor.scalar(node);
            } catch (YAMLException e) {
                throw new InputException(location, "bad value `" + node.getValue() + "`: " + oneLine(e.getMessage()));
            } catch (IllegalArgumentException e) {
                // an explicit tag the text does not fit (`!!int refresh`): snakeyaml's NumberFormatException
                throw new InputException(location, "`" + node.getValue() + "` is not a valid " + node.getTag().getValue()
                        .replace(Tag.PREFIX, "!!") + " (remove the tag or fix the value)");
            }
            if (value instanceof Date || value instanceof byte[]) {
                return node.getValue(); // timestamps and binary stay as written
            }
            return value;
        }
    }
}
