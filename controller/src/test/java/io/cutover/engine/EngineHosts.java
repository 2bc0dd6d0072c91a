package io.cutover.engine;

import io.cutover.helper.HelperHome;
import io.cutover.helper.HelperScript;
import io.cutover.inventory.Inventory;
import io.cutover.inventory.InventoryLoader;
import io.cutover.journal.Events;
import io.cutover.journal.Journal;
import io.cutover.journal.JournalEvent;
import io.cutover.journal.JournalReader;
import io.cutover.journal.Record;
import io.cutover.plan.Planner;
import io.cutover.playbook.Playbook;
import io.cutover.playbook.PlaybookLoader;
import io.cutover.render.Renderer;
import io.cutover.ssh.OpenSshConfig;
import io.cutover.ssh.PassphraseSource;
import io.cutover.ssh.SshConnector;
import io.cutover.ssh.SshServerExtension;
import io.cutover.ssh.SshSettingsResolver;
import io.cutover.yaml.VarValues;
import io.cutover.yaml.YamlLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The set-up every engine test shares: hosts that run the real helper behind in-process SSH
 * servers ({@link HelperHost}), a playbook folder with its template, the run's inventory, and
 * the run's journal. Register with {@code @RegisterExtension}; everything is gone after each test.
 * The run layer's tests use its parts ({@link #inventory}, {@link #resolver}, {@link #home}).
 * Nothing is shared between tests: their classes run concurrently ({@code @Execution(CONCURRENT)}).
 */
public final class EngineHosts implements BeforeEachCallback, AfterEachCallback {

    /** What every playbook's file-install steps write: {@code template: test.conf.ftl}. */
    public static final String INSTALLED = "after\n";

    private final Map<String, HelperHost> hosts = new LinkedHashMap<>();
    private ExtensionContext context;
    private Path dir;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        this.context = context;
        dir = Files.createTempDirectory("cutover-engine-test");
        Files.createDirectories(dir.resolve("playbook/templates"));
        Files.writeString(dir.resolve("playbook/templates/test.conf.ftl"), INSTALLED);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        for (HelperHost host : hosts.values()) {
            host.stop();
        }
        hosts.clear();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The host {@code name}, made on first use; the run's inventory has every host made so far. */
    public HelperHost host(String name) throws IOException {
        HelperHost host = hosts.get(name);
        if (host == null) {
            host = new HelperHost(name, dir.resolve("hosts").resolve(name), context);
            hosts.put(name, host);
        }
        return host;
    }

    public HelperHost web1() throws IOException {
        return host("web1");
    }

    /**
     * A playbook {@code name}.yml of these steps ({@link #install}, {@link #lookup}, {@link #guarded}),
     * with {@code rollback: block}, in the playbook folder (its template: {@code test.conf.ftl}).
     */
    public Path playbook(String name, String... steps) throws IOException {
        return Files.writeString(dir.resolve("playbook").resolve(name + ".yml"),
                "name: " + name + "\nrollout:\n  rollback: block\nsteps:\n" + String.join("", steps));
    }

    /** A step that installs the template at {@code path}: it fails where the path's directory is missing. */
    public static String install(String name, String path) {
        return "  - name: " + name + "\n    action: file-install\n    args:\n      path: " + path
                + "\n      template: test.conf.ftl\n";
    }

    /** A step that looks {@code qname} up through the host's getent (a fake one: {@link HelperHost#fakeTool}). */
    static String lookup(String name, String qname, String timeout) {
        return "  - name: " + name + "\n    action: trigger\n    args:\n      via: getent\n      name: " + qname
                + "\n      timeout: " + timeout + "\n";
    }

    /** The guarded block of these steps, under a guard of {@code deadline}. */
    static String guarded(String deadline, String... steps) {
        return "  - name: guarded\n    guard:\n      deadline: " + deadline + "\n    block:\n"
                + String.join("", steps).replaceAll("(?m)^(?=.)", "    ");
    }

