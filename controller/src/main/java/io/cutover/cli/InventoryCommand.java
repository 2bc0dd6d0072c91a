package io.cutover.cli;

import io.cutover.inventory.AnsibleListing;
import io.cutover.inventory.ConnectionSettings;
import io.cutover.inventory.HostPattern;
import io.cutover.inventory.Inventory;
import io.cutover.inventory.InventoryLoader;
import io.cutover.yaml.InputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cutover inventory}: shows an Ansible inventory as cutover (and Ansible) reads it. */
@Command(
        name = "inventory",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Show an Ansible inventory as cutover reads it: hosts, groups, vars, SSH targets.",
        description = {
            "",
            "Reads the inventory exactly as Ansible does (groups, children, ranges like pgb[01:12], group_vars/",
            "and host_vars/ beside each file, variable precedence) but refuses, with file:line:column and the",
            "likely fix, what Ansible would only warn about: a misspelt `host:` silently drops hosts in Ansible.",
            "",
            "Host patterns (--limit, --list-hosts) are Ansible's: a:b or a,b (union), a:&b (and also in b),",
            "a:!b (but not in b), globs pgb0*, regexes ~pgb[ab]\\..*, subscripts web[0], web[-1], web[0:2],",
            "all or *; --limit also takes @FILE (one pattern per line). A part that matches nothing is an error.",
            "",
            "Without -i: $ANSIBLE_INVENTORY, else `inventory` in ansible.cfg ($ANSIBLE_CONFIG, ./ansible.cfg,",
            "~/.ansible.cfg, /etc/ansible/ansible.cfg). --host prints every effective connection setting with where",
            "it came from: a host var (file:line), -u/-b/--private-key, an ANSIBLE_* variable, an ansible.cfg line,",
            "~/.ssh/config or the default; host vars win over flags, flags over ANSIBLE_*, ANSIBLE_* over ansible.cfg.",
        },
        footer = {
            "",
            "Examples:",
            "  cutover inventory -i inventory.yml                      hosts, SSH targets and groups, as a table",
            "  cutover inventory -i inventory.yml --list -o json       the same JSON as `ansible-inventory --list`",
            "  cutover inventory -i inventory.yml --graph --vars        the group tree with each group's vars",
            "  cutover inventory -i inventory.yml --list-hosts 'pgbouncer:&dc1:!pgb03*'",
            "  cutover inventory -i prod.yml -i extra.yml --limit @canaries.txt --list-hosts all",
            "  cutover inventory -i inventory.yml --host pgb01.example.com",
            "  cutover inventory --host pgb01.example.com -u deploy        the inventory of ansible.cfg, as deploy",
            "",
            "-o json prints Ansible's own shapes, byte-compatible with ansible-inventory (--list, --host) and with no",
            "format_version: they are Ansible's contract, not cutover's (docs/output.md). --graph has no JSON form.",
            "",
            "Exit codes: 0 shown; 2 the inventory or the pattern is wrong (the message says where and how to fix it).",
        })
public final class InventoryCommand implements Callable<Integer>, Environment.Aware {

