package io.cutover.plan;

import io.cutover.playbook.Action;
import java.util.List;

/**
 * What installing and starting BIND means on one host, in the plan's words: which package and
 * version, whether systemd supervises named or it is started by hand, and what the undo returns
 * the host to. Pure given the facts; the text and JSON plans both print it.
 */
public final class BindNotes {

    private BindNotes() {
    }

    public static List<String> of(Action action, BindFacts facts) {
        return switch (action) {
            case BIND_INSTALL -> List.of(install(facts));
            case BIND_START -> List.of(start(facts));
            default -> List.of();
        };
    }

    private static String install(BindFacts facts) {
        if (facts.offline()) {
            return "installs BIND (apt, from the host's own sources) only where facts say it is missing";
        }
        if (facts.installed()) {
            return "BIND is installed: nothing to install";
        }
        return facts.missing().filter(BindFacts.Package::installable)
                .map(p -> "BIND is missing: apt-get install " + p.name() + "=" + p.candidate() + " (from " + p.source()
                        + "); no service starts during the install; undo purges exactly the packages it added")
                .orElse("BIND is missing and cannot be installed here (preflight refuses the host)");
    }

    private static String start(BindFacts facts) {
        if (facts.offline()) {
            return "under systemd: named's unit enabled and started, supervised, its state restored by the undo; "
                    + "without a service manager: named started by hand (facts decide)";
        }
        if (!facts.systemd()) {
            return "none".equals(facts.init())
                    ? "no service manager (PID 1 is " + facts.pid1() + "): named is started by hand and does not come "
                            + "back after a reboot; undo stops it"
                    : "PID 1 is " + facts.pid1() + ", an init system cutover does not know (preflight refuses the host)";
        }
        return facts.service().map(BindNotes::systemd)
                .orElse("systemd: the unit the package installs is enabled and started (found after the install); "
                        + "undo returns it to its state after the install, and the install's undo purges it");
    }

    private static String systemd(BindFacts.Service unit) {
        String was = unit.unitFileState() + "/" + unit.activeState();
        if (unit.unitFileState().startsWith("enabled") && "active".equals(unit.activeState()) && unit.restarts()) {
            return "systemd: " + unit.unit() + " is already enabled, active and restarted if it dies: nothing to change";
        }
        String restart = unit.restarts() ? "its Restart=" + unit.restart() + " restarts named if it dies"
                : "its Restart=" + unit.restart() + " would not restart named: adds the drop-in /etc/systemd/system/"
                        + unit.unit() + ".d/zz-cutover-restart.conf (Restart=on-failure), which the undo removes";
        return "systemd: " + unit.unit() + " is " + was + ": " + (unit.unitFileState().startsWith("masked") ? "unmasked, " : "")
                + "enabled and started; " + restart + "; undo returns it to " + was;
    }
}
