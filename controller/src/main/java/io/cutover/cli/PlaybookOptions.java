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
            description = "Override a playbook var: key=value, @vars.yml or a {\"key\": ...} mapping. Repeatable; later wins.")
    List<String> extraVars = new ArrayList<>();
}
