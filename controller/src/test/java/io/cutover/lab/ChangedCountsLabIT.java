package io.cutover.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.journal.JournalEvent;
import io.cutover.journal.JournalReader;
import io.cutover.journal.Record;
import io.cutover.journal.RunDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One definition of "changed" on a real lab host: the online plan's count, the line log, the recap,
 * the journal and status agree on a fresh host and again on the host once converged, where the plan
 * says only the proof block runs again.
 */
class ChangedCountsLabIT {

    private static final String PLAYBOOK = "playbooks/local-caching-bind.yml";
    private static final Pattern RECAP = Pattern.compile("app1 +(\\w+) +changed=(\\d+) +transient=(\\d+)");

    @TempDir
    Path runs;

    @RegisterExtension
    final Lab lab = Lab.fleet("cc", 1);

    /** What each surface says about app1's run: {changed, transient} per surface. */
    private record Counts(int plan, int log, int logTransient, int recap, int recapTransient, int journal, int journalTransient,
            int status, int statusTransient, String outcome) {
    }

    private Counts applyAndCount() throws Exception {
        String inventory = lab.inventory().toString();
        Cutover.Result plan = Cutover.run(runs, "plan", "-i", inventory, PLAYBOOK, "--format", "json");
        assertThat(plan.code()).as(plan.out()).isEqualTo(0);
        JsonNode summary = new ObjectMapper().readTree(plan.out().substring(plan.out().indexOf('{'))).get("summary");

        Cutover.Result apply = Cutover.run(runs, "apply", "-i", inventory, PLAYBOOK, "--yes");
        assertThat(apply.code()).as(apply.out()).isEqualTo(0);
        List<String> steps = apply.out().lines().filter(l -> l.matches("app1 +\\[.*")).toList();
        assertThat(steps).as(apply.out()).hasSize(16);
        Matcher recap = RECAP.matcher(apply.out().substring(apply.out().indexOf("RECAP")));
        assertThat(recap.find()).as(apply.out()).isTrue();

        RunDirectory directory = new RunDirectory(runs);
        List<Record> journal = JournalReader.read(directory.journal(directory.latest().orElseThrow()));
        List<JournalEvent.StepDone> done = journal.stream().map(Record::event).filter(JournalEvent.StepDone.class::isInstance)
                .map(JournalEvent.StepDone.class::cast).toList();

        Cutover.Result status = Cutover.run(runs, "status");
        Matcher line = RECAP.matcher(status.out());
        assertThat(line.find()).as(status.out()).isTrue();

        return new Counts(summary.get("changing_steps").asInt(),
                (int) steps.stream().filter(l -> l.contains(" changed ")).count(),
                (int) steps.stream().filter(l -> l.contains(" transient ")).count(),
                Integer.parseInt(recap.group(2)), Integer.parseInt(recap.group(3)),
                (int) done.stream().filter(JournalEvent.StepDone::changed).count(),
                (int) done.stream().filter(JournalEvent.StepDone::transientStep).count(),
                Integer.parseInt(line.group(2)), Integer.parseInt(line.group(3)), recap.group(1));
    }

    @Test
    void planLineLogRecapJournalAndStatusCountTheSameChangesFreshAndConverged() throws Exception {
        Counts fresh = applyAndCount();

        // bind-options, bind-start, resolv-conf, refresh; BIND is installed in the lab, so bind-install changes nothing
        assertThat(fresh).isEqualTo(new Counts(4, 4, 7, 4, 7, 4, 7, 4, 7, "changed"));

        Cutover.Result plan = Cutover.run(runs, "plan", "-i", lab.inventory().toString(), PLAYBOOK);
        assertThat(plan.out()).contains("  = no file changes: every lasting step is already as planned. The proof block will run "
                + "again and ban the old servers (").contains("for about 3 s (at most the guard's 60s).")
                .contains("16 steps: 0 changing, 5 already as planned, 7 transient (the proof block), 4 read-only; 0 files to change.")
                .contains("Already converged (no file changes; only the proof block runs again): app1.");

        Counts again = applyAndCount();

        assertThat(again).isEqualTo(new Counts(0, 0, 7, 0, 7, 0, 7, 0, 7, "ok"));
    }
}
