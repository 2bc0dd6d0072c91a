package io.cutover.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.yaml.InputException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostPatternTest {

    @TempDir
    Path dir;

    Inventory inventory;

    @BeforeEach
    void fleet() {
        inventory = new InventoryTestSupport(dir).load("""
                all:
                  children:
                    pgbouncer:
                      hosts:
                        pgba.example.com:
                        pgbb.example.com:
                        pgb01.example.com:
                        pgb02.example.com:
                    dc1:
                      hosts:
                        pgb01.example.com:
                        pgba.example.com:
                        app1:
                    empty:
                """);
    }

    private java.util.List<String> select(String pattern) {
        return HostPattern.parse(pattern).select(inventory);
    }

    @Test
    void unionKeepsFirstAppearanceOrder() {
        assertThat(select("dc1:pgbouncer")).containsExactly("pgb01.example.com", "pgba.example.com", "app1",
                "pgbb.example.com", "pgb02.example.com");
        assertThat(select("dc1,pgbouncer")).isEqualTo(select("dc1:pgbouncer"));
    }

    @Test
    void intersectionsAndExclusionsApplyAfterUnionsWhateverTheirPosition() {
        assertThat(select("!app1:&pgbouncer:dc1")).containsExactly("pgb01.example.com", "pgba.example.com");
        assertThat(select("pgbouncer:!dc1")).containsExactly("pgbb.example.com", "pgb02.example.com");
        assertThat(select("!dc1")).containsExactly("pgbb.example.com", "pgb02.example.com");
    }

    @Test
    void globsAndRegexesMatchHostAndGroupNames() {
        assertThat(select("pgb0*")).containsExactly("pgb01.example.com", "pgb02.example.com");
        assertThat(select("~pgb[ab]\\..*")).containsExactly("pgba.example.com", "pgbb.example.com");
        assertThat(select("dc?")).containsExactly("pgb01.example.com", "pgba.example.com", "app1");
    }

    @Test
    void subscriptsPickByPositionInTheGroup() {
        assertThat(select("pgbouncer[0]")).containsExactly("pgba.example.com");
        assertThat(select("pgbouncer[-1]")).containsExactly("pgb02.example.com");
        assertThat(select("pgbouncer[0:1]")).containsExactly("pgba.example.com", "pgbb.example.com");
        assertThat(select("pgbouncer[2:]")).containsExactly("pgb01.example.com", "pgb02.example.com");
    }

    @Test
    void allAndStarSelectEveryHost() {
        assertThat(select("all")).hasSize(5).isEqualTo(select("*"));
    }

    @Test
    void aPartMatchingNothingIsAnErrorNamingThePart() {
        assertThatThrownBy(() -> select("pgbouncer:&dc2"))
                .isInstanceOf(InputException.class)
                .hasMessage("host pattern `pgbouncer:&dc2`: `&dc2` matches no host or group (did you mean `dc1`?);"
                        + " list them with: cutover inventory -i ... --graph");
    }

    @Test
    void aPatternThatSelectsNoHostIsAnError() {
        assertThatThrownBy(() -> select("empty")).hasMessageStartingWith("host pattern `empty` selects no hosts");
        assertThatThrownBy(() -> select("dc1:&empty")).hasMessageContaining("selects no hosts");
    }

    @Test
    void anOutOfRangeSubscriptIsAnError() {
        assertThatThrownBy(() -> select("dc1[7]")).hasMessageContaining("`dc1[7]` is out of range; `dc1` matches 3 hosts");
    }

    @Test
    void limitFileHoldsOnePatternPerLine() throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("limit"), "pgbouncer\n!pgb0*\n");
        assertThat(HostPattern.parse("all").select(inventory, HostPattern.limit("@" + file)))
                .containsExactly("pgba.example.com", "pgbb.example.com");
    }

    @Test
    void colonsInsideRangesAndIpv6DoNotSplit() {
        assertThat(HostPattern.split("web[0:2]")).containsExactly("web[0:2]");
        assertThat(HostPattern.split("2001:db8::1")).containsExactly("2001:db8::1");
        assertThat(HostPattern.split("a:b:&c")).containsExactly("a", "b", "&c");
        assertThat(HostPattern.split(" a , b ")).containsExactly("a", "b");
    }
}
