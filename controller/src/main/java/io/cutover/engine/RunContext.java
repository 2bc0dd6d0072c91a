package io.cutover.engine;

import io.cutover.helper.Helper;
import io.cutover.helper.HelperHome;
import io.cutover.helper.HelperScript;
import io.cutover.inventory.Inventory;
import io.cutover.plan.Planner;
import io.cutover.ssh.SshConnection;
import io.cutover.ssh.SshConnector;
import io.cutover.ssh.SshSettingsResolver;
import io.cutover.ssh.SshTarget;
import java.time.Duration;
import io.cutover.yaml.VarValues;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * What every host of one run shares: the run id, the planner, the inventory, the SSH connector,
 * the helper script, and the operator's interrupts. Thread-safe.
 */
public final class RunContext {

    private final String runId;
    private final Planner planner;
    private final Inventory inventory;
    private final SshSettingsResolver sshSettings;
    private final SshConnector connector;
    private final HelperScript script;
    private final HelperHome helperHome;
    private final Duration commandTimeout;
    private final boolean rollbackAll;
    private final String lockOwner;
    private final Map<String, Map<String, Object>> journaledFacts;
    private final LongSupplier guardClock;
    private final Map<String, Long> guardSeqs = new ConcurrentHashMap<>();
    private final AtomicBoolean stopStarting = new AtomicBoolean();
    private final AtomicBoolean abortNow = new AtomicBoolean();

    /**
     * @param helperHome     where the helper lives on the hosts ({@link HelperHome#DEFAULT})
     * @param journaledFacts facts recorded by an earlier attempt of this run (resume): a host is
     *                       planned from what it looked like before the run changed it
     */
    public RunContext(String runId, Planner planner, Inventory inventory, SshSettingsResolver sshSettings,
            SshConnector connector, HelperScript script, HelperHome helperHome, Duration commandTimeout,
            boolean rollbackAll, Map<String, Map<String, Object>> journaledFacts) {
        this(runId, planner, inventory, sshSettings, connector, script, helperHome, commandTimeout, rollbackAll,
                journaledFacts, System::nanoTime);
    }

    /**
     * @param guardClock what tells the controller when a guard's window is a quarter gone and due
     *                   for renewal, in nanoseconds as {@link System#nanoTime} counts them (a test
     *                   whose hosts keep a clock of their own hands in the same clock here)
     */
    RunContext(String runId, Planner planner, Inventory inventory, SshSettingsResolver sshSettings,
            SshConnector connector, HelperScript script, HelperHome helperHome, Duration commandTimeout,
            boolean rollbackAll, Map<String, Map<String, Object>> journaledFacts, LongSupplier guardClock) {
        this.runId = Objects.requireNonNull(runId);
        this.planner = planner;
        this.inventory = inventory;
        this.sshSettings = sshSettings;
        this.connector = connector;
        this.script = script;
        this.helperHome = Objects.requireNonNull(helperHome);
        this.commandTimeout = commandTimeout;
        this.rollbackAll = rollbackAll;
        this.journaledFacts = Map.copyOf(journaledFacts);
        this.guardClock = Objects.requireNonNull(guardClock);
        this.lockOwner = "ctl=" + localHostName() + " pid=" + ProcessHandle.current().pid() + " run=" + runId;
    }

    String runId() {
        return runId;
    }

    Planner planner() {
        return planner;
    }

    VarValues inventoryVars(String host) {
        return inventory.hostVars(host).varValues();
    }

    SshConnection connect(String host) {
        SshTarget target = sshSettings.resolve(inventory.connection(host).sshHost());
        return connector.connect(target);
    }

    HelperScript script() {
        return script;
    }

    /** The helper on the host at the other end of {@code connection}. */
    Helper helper(SshConnection connection) {
        return new Helper(connection, script, commandTimeout, helperHome);
    }

    Duration commandTimeout() {
        return commandTimeout;
    }

    boolean rollbackAll() {
        return rollbackAll;
    }

    String lockOwner() {
        return lockOwner;
    }

    Map<String, Object> journaledFacts(String host) {
        return journaledFacts.get(host);
    }

    /** True when an earlier attempt of this run reached the host: resume reconciles it first. */
    boolean attemptedBefore(String host) {
        return journaledFacts.containsKey(host);
    }

    /** Now, on the clock the guard's renewals are timed by (nanoseconds, only differences mean anything). */
    long guardNanos() {
        return guardClock.getAsLong();
    }

    void guardSeq(String host, long seq) {
        guardSeqs.put(host, seq);
    }

    long guardSeq(String host) {
        return guardSeqs.getOrDefault(host, 0L);
    }

    /** First interrupt: start no new host; running hosts finish or roll back. */
    public void stopStarting() {
        stopStarting.set(true);
    }

    /** Second interrupt: hosts inside their work roll back now. */
    public void abortNow() {
        stopStarting.set(true);
        abortNow.set(true);
    }

    boolean stopping() {
        return stopStarting.get();
    }

    boolean abortRequested() {
        return abortNow.get();
    }

    private static String localHostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown";
        }
    }
}
