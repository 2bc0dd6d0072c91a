package io.cutover.cli;

import io.cutover.plan.BanWindow;
import io.cutover.plan.Change;
import io.cutover.plan.FileChange;
import io.cutover.plan.FleetPlan;
import io.cutover.plan.HostChanges;
import io.cutover.plan.HostPlan;
import io.cutover.plan.PlannedStep;
import io.cutover.plan.StepNotes;
import io.cutover.render.Unknown;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The plan as one JSON document, for machines: the same content as the text, nothing lost. */
final class PlanJson {

    private PlanJson() {
    }

    static String render(FleetPlan plan, Clock clock) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("playbook", plan.playbook().name());
        doc.put("playbook_file", plan.playbook().file().toString());
        doc.put("offline", plan.offline());
        doc.put("batches", plan.batches().stream().map(b -> b.stream().map(HostPlan::host).toList()).toList());
        List<Object> hosts = new ArrayList<>();
        for (HostPlan host : plan.hosts()) {
            hosts.add(host(host));
        }
        doc.put("hosts", hosts);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("hosts", plan.hosts().size());
        summary.put("batches", plan.batches().size());
        summary.put("steps", plan.stepCount());
        summary.put("files", plan.fileCount());
        // counted by io.cutover.plan.Change, as the recap, the journal and status count what ran
        HostChanges total = HostChanges.total(plan.hosts(), !plan.offline());
        summary.put("changing_steps", total.changing());
        summary.put("unchanged_steps", total.unchanged());
        summary.put("transient_steps", total.transientSteps());
        summary.put("read_only_steps", total.readOnly());
        summary.put("changing_files", total.changingFiles());
        doc.put("summary", summary);
        return JsonOutput.document("plan", clock, doc);
    }

    private static Map<String, Object> host(HostPlan host) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("host", host.host());
        json.put("warnings", host.warnings());
        HostChanges changes = HostChanges.of(host);
        json.put("converged", changes.converged());
        json.put("ban_estimate_s", BanWindow.of(host).map(BanWindow::seconds).orElse(null));
        if (host.guardedBlock() != null) {
            Map<String, Object> guard = new LinkedHashMap<>();
            guard.put("block", host.guardedBlock().name());
            guard.put("deadline_ms", host.guardedBlock().deadline().millis());
            List<Integer> numbers = host.steps().stream().filter(PlannedStep::inBlock).map(PlannedStep::number).toList();
            guard.put("armed_before_step", numbers.get(0));
            guard.put("disarmed_after_step", numbers.get(numbers.size() - 1));
            guard.put("commands_before_arming", host.beforeGuard().stream().map(c -> c.shown().display()).toList());
            json.put("guard", guard);
        }
        List<Object> steps = new ArrayList<>();
        for (PlannedStep step : host.steps()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("number", step.number());
            s.put("name", step.name());
            s.put("action", step.action().key());
            s.put("block", step.block());
            s.put("mutating", step.action().mutating());
            s.put("change", Change.of(step).name().toLowerCase(Locale.ROOT));
            s.put("would_change", Change.of(step) == Change.LASTING ? HostChanges.wouldChange(host, step) : null);
            s.put("args", plain(step.args()));
            s.put("undo", step.action().undo().orElse(null));
            s.put("notes", StepNotes.of(host, step));
            s.put("commands", step.calls().stream().map(c -> c.shown().display()).toList());
            List<Object> files = new ArrayList<>();
            for (FileChange file : step.files()) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("path", file.path());
                f.put("current_known", file.before().known());
                f.put("current_exists", file.before().known() ? file.before().exists() : null);
                f.put("content", file.after());
                f.put("diff", file.before().known() ? file.diff() : null);
                f.put("changes", file.changes());
                files.add(f);
            }
            s.put("files", files);
            steps.add(s);
        }
        json.put("steps", steps);
        return json;
    }

    private static Object plain(Object value) {
        if (value instanceof Unknown unknown) {
            return unknown.toString();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(PlanJson::plain).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return out;
        }
        if (value instanceof io.cutover.playbook.Duration d) {
            return d.toString();
        }
        return value;
    }
}
