package io.cutover.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.yaml.InputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidationTest {

    @TempDir
    Path dir;

    private String refusal(String yaml) {
        InventoryTestSupport support = new InventoryTestSupport(dir);
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> support.load(yaml));
        assertThat(thrown).isInstanceOf(InputException.class);
        return thrown.getMessage().replace(dir.resolve("inventory.yml").toString(), "inv.yml");
    }

    @Test
    void misspeltHostsKeyIsRefusedWithTheFix() {
        assertThat(refusal("web:\n  host:\n    web1:\n")).isEqualTo("inv.yml:2:3: group `web` has an unknown key"
                + " `host` (did you mean `hosts:`?); a group holds only `hosts:`, `children:` and `vars:`, and"
                + " Ansible would skip this key with everything under it");
    }

    @Test
    void misspeltVarsKeyIsRefused() {
        assertThat(refusal("web:\n  hosts: {w: }\n  var:\n    x: 1\n")).startsWith("inv.yml:3:3: group `web`"
                + " has an unknown key `var` (did you mean `vars:`?)");
    }

    @Test
    void groupWrittenAsAListIsRefused() {
        assertThat(refusal("web:\n  - web1\n")).isEqualTo("inv.yml:2:3: group `web` must be a mapping, found a list;"
                + " to list hosts write `hosts:` with one `name:` per line under it (Ansible would skip the group)");
    }

    @Test
    void hostsWrittenAsAListIsRefused() {
        assertThat(refusal("web:\n  hosts:\n    - web1\n")).isEqualTo("inv.yml:3:5: `hosts` of group `web` must be"
                + " a mapping, found a list; write each host as a key (`web1:`), not as a list item (`- web1`)");
    }

    @Test
    void hostWithANonMappingBodyIsRefused() {
        assertThat(refusal("web:\n  hosts:\n    web1: []\n")).startsWith("inv.yml:3:11: host `web1` must be followed by"
                + " a mapping of its vars (or nothing), found a list (Ansible would ignore it)");
        assertThat(refusal("web:\n  hosts:\n    web1: 10.0.0.1\n")).startsWith("inv.yml:3:11: host `web1` must be");
    }

    @Test
    void varsIndentedIntoHostsAreRefused() {
        assertThat(refusal("web:\n  hosts:\n    web1:\n    vars:\n      x: 1\n")).startsWith("inv.yml:4:5: group `web`"
                + " lists a host named `vars`: is it indented one level too deep?");
    }

    @Test
    void numbersAndBooleansAsNamesAreRefused() {
        assertThat(refusal("web:\n  hosts:\n    10:\n")).isEqualTo("inv.yml:3:5: host name `10` in group `web` is"
                + " read by YAML as a number, not text; quote it: \"10\":");
        assertThat(refusal("yes:\n  hosts: {a: }\n")).startsWith("inv.yml:1:1: group name `yes` is read by YAML as a boolean");
    }

    @Test
    void duplicateKeysAreRefused() {
        assertThat(refusal("web:\n  hosts:\n    a:\n    a:\n")).isEqualTo("inv.yml:4:5: duplicate key `a`"
                + " (first at line 3); remove one of them");
    }

    @Test
    void cyclesAreRefused() {
        assertThat(refusal("a:\n  children:\n    b:\n      children:\n        a:\n")).isEqualTo("inv.yml:3:5: group `b`"
                + " under `a` makes a cycle: b > a > b; a group cannot be its own descendant, remove one of these"
                + " `children:` entries");
        assertThat(refusal("a:\n  children:\n    a:\n")).isEqualTo("inv.yml:3:5: group `a` lists itself under"
                + " `children:`; remove it");
    }

    @Test
    void iniStyleGroupNamesAreRefused() {
        assertThat(refusal("web:children:\n  hosts: {a: }\n")).startsWith("inv.yml:1:1: group name `web:children`"
                + " is INI syntax; in a YAML inventory write `web:` with `children:` under it");
    }

    @Test
    void hostNamedLikeAGroupIsRefused() {
        assertThat(refusal("web:\n  hosts:\n    web:\n")).startsWith("inv.yml:3:5: `web` is both a host and a group");
    }

    @Test
    void emptyRangeIsRefused() {
        assertThat(refusal("all:\n  hosts:\n    h[5:1]:\n")).startsWith("inv.yml:3:5: host range `h[5:1]` stands for no host");
    }

    @Test
    void badRangeIsRefusedEvenWhenLenient() {
        assertThatThrownBy(() -> new InventoryTestSupport(dir).lenient("all:\n  hosts:\n    h[01:2]:\n"))
                .hasMessageEndingWith("3:5: host `h[01:2]`: the host range [01:2] must use equal-length begin and end"
                        + " (a leading zero fixes the width), e.g. [01:12]");
    }

    @Test
    void pluginConfigurationIsNotAnInventory() {
        assertThat(refusal("plugin: aws_ec2\nregions: [eu-west-1]\n")).startsWith("inv.yml:1:1: this is an inventory"
                + " plugin configuration");
    }

    @Test
    void emptyFileIsRefused() {
        assertThat(refusal("# nothing\n")).startsWith("inv.yml: the inventory file is empty");
    }

    @Test
    void invalidPortIsRefusedWithTheVarAndWhereItWasSet() {
        assertThat(refusal("all:\n  hosts:\n    h1:\n      ansible_port: 70000\n")).isEqualTo("inv.yml:4:7:"
                + " ansible_port: host `h1`: port 70000 is out of range (1-65535)");
    }

    @Test
    void invalidAddressIsRefused() {
        assertThat(refusal("all:\n  hosts:\n    h1:\n      ansible_host: 'db 1.example.com'\n")).isEqualTo(
                "inv.yml:4:7: ansible_host: host `h1`: `db 1.example.com` is not a valid IP address or hostname:"
                        + " the label `db 1` may only hold letters, digits, `-` and `_`, and may not start or end with `-`");
    }

    @Test
    void lenientWarnsAndKeepsAnsiblesBehaviour() {
        InventoryTestSupport support = new InventoryTestSupport(dir);
        Inventory inventory = support.lenient("web:\n  host:\n    gone:\n  hosts:\n    kept:\n");
        assertThat(inventory.select("all")).containsExactly("kept");
        assertThat(support.warnings).singleElement().asString().contains("warning: group `web` has an unknown key `host`");
    }

    @Test
    void strayVarsFileThatLooksLikeATypoIsWarnedAbout() {
        InventoryTestSupport support = new InventoryTestSupport(dir);
        support.write("host_vars/web01.yml", "x: 1\n");
        new InventoryLoader(false, support.warnings::add).load(support.write("inventory.yml", "all:\n  hosts:\n    web1:\n"));
        assertThat(support.warnings).singleElement().asString()
                .contains("no host is named `web01`, so these vars apply to nothing; did you mean `web1`?");
    }

    @Test
    void topLevelHostsHoldingHostNamesIsRefused() {
        assertThat(refusal("hosts:\n  web1:\n")).startsWith("inv.yml:1:1: top-level `hosts:` is read as a group named"
                + " `hosts`, not as the inventory's hosts; nest it under `all:`");
    }

    @Test
    void aTopLevelGroupNamedHostsWithOnlyGroupSectionsIsAGroup() {
        Inventory inventory = new InventoryTestSupport(dir).load("hosts:\n  hosts:\n    h1:\n  vars:\n    x: 1\n");
        assertThat(inventory.hostsIn("hosts")).containsExactly("h1");
        assertThat(inventory.hostVars("h1").get("x")).contains(1);
    }
}