    @Spec
    CommandSpec spec;

    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE",
            description = "Ansible inventory: YAML or INI file, inventory script, directory, or host list 'a,b,'."
                    + " Repeat to merge several, in order. Default: $ANSIBLE_INVENTORY, else `inventory` in ansible.cfg.")
    List<Path> inventories = new ArrayList<>();

    @Mixin
    SshOptions sshOptions;

    private Environment environment = Environment.system();

    @Override
    public void environment(Environment environment) {
        this.environment = environment;
    }

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN",
            description = "Only hosts matching this Ansible host pattern, e.g. 'web:!web3', 'dc1:&canary', @hosts.txt.")
    String limit;

    static final class Action {
        @Option(names = "--list", description = "All hosts and groups (default). As JSON: ansible-inventory --list.")
        boolean list;

        @Option(names = "--graph", arity = "0..1", paramLabel = "GROUP", fallbackValue = Inventory.ALL,
                description = "The group tree under GROUP (default all), as ansible-inventory --graph draws it.")
        String graph;

        @Option(names = "--list-hosts", paramLabel = "PATTERN",
                description = "The hosts a host pattern selects, one per line, in Ansible's order.")
        String listHosts;

        @Option(names = "--host", paramLabel = "NAME", description = "One host's merged vars and SSH target.")
        String host;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Action action = new Action();

    @Option(names = "--vars", description = "With --graph: show each group's and host's vars.")
    boolean vars;

    @Mixin
    OutputOptions output;

    @Option(names = "--lenient",
            description = "Warn instead of refusing mistakes Ansible tolerates (and silently drops hosts or vars for).")
    boolean lenient;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        inventories = InventoryOptions.sources(inventories, environment, err);
        Inventory inventory = sshOptions.apply(new InventoryLoader(lenient, warning -> {
            err.println("cutover: " + warning);
            err.flush();
        }).load(inventories), err);
        if (action.graph != null) {
            output.textOnly("--graph", "for the groups as JSON (ansible-inventory's shape) use --list -o json");
        }
        Set<String> selected = limit == null ? null
                : new HashSet<>(HostPattern.limit(limit).select(inventory));
        if (action.listHosts != null) {
            HostPattern pattern = HostPattern.parse(action.listHosts);
            List<String> hosts = limit == null ? pattern.select(inventory)
                    : pattern.select(inventory, HostPattern.limit(limit));
            if (output.json()) {
                out.println(AnsibleListing.json(hosts));
            } else {
                hosts.forEach(out::println);
            }
        } else if (action.graph != null) {
            out.println(AnsibleListing.graph(inventory, action.graph, vars, selected));
        } else if (action.host != null) {
            showHost(inventory, action.host, out, err);
        } else if (output.json()) {
            out.println(AnsibleListing.json(AnsibleListing.list(inventory, selected)));
        } else {
            table(inventory, selected, out, err);
        }
        out.flush();
        return ExitCode.OK;
    }

    private void showHost(Inventory inventory, String name, PrintWriter out, PrintWriter err) {
        if (inventory.host(name).isEmpty()) {
            throw new InputException("no host named `" + name + "` in " + inventories
                    + io.cutover.yaml.Suggestions.didYouMean(name,
                            inventory.hosts().stream().map(h -> h.name()).toList())
                    + "; list them with --list-hosts all");
        }
        Map<String, Object> hostVars = AnsibleListing.hostVars(inventory, name);
        if (output.json()) {
            out.println(AnsibleListing.json(hostVars));
            return;
        }
        ConnectionSettings ssh = inventory.connection(name);
        out.println("host:    " + name);
        try {
            connection(ssh, sshOptions.resolver(err).explain(ssh.sshHost()), out);
        } catch (io.cutover.ssh.SshException e) {
            throw new InputException(e.getMessage());
        }
        out.println("groups:  " + String.join(", ", inventory.groupNames(name)));
        out.println("vars:");
        Map<String, Object> sorted = new TreeMap<>(hostVars);
        sorted.forEach((key, value) -> out.println("  " + key + ": " + AnsibleListing.json(value).replace("\n", "\n    ")));
    }

    /**
     * Each effective connection setting, and where it came from: a var (file:line), a flag, an ANSIBLE_*
     * variable, an ansible.cfg line, ssh_config or the default; in Ansible's precedence (host vars over
     * the command line over the environment over ansible.cfg), then ssh_config, then defaults.
     */
    private static void connection(ConnectionSettings ssh, io.cutover.ssh.SshSettingsResolver.Explained explained,
            PrintWriter out) {
        io.cutover.ssh.SshTarget target = explained.target();
        Map<String, String> ssh2 = explained.origins();
        out.println("ssh:     " + target.destination());
        out.println("connection settings (value, then where it came from):");
        row(out, "address", target.address(), ssh.origin("address").filter(o -> !o.equals("the inventory name"))
                .map(o -> ssh2.get("address").equals("the inventory") ? o : ssh2.get("address") + ", under " + o)
                .orElse(ssh2.get("address").equals("the inventory") ? "the inventory name" : ssh2.get("address")));
        row(out, "port", Integer.toString(target.port()), layered(ssh, "port", ssh2));
        row(out, "user", target.user(), layered(ssh, "user", ssh2));
        row(out, "keys", target.identityFiles().toString(), ssh.origin("private_key_file")
                .map(o -> o + (ssh2.get("identity_files").contains("ssh_config") ? ", then ssh_config" : ""))
                .orElse(ssh2.get("identity_files")));
        row(out, "agent", target.identityAgent() == null ? "none" : target.identityAgent().toString(), ssh2.get("agent"));
        row(out, "timeout", target.connectTimeout().toSeconds() + " s", layered(ssh, "timeout", ssh2));
        row(out, "host keys", target.hostKeyPolicy().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                + ", " + target.knownHosts(), ssh2.get("host_key_policy") + "; known_hosts: "
                + ssh.origin("known_hosts").orElse(ssh2.get("known_hosts")));
        row(out, "become", ssh.become() ? "yes, as " + ssh.becomeUser() : "no", ssh.origin("become").orElse("default")
                + (ssh.become() ? "; user: " + ssh.origin("become_user").orElse("default") : ""));
        for (io.cutover.ssh.SshHost.Args args : ssh.sshHost().args()) {
            row(out, "ssh args", args.text(), args.source());
        }
        if (target.jump() != null) {
            row(out, "jump", target.jump().destination(), ssh2.get("jump"));
        }
    }

    /** An inventory-layer origin (var, flag, ANSIBLE_*, ansible.cfg) when there is one, else the SSH layer's. */
    private static String layered(ConnectionSettings ssh, String setting, Map<String, String> sshOrigins) {
        return ssh.origin(setting).orElse(sshOrigins.get(setting));
    }

    private static void row(PrintWriter out, String what, String value, String origin) {
        out.printf("  %-10s %-30s %s%n", what, value, origin);
    }

    private static String target(ConnectionSettings ssh) {
        String address = ssh.address().contains(":") ? "[" + ssh.address() + "]" : ssh.address();
        return (ssh.user() == null ? "" : ssh.user() + "@") + address + ":" + ssh.portOrDefault();
    }

    private static void table(Inventory inventory, Set<String> selected, PrintWriter out, PrintWriter err) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"HOST", "SSH TARGET", "BECOME", "GROUPS"});
        List<String> problems = new ArrayList<>();
        for (String host : inventory.hostsIn(Inventory.ALL)) {
            if (selected != null && !selected.contains(host)) {
                continue;
            }
            String target;
            String become;
            try {
                ConnectionSettings ssh = inventory.connection(host);
                target = target(ssh);
                become = ssh.become() ? ssh.becomeUser() : "-";
            } catch (InputException e) {
                target = "(invalid, see below)";
                become = "?";
                problems.add(e.getMessage());
            }
            rows.add(new String[] {host, target, become, String.join(",", inventory.groupNames(host))});
        }
        int[] widths = new int[4];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        long groups = inventory.groups().stream().filter(g -> !g.isImplicit()).count();
        out.println();
        out.println((rows.size() - 1) + " host" + (rows.size() == 2 ? "" : "s") + ", " + groups + " group"
                + (groups == 1 ? "" : "s") + " (besides all and ungrouped), from " + inventory.sources().size()
                + " source" + (inventory.sources().size() == 1 ? "" : "s"));
        for (String problem : problems) {
            err.println("cutover: warning: " + problem);
        }
        err.flush();
    }
}
