package io.cutover.cli;

import io.cutover.engine.FactsGatherer.HostFactsResult;
import io.cutover.plan.BindFacts;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A few readable lines per host from the helper's facts; `-o json` has everything. */
final class FactsText {

    private FactsText() {
    }

    static void print(HostFactsResult result, PrintWriter out) {
        if (!result.ok()) {
            out.printf("%s  ERROR: %s%n", result.host(), result.error());
            return;
        }
        Map<?, ?> f = result.facts();
        Map<?, ?> os = map(f.get("os"));
        Map<?, ?> libc = map(f.get("libc"));
        Map<?, ?> resolv = map(f.get("resolv_conf"));
        Map<?, ?> bind = map(f.get("bind"));
        Map<?, ?> firewall = map(f.get("firewall"));
        String pad = " ".repeat(result.host().length());
        out.printf("%s  %s, kernel %s, %s %s%n", result.host(), os.get("pretty_name"), f.get("kernel"), libc.get("kind"),
                libc.get("version"));
        out.printf("%s  resolv.conf: %s (%s%s, managed by %s)%n", pad, join(resolv.get("nameservers")),
                Boolean.TRUE.equals(resolv.get("bind_mount")) ? "bind mount" : Boolean.TRUE.equals(resolv.get("symlink"))
                        ? "symlink" : "file", "", resolv.get("manager"));
        out.printf("%s  BIND: %s%s; firewall: %s%n", pad, Boolean.TRUE.equals(bind.get("installed")) ? bind.get("version") : "not installed",
                Boolean.TRUE.equals(bind.get("running")) ? ", running" : ", not running", firewall.get("backend"));
        BindFacts service = BindFacts.of(f);
        out.printf("%s  init: %s (PID 1: %s)%s%n", pad, service.init(), service.pid1(), service.service()
                .map(u -> "; " + u.unit() + " " + u.unitFileState() + "/" + u.activeState() + ", Restart=" + u.restart())
                .orElse(service.missing().map(p -> "; BIND missing, apt candidate " + p.name() + " "
                        + (p.candidate() == null ? "none" : p.candidate())).orElse("")));
        Map<?, ?> tools = map(f.get("tools"));
        out.printf("%s  tools: %s%n", pad, tools.entrySet().stream().filter(e -> Boolean.TRUE.equals(e.getValue()))
                .map(e -> String.valueOf(e.getKey())).collect(Collectors.joining(" ")));
        if (f.get("processes") instanceof List<?> processes) {
            for (Object item : processes) {
                Map<?, ?> p = map(item);
                // refresh_why is the whole decision ("glibc 2.36 → none (…)"); older helpers gave none
                out.printf("%s  %s pid %s (%s): %s%n", pad, p.get("name"), p.get("pid"), p.get("user"), p.get("refresh_why") != null
                        ? p.get("refresh_why") : (p.get("adns") != null ? p.get("adns") : p.get("libc")) + " -> refresh " + p.get("refresh_method"));
            }
        }
    }

    private static Map<?, ?> map(Object value) {
        return value instanceof Map<?, ?> m ? m : Map.of();
    }

    private static String join(Object value) {
        return value instanceof List<?> list ? list.stream().map(String::valueOf).collect(Collectors.joining(" ")) : "";
    }
}
