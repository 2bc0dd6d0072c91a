package io.cutover.cli;

import io.cutover.inventory.Inventory;
import io.cutover.yaml.InputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The inventory options every command that selects hosts shares: -i, --limit, --lenient. */
final class InventoryOptions implements Environment.Aware {

    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE",
            description = "Ansible inventory: a YAML or INI file, an inventory script, a directory of these, "
                    + "or a host list 'web1,web2,'. Repeatable: merged in order. "
                    + "group_vars/ and host_vars/ beside each are read too. "
                    + "Default: $ANSIBLE_INVENTORY, else `inventory` in ansible.cfg.")
    List<Path> files = new ArrayList<>();

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN",
            description = "Only hosts matching this Ansible host pattern, e.g. 'app:!app3', 'dc1:&canary', "
                    + "'pgb0*', '~pgb[ab]\\..*', 'app[0:2]', @hosts.txt.")
    String limit;

    @Option(names = "--lenient",
            description = "Warn instead of refusing inventory mistakes Ansible tolerates (e.g. `host:` for `hosts:`). "
                    + "Such mistakes silently drop hosts in Ansible; use with care.")
    boolean lenient;

    private Environment environment = Environment.system();

    @Override
    public void environment(Environment environment) {
        this.environment = environment;
    }

    /** -i, else $ANSIBLE_INVENTORY, else ansible.cfg's inventory: Ansible's order. */
    List<Path> files(PrintWriter warnings) {
        return sources(files, environment, warnings);
    }

    static List<Path> sources(List<Path> given, Environment environment, PrintWriter warnings) {
        if (!given.isEmpty()) {
            return given;
        }
        return environment.ansible(warnings).inventory().map(s -> s.value()).orElseThrow(() -> new InputException(
                "no inventory: pass -i FILE, set ANSIBLE_INVENTORY, or set `inventory` under [defaults] in ansible.cfg"
                        + environment.ansible(warnings).file().map(f -> " (" + f + " sets none)")
                                .orElse(" (no ansible.cfg found: $ANSIBLE_CONFIG, ./ansible.cfg, ~/.ansible.cfg,"
                                        + " /etc/ansible/ansible.cfg)")));
    }

    Inventory load(PrintWriter warnings) {
        return Inventory.load(files(warnings), lenient, message -> {
            warnings.println("cutover: warning: " + message);
            warnings.flush();
        });
    }

    /** The selected host names, in inventory order. */
    List<String> select(Inventory inventory) {
        return inventory.hostNames(limit == null ? "all" : limit);
    }
}
