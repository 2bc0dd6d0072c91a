package io.cutover.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The subset of an OpenSSH client config ({@code ~/.ssh/config}) cutover honours: {@code Host} blocks
 * with {@code *}, {@code ?} and {@code !} patterns, and for a host the first value obtained for each
 * keyword wins, as in ssh(1) — except {@code IdentityFile}, which accumulates. {@code Match} blocks
 * and {@code Include} are not evaluated; they are reported in {@link #warnings()}.
 */
public final class OpenSshConfig {
    private final List<Block> blocks;
    private final List<String> warnings;

    private record Block(List<String> patterns, List<Option> options) {
    }

    private record Option(String keyword, String value, int line) {
    }

    /** What the config says about one host: keyword (lower case) → first value, plus all identity files. */
    public record HostConfig(Map<String, String> values, List<String> identityFiles) {
        public HostConfig {
            values = Map.copyOf(values);
            identityFiles = List.copyOf(identityFiles);
        }

        public String get(String keyword) {
            return values.get(keyword.toLowerCase(Locale.ROOT));
        }
    }

    private OpenSshConfig(List<Block> blocks, List<String> warnings) {
        this.blocks = List.copyOf(blocks);
        this.warnings = List.copyOf(warnings);
    }

    /** A config with no entries, for when there is no file. */
    public static OpenSshConfig empty() {
        return new OpenSshConfig(List.of(), List.of());
    }

    /** Reads {@code file}; a missing file is an empty config. */
    public static OpenSshConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            return empty();
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new SettingsException("ssh_config", "cannot read " + file + ": " + e.getMessage());
        }
    }

    public static OpenSshConfig parse(String text, String source) {
        List<Block> blocks = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Block current = new Block(List.of("*"), new ArrayList<>());
        blocks.add(current);
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int split = firstSeparator(line);
            String keyword = (split < 0 ? line : line.substring(0, split)).toLowerCase(Locale.ROOT);
            String rest = split < 0 ? "" : line.substring(split).replaceFirst("^[\\s]*=?[\\s]*", "");
            List<String> args = CommandLineWords.split(rest);
            if (keyword.equals("host")) {
                current = new Block(args, new ArrayList<>());
                blocks.add(current);
            } else if (keyword.equals("match")) {
                warnings.add(source + ":" + (i + 1) + ": Match blocks are not supported; their options are ignored");
                current = new Block(List.of(), new ArrayList<>());
                blocks.add(current);
            } else if (keyword.equals("include")) {
                warnings.add(source + ":" + (i + 1) + ": Include is not supported; " + rest + " is not read");
            } else if (!args.isEmpty()) {
                current.options().add(new Option(keyword, String.join(" ", args), i + 1));
            }
        }
        return new OpenSshConfig(blocks, warnings);
    }

    /** Problems met while parsing (unsupported constructs), with file and line. */
    public List<String> warnings() {
        return warnings;
    }

    /** The settings for {@code host} (the name given to ssh, before {@code HostName} is applied). */
    public HostConfig lookup(String host) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> identities = new ArrayList<>();
        for (Block block : blocks) {
            if (!matches(block.patterns(), host)) {
                continue;
            }
            for (Option option : block.options()) {
                if (option.keyword().equals("identityfile")) {
                    identities.add(option.value());
                } else {
                    values.putIfAbsent(option.keyword(), option.value());
                }
            }
        }
        return new HostConfig(values, identities);
    }

    static boolean matches(List<String> patterns, String host) {
        String name = host.toLowerCase(Locale.ROOT);
        boolean matched = false;
        for (String pattern : patterns) {
            for (String single : pattern.split(",")) {
                boolean negated = single.startsWith("!");
                String glob = (negated ? single.substring(1) : single).toLowerCase(Locale.ROOT);
                if (glob(glob, 0, name, 0)) {
                    if (negated) {
                        return false;
                    }
                    matched = true;
                }
            }
        }
        return matched;
    }

    private static boolean glob(String pattern, int p, String text, int t) {
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            if (c == '*') {
                for (int k = t; k <= text.length(); k++) {
                    if (glob(pattern, p + 1, text, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (t >= text.length() || (c != '?' && c != text.charAt(t))) {
                return false;
            }
            p++;
            t++;
        }
        return t == text.length();
    }

    private static int firstSeparator(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '=' || Character.isWhitespace(c)) {
                return i;
            }
        }
        return -1;
    }
}
