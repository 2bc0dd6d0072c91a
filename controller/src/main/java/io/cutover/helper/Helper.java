package io.cutover.helper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.ssh.ExecResult;
import io.cutover.ssh.ShellQuote;
import io.cutover.ssh.SshConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Talks to cutover-helper on one host over one SSH connection. Read-only facts stream the script
 * to {@code sh -s} (nothing is written on the host); everything else runs the pushed copy in
 * {@code /var/lib/cutover/bin}, which {@link #install()} puts there once (skipped when the host
 * already has the same SHA-256). Its calls are served by one helper process per connection
 * ({@link HelperSession}), started at the first call. Every argument goes through {@link ShellQuote}.
 */
public final class Helper {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SshConnection connection;
    private final HelperScript script;
    private final Duration timeout;
    private final HelperHome home;
    private HelperSession session;
    private boolean installed;

    public Helper(SshConnection connection, HelperScript script, Duration timeout, HelperHome home) {
        this.connection = connection;
        this.script = script;
        this.timeout = timeout;
        this.home = home;
    }

    /**
     * Read-only facts about the host and the {@code processes} (names, or pidfiles when absolute),
     * and the current content of {@code paths} (the plan's diffs), nothing written: streamed to
     * {@code sh -s} where the helper is not pushed ({@code plan}), else served as any call.
     */
    public HelperResult facts(List<String> processes, List<String> paths) {
        List<String> argv = new ArrayList<>();
        for (String process : processes) {
            if (process.startsWith("/")) {
                argv.addAll(List.of("--pidfile", process));
            } else {
                argv.addAll(List.of("--proc", process));
            }
        }
        for (String path : paths) {
            argv.addAll(List.of("--file", path));
        }
        if (installed) {
            return call(HelperCall.of("facts", argv));
        }
        List<String> streamed = streamed("facts");
        streamed.addAll(argv);
        return parse("facts", connection.execPrivileged(ShellQuote.join(streamed), script.content(), timeout));
    }

    /** Makes sure the host has this exact helper; true when it had to be pushed. */
    public boolean install() {
        String path = ShellQuote.quote(home.path());
        HelperResult version = parse("version", connection.execPrivileged(
                "if [ -f " + path + " ]; then sh " + path + " version; else echo '{\"ok\":false,\"changed\":false,\"data\":{}}'; fi",
                new byte[0], timeout));
        if (version.ok() && script.sha256().equals(version.data().path("sha256").asText())) {
            installed = true;
            return false;
        }
        String bin = ShellQuote.quote(home.binDir());
        connection.execPrivileged("mkdir -p " + bin + " && chmod 0700 " + ShellQuote.quote(home.parentDir()) + " " + bin,
                new byte[0], timeout);
        String sum;
        try {
            sum = connection.upload(script.content(), home.path(), 0700);
        } catch (io.cutover.ssh.UploadException e) {
            // The link is fine (e.g. /var/lib/cutover is full): nothing has changed on the host yet.
            throw new HelperException("cannot push the helper: " + e.getMessage());
        }
        if (!script.sha256().equals(sum)) {
            throw new HelperException("the helper pushed to " + home.path() + " has SHA-256 " + sum + ", expected " + script.sha256());
        }
        installed = true;
        return true;
    }

    /** Runs one subcommand of the pushed helper. */
    public HelperResult call(HelperCall call) {
        return call(call, timeout);
    }

    public synchronized HelperResult call(HelperCall call, Duration callTimeout) {
        List<String> argv = new ArrayList<>();
        stateDir(argv);
        argv.add(call.subcommand());
        argv.addAll(call.args());
        if (!HelperSession.fits(argv, call.stdin())) {
            List<String> exec = new ArrayList<>(List.of("sh", home.path()));
            exec.addAll(argv);
            return parse(call.subcommand(), connection.execPrivileged(ShellQuote.join(exec), call.stdin(), callTimeout));
        }
        if (session == null || !session.alive()) {
            session = HelperSession.start(connection, home.path(), timeout);
        }
        return parse(call.subcommand(), session.call(argv, call.stdin(), callTimeout));
    }

    /** {@code sh -s -- [--state-dir DIR] SUBCOMMAND}: the script itself comes on stdin. */
    private List<String> streamed(String subcommand) {
        List<String> argv = new ArrayList<>(List.of("sh", "-s", "--"));
        stateDir(argv);
        argv.add(subcommand);
        return argv;
    }

    private void stateDir(List<String> argv) {
        if (home.stateDir() != null) {
            argv.addAll(List.of("--state-dir", home.stateDir()));
        }
    }

    static HelperResult parse(String subcommand, ExecResult exec) {
        String out = exec.stdout().strip();
        int start = out.lastIndexOf("\n{");
        String json = start >= 0 ? out.substring(start + 1) : out;
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isObject() || !node.has("ok")) {
            String detail = exec.stderr().isBlank() ? out : exec.stderr().strip();
            throw new HelperException(subcommand + ": the helper gave no JSON answer (exit " + exec.exitStatus() + "): "
                    + (detail.length() > 300 ? detail.substring(0, 300) + "..." : detail));
        }
        return new HelperResult(subcommand, exec.exitStatus(), node.path("ok").asBoolean() && exec.exitStatus() == 0,
                node.path("changed").asBoolean(), node.path("data"), node.path("error").asText(null), exec.stderr(), exec.took());
    }
}
