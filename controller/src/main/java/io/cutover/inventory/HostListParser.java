package io.cutover.inventory;

import io.cutover.yaml.InputException;
import io.cutover.yaml.Location;
import java.nio.file.Path;

/**
 * A comma-separated list of hosts given as the inventory ({@code -i 'web1,web2:2222,'}), read as
 * Ansible's host_list plugin reads it: each entry is a host of {@code ungrouped}, with an optional
 * port; ranges are not expanded (Ansible keeps {@code web[1:3]} as one odd name, so we refuse it).
 */
final class HostListParser {

    private final InventoryBuilder inventory;
    private final Strictness strictness;

    HostListParser(InventoryBuilder inventory, Strictness strictness) {
        this.inventory = inventory;
        this.strictness = strictness;
    }

    void parse(String list) {
        Location where = Location.of(Path.of(list));
        for (String entry : list.split(",", -1)) {
            String item = entry.strip();
            if (item.isEmpty()) {
                continue;
            }
            if (HostRange.hasRange(item) && !item.startsWith("[")) {
                throw new InputException(where, "host list entry `" + item + "`: a host list does not expand ranges"
                        + " (Ansible would take it as one host named `" + item + "`); list the hosts one by one, or put"
                        + " the range in an INI or YAML inventory");
            }
            HostAddress.Parsed address = HostAddress.parse(item).orElse(new HostAddress.Parsed(item, null));
            Names.check(strictness, where, "host", address.host());
            if (!inventory.hosts.containsKey(address.host())) {
                inventory.addHost(address.host(), Inventory.UNGROUPED, address.port(), where);
            }
        }
    }
}
