package io.cutover.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cutover.yaml.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** INI inventories: what loads (the differential test checks it against Ansible) and what is refused, where, and why. */
class IniInventoryTest {

    @TempDir
    Path dir;

    private Inventory load(String name, String text) {
        return new InventoryLoader().load(new InventoryTestSupport(dir).write(name, text));
    }

    private String refusal(String name, String text) {
        Throwable thrown = catchThrowable(() -> load(name, text));
        assertThat(thrown).isInstanceOf(InputException.class);
        return thrown.getMessage().replace(dir.toString() + "/", "");
    }

    @Test
    void aFileCalledHostsWithNoExtensionIsReadAsIni() {
        Inventory inventory = load("hosts", "[web]\nweb1 ansible_port=2222\n");
        assertThat(inventory.hostsIn("web")).containsExactly("web1");
        assertThat(inventory.hostVars("web1").get("ansible_port")).contains(2222);
    }

    @Test
    void iniSavedAsYmlIsReadAsIni() {
        assertThat(load("inventory.yml", "[dns]\nns1\n").hostsIn("dns")).containsExactly("ns1");
    }

    @Test
    void unknownSectionKindIsRefusedWithASuggestion() {
        assertThat(refusal("hosts", "[web]\nweb1\n[web:var]\nx=1\n")).isEqualTo("hosts:3:1: section [web:var] has"
                + " unknown kind `var`; did you mean [web:vars]?");
    }

    @Test
    void sectionWithASpaceIsRefused() {
        assertThat(refusal("hosts", "[web servers]\nw1\n")).startsWith("hosts:1:1: invalid section header"
                + " `[web servers]`");
    }

    @Test
    void spacesAroundEqualsOnAHostLineAreRefusedWithTheFix() {
        assertThat(refusal("hosts", "[web]\nweb1 ansible_host = 10.0.0.1\n")).isEqualTo("hosts:2:1: expected"
                + " `key=value` after the host name, found `ansible_host`; write `key=value` with no spaces around `=`");
    }

    @Test
    void anUnclosedQuoteNamesTheLine() {
        assertThat(refusal("hosts", "# c\n[web]\nweb1 x='abc\n")).startsWith("hosts:3:1: cannot read this host line"
                + " (No closing quotation)");
    }

    @Test
    void aChildThatIsNoGroupIsRefusedAtItsLine() {
        assertThat(refusal("hosts", "[web]\nweb1\n[all_servers:children]\nweb\nweb2\n")).isEqualTo("hosts:5:"
                + " [all_servers:children] names `web2`, which is no group in this file; add a [web2] section (it may"
                + " be empty), or if `web2` is a host, list it under [all_servers] (did you mean `web`?)");
    }

    @Test
    void varsForAGroupNeverDeclaredAreRefused() {
        assertThat(refusal("hosts", "[web]\nw1\n[wbe:vars]\nx=1\n")).startsWith("hosts:3: section [wbe:vars] is for"
                + " a group this file never declares");
    }

    @Test
    void varsLineWithoutEqualsIsRefused() {
        assertThat(refusal("hosts", "[web]\nw1\n[web:vars]\nw2\n")).startsWith("hosts:4:1: expected `key = value` in"
                + " [web:vars], found `w2`");
    }

    @Test
    void aSetValueIsRefusedWithHowToKeepItAsText() {
        assertThat(refusal("hosts", "[web:vars]\nports={80, 443}\n[web]\n")).isEqualTo("hosts:2:1: ports: `{80, 443}`"
                + " is a Python set; Ansible reads INI values as Python literals and then fails on this one. To keep it"
                + " as text, quote it: ports=\"'{80, 443}'\"");
    }

    @Test
    void aYamlFileWithABrokenLineReportsTheYamlError() {
        assertThat(refusal("inventory.yml", "all:\n  hosts:\n    web1:\n   bad: [\n")).contains("not valid YAML");
    }

    @Test
    void aBrokenFileWithNoExtensionThatLooksIniReportsTheIniError() {
        assertThat(refusal("inventory", "[web]\nweb1\n[db\n")).startsWith("inventory:3:1: host `[db`: unbalanced brackets");
    }

    @Test
    void aHostLineEndingInAColonSaysItLooksLikeYaml() {
        assertThat(refusal("hosts.ini", "web:\n  hosts:\n")).startsWith("hosts.ini:1:1: host `web:` ends in `:`");
    }

    @Test
    void aPortGivenAgainDifferentlyIsRefused() {
        assertThat(refusal("hosts", "[a]\nweb1:2201\n[b]\nweb1:2202\n")).startsWith("hosts:4:1: the port in"
                + " `web1:2202` is ignored: host `web1` was first defined at hosts:2:1");
    }

    @Test
    void aVarsValueWithATrailingCommentWarnsThatAnsibleKeepsIt() {
        List<String> warnings = new ArrayList<>();
        Inventory inventory = new InventoryLoader(false, warnings::add)
                .load(new InventoryTestSupport(dir).write("hosts", "[web]\nw1\n[web:vars]\nntp = pool.ntp.org # ours\n"));
        assertThat(inventory.hostVars("w1").get("ntp")).contains("pool.ntp.org # ours");
        assertThat(warnings).singleElement().asString().startsWith("hosts:4:1: warning: the value of `ntp` is"
                .replace("hosts", dir.resolve("hosts").toString()));
    }

    @Test
    void anIniFileInAnInventoryDirectoryIsRefusedNotDroppedSilently() {
        InventoryTestSupport files = new InventoryTestSupport(dir);
        files.write("inv/hosts", "[app]\napp1\n");
        files.write("inv/extra.ini", "[app]\napp2\n");
        Throwable thrown = catchThrowable(() -> new InventoryLoader().load(dir.resolve("inv")));
        assertThat(thrown).isInstanceOf(InputException.class).hasMessageContaining("inv/extra.ini: Ansible skips"
                + " `.ini` files inside an inventory directory");
        List<String> warnings = new ArrayList<>();
        Inventory lenient = new InventoryLoader(true, warnings::add).load(dir.resolve("inv"));
        assertThat(lenient.hostsIn("app")).containsExactly("app1");
        assertThat(warnings).singleElement().asString().contains("extra.ini");
    }

    @Test
    void theLineOfAHostVarIsWhereItsValueCameFrom() {
        Throwable thrown = catchThrowable(() -> load("hosts", "[web]\nweb1\nweb2 ansible_user='-oProxyCommand=x'\n"));
        assertThat(thrown).isInstanceOf(InputException.class).hasMessageContaining("hosts:3:6");
    }
}
