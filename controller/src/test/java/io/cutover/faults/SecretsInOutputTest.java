package io.cutover.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secret vars never appear in what cutover prints: plans as text and as JSON (the lab suite checks the rest). */
class SecretsInOutputTest {

    @TempDir
    Path dir;

    @Test
    void secretsArePrintedAsStarsInTextAndJsonPlans() {
        try (Fixture fixture = new Fixture(dir)) {
            for (String format : new String[] {"text", "json"}) {
                Fixture.Run run = Fixture.run("plan", "--offline", "-i", fixture.inventory.toString(), fixture.playbook.toString(),
                        "-e", "pgbouncer_probe_password=probe-Secret-1", "-e", "pgbouncer_admin_password=admin-Secret-2",
                        "-e", "pgbouncer_admin_user=pgbadmin", "-o", format);
                assertThat(run.code()).as(run.err()).isZero();
                assertThat(run.out() + run.err()).as(format).doesNotContain("probe-Secret-1").doesNotContain("admin-Secret-2");
                Fixture.count("secrets in plan output", 1);
            }
            Fixture.Run refused = Fixture.run("plan", "--offline", "-i", fixture.inventory.toString(), fixture.playbook.toString(),
                    "-e", "{\"pgbouncer_probe_password\": \"Refused-Secret-3\\nsecond line\"}");
            assertThat(refused.code()).isEqualTo(2);
            assertThat(refused.err()).contains("pgbouncer_probe_password").doesNotContain("Refused-Secret-3");
            Fixture.count("secrets in plan output", 1);
        }
    }
}
