package io.cutover.cli;

import io.cutover.yaml.InputException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code -o/--output text|json}: one option, one field, on every verb that prints (docs/output.md).
 * {@code --format}, the old name on some verbs, sets the same field for one more release.
 */
final class OutputOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    // no defaultValue: picocli would apply it after parsing, over what --format set
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
            description = "text (for people) or json (for machines: one JSON document; apply, resume and rollback print "
                    + "JSON Lines events). Keys, versions and schemas: docs/output.md. Default: text.")
    OutputFormat format = OutputFormat.TEXT;

    /** Scripts written for the old name keep working until the next release; stderr says what to write instead. */
    @Option(names = "--format", paramLabel = "FORMAT", hidden = true)
    void deprecatedFormat(OutputFormat value) {
        format = value;
        mixee.commandLine().getErr().println("cutover: --format is deprecated and goes in the next release; write -o "
                + value + " (or --output " + value + ")");
    }

    boolean json() {
        return format == OutputFormat.JSON;
    }

    /** {@code option} prints text only: under -o json it is refused (exit 2), never printed where JSON was asked for. */
    void textOnly(String option, String instead) {
        if (json()) {
            throw new InputException(option + " prints text only and has no JSON form; " + instead);
        }
    }
}
