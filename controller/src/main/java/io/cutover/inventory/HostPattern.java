package io.cutover.inventory;

import io.cutover.yaml.InputException;
import io.cutover.yaml.Suggestions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An Ansible host pattern, as {@code --limit} and {@code --list-hosts} take it, evaluated exactly
 * as Ansible does: parts separated by {@code ,} (or {@code :} when there is no comma); plain parts
 * are unions, {@code &part} intersections and {@code !part} exclusions, applied in that order
 * whatever order they are written in. A part is a host or group name, a glob ({@code pgb0*}), a
 * regex ({@code ~pgb[ab]\..*}, matched from the start), optionally with a subscript
 * ({@code web[0]}, {@code web[-1]}, {@code web[0:2]}, {@code web[1:]}); {@code all} and {@code *}
 * match every host. Unlike Ansible, a part that matches nothing, and a pattern that selects no
 * host, are errors: a DNS cutover must not quietly run on fewer hosts than the operator meant.
 */
public final class HostPattern {

    private static final Pattern SPLIT_ON_COLONS = Pattern.compile("(?:[^\\s:\\[\\]]|\\[[^\\]]*\\])+");
    private static final Pattern SUBSCRIPT = Pattern.compile("^(.+)\\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\\]$",
            Pattern.DOTALL);

    private final String text;
    private final List<String> parts;

    private HostPattern(String text, List<String> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
    }

    /** Splits a pattern such as {@code web:&prod:!web3} into its parts, as Ansible does. */
    public static HostPattern parse(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        List<String> parts = split(pattern);
        if (parts.isEmpty()) {
            throw new InputException("empty host pattern; name a host or group, or use `all`");
        }
        return new HostPattern(pattern, parts);
    }

