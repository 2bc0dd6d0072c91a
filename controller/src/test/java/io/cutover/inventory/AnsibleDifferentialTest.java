package io.cutover.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.yaml.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every inventory in {@code src/test/resources/inventory/corpus} against ansible-core: the same
 * groups, memberships and hostvars as {@code ansible-inventory --list}, the same tree as
 * {@code --graph --vars}, and the same hosts as {@code ansible PATTERN --list-hosts} for a list of
 * patterns (generated from the inventory, plus {@code CASE.patterns}).
 *
 * <p>Deliberate differences, checked rather than skipped: where Ansible would only warn that a
 * pattern part matches nothing, cutover refuses (the oracle runs with
 * ANSIBLE_HOST_PATTERN_MISMATCH=error so both refuse); a group's hosts are listed breadth first
 * in inventory order, which is Ansible's order except where Ansible's own is not deterministic
 * (two groups on one level of the tree both having children): there host sets are compared.
 */
class AnsibleDifferentialTest {

    static final Path CORPUS = Path.of("src/test/resources/inventory/corpus");
    /** Inventories Ansible accepts with warnings: strict cutover must refuse each, --lenient must match Ansible. */
    static final Path LENIENT_CORPUS = Path.of("src/test/resources/inventory/corpus-lenient");

    @TempDir
    static Path work;

    static AnsibleOracle oracle;
    static ExecutorService pool;

