package io.cutover.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cutover}: the top-level command; its subcommands are the verbs of DESIGN.md §1. */
@Command(
        name = "cutover",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Switch a fleet's running daemons to a local caching BIND, safely, with proof per host.",
        description = {
            "",
            "cutover reads an Ansible inventory (YAML, INI, script or host list) and a playbook, shows exactly "
                    + "what it would change on every host (plan), then applies it host by host over SSH with per-host rollback (apply).",
        },
        subcommands = {
            InventoryCommand.class,
            PlanCommand.class,
            ApplyCommand.class,
            CheckCommand.class,
            ResumeCommand.class,
            RollbackCommand.class,
            StatusCommand.class,
            ReportCommand.class,
            FactsCommand.class,
            picocli.CommandLine.HelpCommand.class,
        },
        footer = {
            "",
            "Exit codes:",
            "  0   every selected host is done",
            "  1   some hosts failed and were rolled back",
            "  2   bad input (inventory, playbook, vars, flags): nothing ran on any host",
            "  3   aborted (failure threshold or interrupt): `cutover resume` continues",
            "  70  internal error (set CUTOVER_DEBUG=1 for the stack trace)",
            "",
            "Start with:",
            "  cutover inventory -i inventory.yml --graph",
            "  cutover plan --offline -i inventory.yml playbooks/local-caching-bind.yml",
        })
public final class CutoverCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** No verb: the usage on stderr and exit 2, so that a script calling `cutover` alone fails loudly. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("cutover: which command? (cutover plan, apply, check, ...; the list follows)");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }
}