    /**
     * A {@code --limit} value: a pattern whose parts may also be {@code @FILE}, a file with one
     * pattern part per line (relative to the current directory, as in Ansible).
     */
    public static HostPattern limit(String limit) {
        Objects.requireNonNull(limit, "limit");
        List<String> parts = new ArrayList<>();
        for (String part : split(limit)) {
            if (!part.startsWith("@")) {
                parts.add(part);
                continue;
            }
            Path file = Path.of(part.substring(1));
            if (Files.isDirectory(file)) {
                throw new InputException("--limit " + part + ": a limit starting with `@` must be a file, not a directory");
            }
            try {
                for (String line : Files.readString(file, StandardCharsets.UTF_8).split("\n", -1)) {
                    if (!line.strip().isEmpty()) {
                        parts.add(line.strip());
                    }
                }
            } catch (IOException e) {
                throw new InputException("--limit " + part + ": cannot read the limit file " + file
                        + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            }
        }
        if (parts.isEmpty()) {
            throw new InputException("--limit `" + limit + "` names no host or group");
        }
        return new HostPattern(limit, parts);
    }

    public String text() {
        return text;
    }

    /** The parts, as written ({@code &} and {@code !} prefixes kept). */
    public List<String> parts() {
        return parts;
    }

    @Override
    public String toString() {
        return text;
    }

    /** The matching hosts, in Ansible's order; an error if a part or the whole matches nothing. */
    public List<String> select(Inventory inventory) {
        List<String> hosts = evaluate(inventory);
        if (hosts.isEmpty()) {
            throw new InputException("host pattern `" + text + "` selects no hosts"
                    + (parts.size() > 1 ? " (its parts matched, but the intersections and exclusions left nothing)" : "")
                    + "; check it with: cutover inventory -i ... --graph");
        }
        return hosts;
    }

    /** The hosts this pattern selects that {@code limit} also selects (Ansible's {@code --limit}). */
    public List<String> select(Inventory inventory, HostPattern limit) {
        List<String> hosts = evaluate(inventory);
        Set<String> allowed = new HashSet<>(limit.evaluate(inventory));
        hosts.removeIf(host -> !allowed.contains(host));
        if (hosts.isEmpty()) {
            throw new InputException("host pattern `" + text + "` with --limit `" + limit.text
                    + "` selects no hosts; the limit and the pattern have no host in common");
        }
        return hosts;
    }

    private List<String> evaluate(Inventory inventory) {
        List<String> regular = new ArrayList<>();
        List<String> intersections = new ArrayList<>();
        List<String> exclusions = new ArrayList<>();
        for (String part : parts) {
            if (part.startsWith("!")) {
                exclusions.add(part);
            } else if (part.startsWith("&")) {
                intersections.add(part);
            } else {
                regular.add(part);
            }
        }
        if (regular.isEmpty()) {
            regular.add(Inventory.ALL);
        }
        List<String> ordered = new ArrayList<>(regular);
        ordered.addAll(intersections);
        ordered.addAll(exclusions);

        List<String> hosts = new ArrayList<>();
        for (String part : ordered) {
            if (inventory.host(part).isPresent()) {
                hosts.add(part); // a plain host name is taken as is, before any group of that name
                continue;
            }
            List<String> that = matchOne(inventory, part);
            if (part.startsWith("!")) {
                Set<String> excluded = new HashSet<>(that);
                hosts.removeIf(excluded::contains);
            } else if (part.startsWith("&")) {
                Set<String> kept = new HashSet<>(that);
                hosts.removeIf(host -> !kept.contains(host));
            } else {
                Set<String> existing = new HashSet<>(hosts);
                for (String host : that) {
                    if (!existing.contains(host)) {
                        hosts.add(host);
                    }
                }
            }
        }
        return new ArrayList<>(new LinkedHashSet<>(hosts));
    }

    private List<String> matchOne(Inventory inventory, String part) {
        String pattern = part.startsWith("!") || part.startsWith("&") ? part.substring(1) : part;
        if (pattern.isEmpty()) {
            throw new InputException("host pattern `" + text + "`: `" + part + "` names nothing after `"
                    + part + "`; write e.g. `" + part + "web`");
        }
        String expression = pattern;
        Integer start = null;
        Integer end = null;
        boolean single = false;
        if (!pattern.startsWith("~")) {
            Matcher m = SUBSCRIPT.matcher(pattern);
            if (m.matches()) {
                expression = m.group(1);
                if (m.group(2) != null) {
                    start = parseIndex(m.group(2), part);
                    single = true;
                } else {
                    start = parseIndex(m.group(3), part);
                    end = m.group(5).isEmpty() ? -1 : parseIndex(m.group(5), part);
                }
            }
        }
        List<String> hosts = enumerate(inventory, expression, part);
        if (start == null || hosts.isEmpty()) {
            return hosts;
        }
        if (!single && end != 0) {
            int last = end == -1 ? hosts.size() - 1 : end;
            int from = Math.min(start, hosts.size());
            int to = Math.max(from, Math.min(last + 1, hosts.size()));
            return new ArrayList<>(hosts.subList(from, to));
        }
        int index = start < 0 ? hosts.size() + start : start;
        if (index < 0 || index >= hosts.size()) {
            throw new InputException("host pattern `" + text + "`: `" + part + "` is out of range; `" + expression
                    + "` matches " + hosts.size() + " host" + (hosts.size() == 1 ? "" : "s")
                    + " (indexes 0 to " + (hosts.size() - 1) + ", or -1 for the last)");
        }
        return new ArrayList<>(List.of(hosts.get(index)));
    }

    private int parseIndex(String digits, String part) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new InputException("host pattern `" + text + "`: the subscript in `" + part + "` is too large");
        }
    }

    /** Groups matching the expression contribute all their hosts; hosts are matched by name too. */
    private List<String> enumerate(Inventory inventory, String expression, String part) {
        Pattern compiled = compile(expression, part);
        boolean regex = expression.startsWith("~");
        List<String> results = new ArrayList<>();
        boolean anyGroup = false;
        for (Group group : inventory.groups()) {
            if (matches(compiled, regex, group.name())) {
                anyGroup = true;
                results.addAll(inventory.hostsIn(group.name()));
            }
        }
        if (!anyGroup || regex || expression.contains(".") || expression.contains("?")
                || expression.contains("*") || expression.contains("[")) {
            for (Host host : inventory.hosts()) {
                if (matches(compiled, regex, host.name())) {
                    results.add(host.name());
                }
            }
        }
        if (results.isEmpty() && !anyGroup && !expression.equals(Inventory.ALL)) {
            List<String> names = new ArrayList<>();
            inventory.groups().forEach(g -> names.add(g.name()));
            inventory.hosts().forEach(h -> names.add(h.name()));
            String hint = regex ? "" : Suggestions.didYouMean(expression, names);
            throw new InputException("host pattern `" + text + "`: `" + part + "` matches no host or group"
                    + hint + "; list them with: cutover inventory -i ... --graph");
        }
        return results;
    }

    private Pattern compile(String expression, String part) {
        if (!expression.startsWith("~")) {
            return Glob.compile(expression);
        }
        String regex = expression.substring(1)
                .replace("(?P<", "(?<")
                .replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>");
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new InputException("host pattern `" + text + "`: `" + part + "` is not a valid regular expression: "
                    + e.getDescription());
        }
    }

    private static boolean matches(Pattern pattern, boolean regex, String name) {
        Matcher m = pattern.matcher(name);
        return regex ? m.lookingAt() : m.matches();
    }

    static List<String> split(String pattern) {
        List<String> raw = new ArrayList<>();
        if (pattern.indexOf(',') >= 0) {
            raw.addAll(List.of(pattern.split(",", -1)));
        } else if (HostAddress.parse(pattern).isPresent()) {
            raw.add(pattern);
        } else {
            Matcher m = SPLIT_ON_COLONS.matcher(pattern);
            while (m.find()) {
                raw.add(m.group());
            }
        }
        List<String> parts = new ArrayList<>();
        for (String part : raw) {
            if (!part.strip().isEmpty()) {
                parts.add(part.strip());
            }
        }
        return parts;
    }
}