    @BeforeAll
    static void startOracle() {
        oracle = AnsibleOracle.findOrSkip(work);
        pool = Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors() * 2));
    }

    @AfterAll
    static void stopPool() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** {@code oracleSources}: what Ansible gets instead, where it cannot read the source itself. */
    record Case(String name, List<Path> sources, List<Path> oracleSources, List<String> extraPatterns,
            boolean lenient) {
    }

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>(cases(CORPUS, false));
        cases.addAll(cases(LENIENT_CORPUS, true));
        return cases;
    }

    /**
     * One case per corpus entry: a file, or a directory (its {@code inventory*} files as sources,
     * else the directory itself). {@code NAME.sources} lists the -i arguments instead, one a line,
     * relative to the corpus; a line with a comma that is no file is a host list; a
     * {@code NAME.sources} with no entry beside it is a case of its own. {@code NAME.patterns} adds
     * host patterns.
     */
    static List<Case> cases(Path corpus, boolean lenient) throws IOException {
        Set<String> names = new java.util.TreeSet<>();
        try (Stream<Path> entries = Files.list(corpus)) {
            entries.forEach(entry -> names.add(entry.getFileName().toString().replaceFirst("\\.sources$", "")));
        }
        List<Case> cases = new ArrayList<>();
        for (String name : names) {
            if (name.endsWith(".patterns")) {
                continue;
            }
            Path entry = corpus.resolve(name);
            Path listed = corpus.resolve(name + ".sources");
            List<Path> sources;
            if (Files.exists(listed)) {
                sources = Files.readAllLines(listed).stream().filter(l -> !l.isBlank() && !l.startsWith("#"))
                        .map(l -> l.contains(",") && !Files.exists(corpus.resolve(l)) ? Path.of(l)
                                : corpus.resolve(l).toAbsolutePath().normalize())
                        .toList();
            } else if (Files.isDirectory(entry)) {
                try (Stream<Path> files = Files.list(entry)) {
                    sources = files.filter(p -> p.getFileName().toString().startsWith("inventory")).sorted()
                            .map(p -> p.toAbsolutePath().normalize()).toList();
                }
                if (sources.isEmpty()) {
                    sources = List.of(entry.toAbsolutePath().normalize());
                }
            } else {
                sources = List.of(entry.toAbsolutePath().normalize());
            }
            Path patterns = corpus.resolve(name + ".patterns");
            List<String> extra = Files.exists(patterns)
                    ? Files.readAllLines(patterns).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList()
                    : List.of();
            cases.add(new Case((lenient ? "lenient/" : "") + name, sources, oracleSources(name, sources), extra,
                    lenient));
        }
        return cases;
    }

    /**
     * Ansible reads a saved `ansible-inventory --list` JSON only through a script that prints it
     * (its yaml plugin refuses `_meta`); cutover reads the file itself. Those cases end in
     * {@code .listing.json}.
     */
    private static List<Path> oracleSources(String name, List<Path> sources) throws IOException {
        if (!name.endsWith(".listing.json")) {
            return sources;
        }
        Path script = work.resolve(name + ".sh");
        Files.writeString(script, "#!/bin/sh\n[ \"$1\" = --list ] && exec cat '" + sources.get(0) + "'\necho '{}'\n");
        script.toFile().setExecutable(true);
        return List.of(script);
    }

    @TestFactory
    Stream<DynamicTest> corpusBehavesAsAnsible() throws IOException {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(25);
        Map<Case, Inventory> inventories = new LinkedHashMap<>();
        Map<Case, List<Map<String, String>>> queries = new HashMap<>();
        List<AnsibleOracle.Job> jobs = new ArrayList<>();
        for (Case c : cases) {
            Inventory inventory = new InventoryLoader(c.lenient(), warning -> { }).load(c.sources());
            inventories.put(c, inventory);
            queries.put(c, queries(c, inventory));
            jobs.add(AnsibleOracle.Job.inventoryCli(c.oracleSources(), "--list"));
            jobs.add(AnsibleOracle.Job.inventoryCli(c.oracleSources(), "--graph", "all", "--vars"));
            jobs.add(AnsibleOracle.Job.patterns(c.oracleSources(), queries.get(c)));
            jobs.add(AnsibleOracle.Job.ansibleCli(c.oracleSources(), "all", "--list-hosts"));
        }
        List<AnsibleOracle.Output> outputs = runInParallel(jobs);
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("the batch runner prints what the ansible-inventory process prints", () -> {
            Case first = cases.get(0);
            assertThat(oracle.process(first.oracleSources(), "--list").json()).isEqualTo(outputs.get(0).json());
        }));
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Inventory inventory = inventories.get(c);
            AnsibleOracle.Output list = outputs.get(4 * i);
            AnsibleOracle.Output graph = outputs.get(4 * i + 1);
            AnsibleOracle.Output patterns = outputs.get(4 * i + 2);
            AnsibleOracle.Output cliAll = outputs.get(4 * i + 3);
            if (c.lenient()) {
                tests.add(DynamicTest.dynamicTest(c.name() + ": refused without --lenient", () ->
                        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new InventoryLoader().load(c.sources()))
                                .isInstanceOf(InputException.class)));
            }
            tests.add(DynamicTest.dynamicTest(c.name() + ": --list (groups, hosts, hostvars)", () ->
                    assertThat(AnsibleOracle.JSON.readTree(AnsibleListing.json(AnsibleListing.list(inventory))))
                            .isEqualTo(list.json())));
            tests.add(DynamicTest.dynamicTest(c.name() + ": --graph --vars", () ->
                    assertThat(AnsibleListing.graph(inventory, "all", true)).isEqualTo(graph.ok().strip())));
            tests.add(DynamicTest.dynamicTest(c.name() + ": host patterns", () ->
                    comparePatterns(inventory, queries.get(c), patterns.json(), hostsListed(cliAll.ok()))));
        }
        return tests.stream();
    }

    /** Splits the jobs over a few oracle processes (each imports ansible once). */
    private static List<AnsibleOracle.Output> runInParallel(List<AnsibleOracle.Job> jobs) {
        int chunks = Math.max(2, Runtime.getRuntime().availableProcessors());
        int size = (jobs.size() + chunks - 1) / chunks;
        List<CompletableFuture<List<AnsibleOracle.Output>>> futures = new ArrayList<>();
        for (int from = 0; from < jobs.size(); from += size) {
            List<AnsibleOracle.Job> chunk = jobs.subList(from, Math.min(jobs.size(), from + size));
            futures.add(CompletableFuture.supplyAsync(() -> oracle.run(chunk), pool));
        }
        List<AnsibleOracle.Output> outputs = new ArrayList<>();
        futures.forEach(f -> outputs.addAll(f.join()));
        return outputs;
    }

    /** The host lines of `ansible PATTERN --list-hosts`. */
    private static List<String> hostsListed(String out) {
        List<String> hosts = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("    ")) {
                hosts.add(line.strip());
            }
        }
        return hosts;
    }

    private static void comparePatterns(Inventory inventory, List<Map<String, String>> queries, JsonNode answers,
            List<String> cliAll) {
        boolean deterministic = !orderAmbiguous(inventory);
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            String pattern = queries.get(i).get("pattern");
            String limit = queries.get(i).get("limit");
            JsonNode answer = answers.get(i);
            if (!deterministic && (subscripted(pattern) || subscripted(limit))) {
                continue; // which hosts a subscript picks depends on Ansible's unstable order here
            }
            String ours;
            List<String> selected = null;
            try {
                selected = limit == null ? HostPattern.parse(pattern).select(inventory)
                        : HostPattern.parse(pattern).select(inventory, HostPattern.limit(limit));
                ours = String.join(" ", selected);
            } catch (InputException refused) {
                ours = "error: " + refused.getMessage();
            }
            String theirs;
            if (answer.has("error")) {
                theirs = "error: " + answer.get("error").asText();
                if (selected == null) {
                    continue;
                }
            } else {
                List<String> hosts = new ArrayList<>();
                answer.get("hosts").forEach(h -> hosts.add(h.asText()));
                theirs = String.join(" ", hosts);
                if (selected != null && (deterministic ? selected.equals(hosts)
                        : new HashSet<>(selected).equals(new HashSet<>(hosts)) && selected.size() == hosts.size())) {
                    continue;
                }
            }
            mismatches.add("pattern `" + pattern + "`" + (limit == null ? "" : " --limit `" + limit + "`")
                    + "\n    ansible: " + theirs + "\n    cutover: " + ours);
        }
        // cutover refuses a pattern that selects nothing; `ansible all --list-hosts` lists no host
        List<String> all = inventory.hosts().isEmpty() ? List.of() : HostPattern.parse("all").select(inventory);
        if (deterministic ? !all.equals(cliAll) : !new HashSet<>(all).equals(new HashSet<>(cliAll))) {
            mismatches.add("`ansible all --list-hosts` (the CLI itself)\n    ansible: " + cliAll + "\n    cutover: " + all);
        }
        assertThat(mismatches).as("patterns where cutover and Ansible disagree").isEmpty();
    }

    private static boolean subscripted(String pattern) {
        return pattern != null && !pattern.startsWith("~") && pattern.contains("[");
    }

    /** Patterns that exercise every feature on this inventory's own names. */
    static List<Map<String, String>> queries(Case c, Inventory inventory) {
        Set<String> patterns = new LinkedHashSet<>(List.of("all", "*", "ungrouped", "all:!ungrouped", "&all",
                "nosuchgroup", "all:nosuchgroup", "~.*", "~^[a-m]", "*[0]", "all[-1]", "all[1:]", "all[0:0]", "all[99]"));
        List<String> groups = inventory.groups().stream().map(Group::name).filter(g -> !g.equals("all")
                && !g.equals("ungrouped")).toList();
        List<String> hosts = inventory.hosts().stream().map(Host::name).toList();
        for (String g : groups.subList(0, Math.min(8, groups.size()))) {
            patterns.add(g);
            patterns.add(g + "[0]");
            patterns.add(g + "[-1]");
            patterns.add(g + "[0:1]");
            patterns.add(g + "[1:]");
            patterns.add("!" + g);
            patterns.add(g.substring(0, Math.max(1, g.length() - 1)) + "*");
        }
        for (int i = 0; i + 1 < Math.min(6, groups.size()); i++) {
            String a = groups.get(i);
            String b = groups.get(i + 1);
            patterns.addAll(List.of(a + ":" + b, b + "," + a, a + ":&" + b, a + ":!" + b, "!" + a + ":" + b,
                    a + ",&" + b + ",!" + hostOf(inventory, b), a + " , " + b));
        }
        for (String h : hosts.subList(0, Math.min(4, hosts.size()))) {
            patterns.add(h);
            patterns.add(h + ":!" + h);
            patterns.add(h.substring(0, Math.max(1, h.length() / 2)) + "*");
            patterns.add("~" + java.util.regex.Pattern.quote(h.substring(0, 1)).replace("\\Q", "").replace("\\E", ""));
        }
        patterns.addAll(c.extraPatterns());
        List<Map<String, String>> queries = new ArrayList<>();
        for (String p : patterns) {
            if (!p.isBlank() && !Set.of("localhost", "127.0.0.1", "::1").contains(p)) {
                Map<String, String> q = new HashMap<>();
                q.put("pattern", p);
                queries.add(q);
            }
        }
        if (!groups.isEmpty()) {
            Map<String, String> q = new HashMap<>();
            q.put("pattern", "all");
            q.put("limit", groups.get(0) + ":!" + hostOf(inventory, groups.get(0)));
            queries.add(q);
            Map<String, String> r = new HashMap<>();
            r.put("pattern", groups.get(groups.size() - 1));
            r.put("limit", "all[0:2]");
            queries.add(r);
        }
        return queries;
    }

    private static String hostOf(Inventory inventory, String group) {
        List<String> hosts = inventory.hostsIn(group);
        return hosts.isEmpty() ? "nohost" : hosts.get(hosts.size() - 1);
    }

    /**
     * True when Ansible's own host order for some group is not deterministic: its walk down the
     * tree iterates a set of groups, so when two groups on one level both have children, the
     * order of their children's hosts changes from run to run.
     */
    static boolean orderAmbiguous(Inventory inventory) {
        for (Group group : inventory.groups()) {
            List<String> level = new ArrayList<>();
            level.add(group.name());
            level.addAll(group.children());
            Set<String> seen = new HashSet<>(level);
            while (!level.isEmpty()) {
                int withChildren = 0;
                List<String> next = new ArrayList<>();
                for (String g : level) {
                    List<String> kids = inventory.group(g).orElseThrow().children().stream()
                            .filter(k -> !seen.contains(k)).toList();
                    if (!kids.isEmpty()) {
                        withChildren++;
                    }
                    for (String k : kids) {
                        if (seen.add(k)) {
                            next.add(k);
                        }
                    }
                }
                if (withChildren > 1) {
                    return true;
                }
                level = next;
            }
        }
        return false;
    }
}
