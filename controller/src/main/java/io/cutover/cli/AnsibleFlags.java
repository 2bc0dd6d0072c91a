package io.cutover.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ansible-playbook flags cutover does not take, each with the one line that says what to use
 * instead: users type them from habit, and "Unknown option" alone sends them to the docs.
 */
final class AnsibleFlags {

    private static final Map<String, String> HINTS = new LinkedHashMap<>();

    static {
        hint("`cutover plan` is the dry run: it shows every step, command and diff per host and changes nothing",
                "--check", "-C");
        hint("`cutover plan` shows the unified diff of every file each host would get", "--diff", "-D");
        hint("cutover does not decrypt Ansible Vault: keep secrets in a vars file only you can read (chmod 600) and pass"
                + " it with -e @file; the sudo password with -K or CUTOVER_BECOME_PASSWORD",
                "--ask-vault-pass", "--ask-vault-password", "-J", "--vault-password-file", "--vault-pass-file", "--vault-id");
        hint("a cutover playbook always runs all its steps, in order, the six-step block guarded as a whole: choose hosts"
                + " with --limit, continue a failed run with `cutover resume`",
                "--tags", "-t", "--skip-tags", "--start-at-task", "--step", "--list-tasks", "--list-tags");
        hint("cutover logs in with keys only: add your key to ssh-agent (ssh-add) or give it with --private-key",
                "--ask-pass", "-k", "--connection-password-file", "--conn-pass-file");
        hint("`cutover plan --offline` checks the playbook, inventory and vars without connecting", "--syntax-check");
        hint("cutover connects over SSH only (sshj, ssh_config honoured)", "--connection", "-c");
        hint("cutover becomes root with sudo only; -b/--become and --become-user are taken", "--become-method");
        hint("cutover keeps no fact cache: facts are read fresh on every run", "--flush-cache");
        hint("cutover has no modules or handlers: the playbook's steps are a fixed catalogue (docs/playbooks.md)",
                "--module-path", "-M", "--force-handlers");
    }

    private AnsibleFlags() {
    }

    private static void hint(String text, String... flags) {
        for (String flag : flags) {
            HINTS.put(flag, text);
        }
    }

    /** The hint for the first of {@code unmatched} that is an ansible-playbook flag (with or without =value). */
    static Optional<String> hint(List<String> unmatched) {
        for (String arg : unmatched) {
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (HINTS.containsKey(flag)) {
                return Optional.of(flag + " is an ansible-playbook flag cutover does not take: " + HINTS.get(flag));
            }
        }
        return Optional.empty();
    }
}