    /** A run of {@code playbook} on the hosts made so far, as apply starts it. */
    RunContext run(String runId, Path playbook) throws IOException {
        return run(runId, playbook, Map.of());
    }

    /** A run of {@code playbook}, as resume reopens it: {@code journaledFacts} are what the first attempt recorded. */
    RunContext run(String runId, Path playbook, Map<String, Map<String, Object>> journaledFacts) throws IOException {
        return run(runId, playbook, journaledFacts, System::nanoTime);
    }

    /** A run of {@code playbook} whose guard renewals are timed by {@code guardClock} (nanoseconds), not the machine's. */
    RunContext run(String runId, Path playbook, LongSupplier guardClock) throws IOException {
        return run(runId, playbook, Map.of(), guardClock);
    }

    private RunContext run(String runId, Path playbook, Map<String, Map<String, Object>> journaledFacts,
            LongSupplier guardClock) throws IOException {
        Playbook loaded = load(playbook);
        return new RunContext(runId, planner(loaded), inventory(), resolver(), new SshConnector(PassphraseSource.none()),
                HelperScript.bundled(), home(), Duration.ofSeconds(30), loaded.rollout().rollbackAll(), journaledFacts,
                guardClock);
    }

    /** The inventory of the hosts made so far. */
    public Inventory inventory() throws IOException {
        StringBuilder entries = new StringBuilder("all:\n  hosts:\n");
        hosts.values().forEach(h -> entries.append(h.inventoryEntry()));
        return new InventoryLoader().load(List.of(Files.writeString(dir.resolve("inventory.yml"), entries)));
    }

    public static Playbook load(Path playbook) {
        return new PlaybookLoader(new YamlLoader()).load(playbook);
    }

    public static Planner planner(Playbook playbook) {
        return new Planner(playbook, new Renderer(playbook.templateDir()), VarValues.NONE);
    }

    /** SSH settings as the inventory gives them, nothing from an ssh_config. */
    public SshSettingsResolver resolver() {
        return new SshSettingsResolver(OpenSshConfig.empty(), SshSettingsResolver.Defaults.of(SshServerExtension.USER, dir), warning -> { });
    }

    /** One bin directory for every host (the helper is the same file); each host's state is its own. */
    public HelperHome home() {
        return new HelperHome(dir.resolve("bin").toString(), null);
    }

    /** Runs {@code run} on web1 alone to its end. */
    HostOutcome apply(RunContext run) {
        return apply(run, new Engine.Settings(1, 0), List.of(List.of("web1")), event -> { }).outcomes().get(0);
    }

    /** Runs {@code run} batch after batch, each record in this fixture's journal, each event to {@code sink}. */
    Engine.Result apply(RunContext run, Engine.Settings settings, List<List<String>> batches, EventSink sink) {
        boolean first = records().isEmpty();
        try (Journal journal = Journal.open(journal(), Clock.systemUTC())) {
            if (first) {
                List<String> all = batches.stream().flatMap(List::stream).toList();
                journal.append(Events.runStart(run.runId(), "p.yml", all.toArray(String[]::new)));
            }
            return new Engine(run, journal, sink, settings).run(batches, Set.of());
        }
    }

    /** {@code cutover rollback} of {@code run} on {@code hosts}, journaled as the run's other records. */
    List<HostOutcome> rollback(RunContext run, List<String> hosts) {
        try (Journal journal = Journal.open(journal(), Clock.systemUTC())) {
            return new Rollback(run, journal, event -> { }, 1).run(hosts);
        }
    }

    public Path journal() {
        return dir.resolve("journal.jsonl");
    }

    public List<Record> records() {
        return Files.exists(journal()) ? JournalReader.read(journal()) : List.of();
    }

    /** The journal's events of {@code kind}. */
    public <E extends JournalEvent> List<E> events(Class<E> kind) {
        List<E> found = new ArrayList<>();
        for (Record record : records()) {
            if (kind.isInstance(record.event())) {
                found.add(kind.cast(record.event()));
            }
        }
        return found;
    }
}
