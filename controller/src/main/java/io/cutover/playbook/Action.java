package io.cutover.playbook;

import static io.cutover.playbook.ArgSpec.choice;
import static io.cutover.playbook.ArgSpec.optional;
import static io.cutover.playbook.ArgSpec.required;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fixed catalogue of what a step can do (DESIGN.md §4). Each action is one subcommand of the
 * remote helper; every mutating action has an undo that the helper records on the host, so that
 * a run can be reverted there even without the controller.
 */
public enum Action {
    PREFLIGHT("preflight", "Check from facts that the host can be done safely; refuse it otherwise.", null,
            optional("require", ValueType.PROCESS_LIST, List.of(), "tools that must be present, e.g. [named, rndc, gdb, tcpdump]")),
    FILE_INSTALL("file-install", "Install a file rendered from a template (backup kept; written in place).",
            "restore the previous content from the backup (remove the file if it did not exist)",
            required("path", ValueType.ABSOLUTE_PATH, "where the file goes on the host"),
            required("template", ValueType.STRING, "FreeMarker template, relative to the playbook's templates/ directory"),
            optional("mode", ValueType.FILE_MODE, null, "octal mode such as \"0644\"; default: keep the current one")),
    RESOLV_INSTALL("resolv-install", "Point resolv.conf at the template's nameservers through the file's owner (none, "
            + "dhclient, resolvconf, NetworkManager, systemd-resolved), so that the owner's next rewrite keeps them.",
            "restore resolv.conf byte for byte (a replaced symlink as that symlink), remove or restore the owner's "
                    + "configuration, and reload the owner",
            required("template", ValueType.STRING, "FreeMarker template for the new resolv.conf"),
            optional("path", ValueType.ABSOLUTE_PATH, "/etc/resolv.conf", "the resolv.conf to replace")),
    BIND_CHECK("bind-check", "Check BIND's configuration with named-checkconf.", null),
    BIND_INSTALL("bind-install", "Install BIND with the host's package manager (apt) where it is missing; nothing where it is there.",
            "purge exactly the packages the install added (nothing when BIND was there)",
            optional("package", ValueType.NAME, "bind9", "the package that installs BIND")),
    BIND_START("bind-start", "Start named unless it runs (under systemd: enable and start its unit, supervised), "
            + "then prove it answers on 127.0.0.1.",
            "under systemd: return the unit to its previous enabled/active state (and remove cutover's restart drop-in); "
                    + "without a service manager: stop named if this run started it",
            optional("verify_name", ValueType.DNS_NAME, null, "a name the new resolver must answer for")),
    BIND_RELOAD("bind-reload", "Reload BIND (rndc reload) and prove it answers on 127.0.0.1.",
            "reload again once the previous configuration is restored",
            optional("verify_name", ValueType.DNS_NAME, null, "a name the reloaded resolver must answer for")),
    REFRESH("refresh", "Make running processes re-read their resolver configuration, without a restart.",
            "refresh the processes again once resolv.conf is restored (back to the old servers)",
            required("processes", ValueType.PROCESS_LIST, "process names or pidfiles to refresh"),
            choice("method", "auto", "how: auto picks it from each process's resolver library (facts)", "auto", "none",
                    "go-wait", "gdb-res-init", "gdb-cares", "pgbouncer-online-restart", "proxy-reload", "proxy-resolver",
                    "signal-HUP", "signal-USR1", "signal-USR2", "gdb-cares-break", "gdb-evdns"),
            optional("unproved", ValueType.PROCESS_LIST, List.of(), "targets accepted without a trigger that proves them "
                    + "(a daemon nothing can make resolve on demand); the proof says they were not proved"),
            optional("find_url", ValueType.STRING, null, "for gdb-cares-break (c-ares in a process whose memory layout cutover does "
                    + "not know): the daemon's URL that makes it resolve a name, {name} where the name goes (as a trigger via http's "
                    + "url); the refresh GETs it while a breakpoint of at most 2 s catches the c-ares channel")),
    FW_BAN("fw-ban", "Reject DNS traffic (port 53, UDP and TCP) to the given servers, in cutover's own chain.",
            "remove exactly the rules this step added",
            required("addresses", ValueType.IP_LIST, "the DNS servers to ban")),
    FW_UNBAN("fw-unban", "Remove the DNS ban cutover added (nothing else).",
            "nothing: it only restores the firewall as it was before fw-ban"),
    CAPTURE_START("capture-start", "Start tcpdump on port 53 (loopback and all interfaces), ready before it returns.",
            "stop the capture"),
    TRIGGER("trigger", "Make the target process resolve a fresh, never-cached name.", null,
            choice("via", "pgbouncer", "pgbouncer: connect to its probe database; getent: look `name` up through libc; "
                    + "http: GET `url`, on which the daemon resolves `name` its own way; "
                    + "reload: a graceful reload of the nginx/HAProxy master in `pidfile` (it resolves its upstream names again)",
                    "pgbouncer", "getent", "http", "reload"),
            optional("name", ValueType.DNS_NAME, null, "for via getent or http: a name never asked before (default: one with the run id "
                    + "in it); for via reload: the upstream name to prove (default: the first in its configuration)"),
            optional("url", ValueType.STRING, null, "for via http: the daemon's URL that makes it resolve a name, {name} where the name goes, "
                    + "e.g. http://127.0.0.1:8082/resolve?name={name}"),
            optional("pidfile", ValueType.ABSOLUTE_PATH, null, "for via reload: the nginx or HAProxy master's pidfile"),
            optional("port", ValueType.PORT, 6432L, "the daemon's port on 127.0.0.1"),
            optional("database", ValueType.NAME, "probe", "the database entry whose host is a nonexistent name"),
            optional("user", ValueType.NAME, "probe", "the user to connect as"),
            optional("password", ValueType.SECRET, null, "that user's password (sent on stdin, never shown)"),
            optional("admin_user", ValueType.NAME, null, "a pgbouncer admin user, to defeat its negative cache (--fresh)"),
            optional("admin_password", ValueType.SECRET, null, "the admin user's password (sent on stdin, never shown)"),
            optional("timeout", ValueType.DURATION, "2s", "how long the trigger may take (the lookup starts at login)"),
            optional("proves", ValueType.PROCESS_LIST, null, "the refresh targets whose own lookup this trigger makes "
                    + "(default: pgbouncer for via pgbouncer, the pidfile for via reload, none for getent and http); the capture-verify after "
                    + "it proves them")),
    CAPTURE_VERIFY("capture-verify", "Prove from the capture that the lookup asked 127.0.0.1:53 and no banned server.", null,
            optional("expect", ValueType.IP, "127.0.0.1", "the resolver the process must ask"),
            optional("forbid", ValueType.IP_LIST, null, "resolvers nobody may have asked"),
            optional("stop", ValueType.BOOLEAN, null, "end the capture afterwards (default: only the block's last "
                    + "capture-verify does, so that each trigger can have its own verify)"));

    private final String key;
    private final String description;
    private final String undo;
    private final Map<String, ArgSpec> args;

    Action(String key, String description, String undo, ArgSpec... args) {
        this.key = key;
        this.description = description;
        this.undo = undo;
        Map<String, ArgSpec> byName = new LinkedHashMap<>();
        for (ArgSpec arg : args) {
            byName.put(arg.name(), arg);
        }
        this.args = java.util.Collections.unmodifiableMap(byName);
    }

    /** The name used in playbooks and as the helper's subcommand. */
    public String key() {
        return key;
    }

    public String description() {
        return description;
    }

    /** True when the action changes the host; such actions always have an undo. */
    public boolean mutating() {
        return undo != null;
    }

    /** What undoing the action does, for the plan; empty for read-only actions. */
    public Optional<String> undo() {
        return Optional.ofNullable(undo);
    }

    public Map<String, ArgSpec> args() {
        return args;
    }

    public static Optional<Action> byKey(String key) {
        return Arrays.stream(values()).filter(a -> a.key.equals(key)).findFirst();
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(Action::key).toList();
    }
}
