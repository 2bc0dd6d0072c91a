package io.cutover.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The playbook and its {@code -e} overrides: shared by plan and apply. */
final class PlaybookOptions {

    @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "The playbook, e.g. playbooks/local-caching-bind.yml.")
    Path playbookFile;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS",
            description = "Override a playbook var: key=value, @vars.yml or a {\"key\": ...} mapping. Repeatable; later wins. "
                    + "key=value is text, typed as the playbook declares the var, as Ansible's argument checks do "
                    + "(-e pgbouncer_port=6432 is a port, -e flag=yes a boolean).")
    List<String> extraVars = new ArrayList<>();

    @Option(names = "--list-hosts", description = "Only list the hosts the playbook would run on (after --limit), in "
            + "its batches, as ansible-playbook --list-hosts does; connects to nothing.")
    boolean listHosts;

    /** --list-hosts: the selected hosts and their batches, nothing else done; true when it was asked for. */
    boolean listedHosts(RunInputs inputs, OutputOptions output, java.io.PrintWriter out) {
        if (!listHosts) {
            return false;
        }
        output.textOnly("--list-hosts", "`cutover plan --offline -o json` has the hosts in .batches");
        out.println("playbook: " + playbookFile);
        out.println();
        out.println("  hosts (" + inputs.hosts().size() + "):");
        for (String host : inputs.hosts()) {
            out.println("    " + host);
        }
        out.println("  batches (" + inputs.batches().size() + "):");
        for (int i = 0; i < inputs.batches().size(); i++) {
            out.println("    " + (i + 1) + ": " + String.join(" ", inputs.batches().get(i)));
        }
        out.flush();
        return true;
    }
}
