package io.cutover.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live view in a real terminal (tmux) at 60, 80 and 200 columns, over a real apply on a
 * two-host lab: what the screen shows during and after the run — one status line that never
 * wraps, none left stacked behind, host lines and the recap whole; a resize mid-run redrawn
 * cleanly; a step that waits saying why and for how long; Ctrl-C's messages on lines of their own,
 * at the confirmation prompt as during the run.
 */
class LiveViewLabIT {

    /** A status line: the bar (when there is room for it), then "finished/total hosts". */
    private static final Pattern STATUS = Pattern.compile("^(\\[[#-]+\\] )?\\d+/\\d+ hosts");
    /** A host waiting out pgbouncer's cached answer, the reason cut or not by the width. */
    private static final Pattern CACHED_WAIT = Pattern.compile("app\\d before safe-cutover (\\d+) s, waiting for pgbouncer's");

    @TempDir
    Path runs;

    @RegisterExtension
    final Lab lab = Lab.fleet("lv", 2);

    @Test
    void theScreenStaysCleanAtEveryWidthThroughAResizeAndCtrlC() throws IOException {
        String before = lab.snapshot("app1");

        // At the confirmation prompt: nothing has started; one line, exit 130, no run, hosts untouched.
        try (Tmux tmux = new Tmux(80, 40, apply(lab, "--serial", "1,100%"))) {
            tmux.await("confirmation prompt", 60, lines -> lines.stream().anyMatch(l -> l.endsWith("Apply? [y/N]")));
            tmux.keys("C-c");
            List<String> screen = tmux.await("exit", 30, LiveViewLabIT::exited);
            assertThat(screen).contains("cutover: interrupted before any host was touched: nothing done.", "EXIT=130");
            assertThat(runs).isEmptyDirectory();
        }
        assertThat(lab.snapshot("app1")).isEqualTo(before);

        // 60 columns, the first rollout: both hosts changed, one batch after the other.
        try (Tmux tmux = new Tmux(60, 40, apply(lab, "--yes", "--serial", "1,100%"))) {
            List<String> screen = watchUntilExit(tmux, 60);
            assertFinished(screen, "CHANGED");
        }

        // 200 columns, a rerun while pgbouncer has the probe's answer cached (a client just asked for
        // it), which each host waits out before its block: the wait is on the status line, its seconds move.
        askForTheProbe(lab);
        try (Tmux tmux = new Tmux(200, 40, apply(lab, "--yes", "--serial", "100%", "--forks", "2"))) {
            List<String> screen = tmux.await("the wait for pgbouncer's cached answer", 90, lines -> waited(lines) >= 1);
            assertStatusLine(screen, 200);
            int waited = waited(screen);
            screen = tmux.await("the wait's seconds moving", 10, lines -> waited(lines) > waited);
            assertStatusLine(screen, 200);

            tmux.resize(60);
            Tmux.pause(1500);
            screen = tmux.lines();
            assertStatusLine(screen, 60);
            assertThat(screen.stream().filter(l -> l.contains("waiting for") && !STATUS.matcher(l).find()))
                    .as("what a wrap left behind:\n%s", String.join("\n", screen)).isEmpty();

            tmux.keys("C-c");
            screen = tmux.await("the interrupt's message", 10, lines -> lines.stream().anyMatch(l -> l.startsWith("cutover: interrupt:")));
            assertThat(screen).contains("cutover: interrupt: no new host starts; running hosts finish or roll back. "
                    + "Ctrl-C again to roll back hosts now.");
            assertStatusLine(screen, 60);

            screen = watchUntilExit(tmux, 60);
            assertFinished(screen, "OK");
        }

        // 80 columns: the screen a user sees while a host waits, kept for the README (target/live-view-80.txt).
        askForTheProbe(lab);
        try (Tmux tmux = new Tmux(80, 24, apply(lab, "--yes", "--serial", "1,100%"))) {
            assertStatusLine(tmux.await("the wait for pgbouncer's cached answer", 90, lines -> waited(lines) >= 5), 80);
            String during = tmux.screen();
            assertFinished(watchUntilExit(tmux, 80), "OK");
            Files.writeString(Path.of("target/live-view-80.txt"), "While app1 waits:\n\n" + during + "\nAfter the run:\n\n"
                    + tmux.screen(), StandardCharsets.UTF_8);
        }
    }

    /** A client asks pgbouncer for the probe database: pgbouncer looks its name up and caches the NXDOMAIN. */
    /**
     * A client asks for the probe, so pgbouncer looks it up and caches the NXDOMAIN (dns_nxdomain_ttl,
     * 15 s). The pool's login retry wait (server_login_retry) is lifted for the ask: a pool whose last
     * try failed less than 15 s ago (the rollout's own trigger) would not look the name up at all.
     */
    private static void askForTheProbe(Lab lab) {
        String admin = "PGPASSWORD=pgbadmin-lab-pw psql -X -h 127.0.0.1 -p 6432 -U pgbadmin -d pgbouncer -Atc ";
        for (String host : List.of("app1", "app2")) {
            lab.exec(host, admin + "'SET server_login_retry = 0' >/dev/null 2>&1; "
                    + "PGPASSWORD=app-lab-pw PGCONNECT_TIMEOUT=3 timeout 3 psql -h 127.0.0.1 -p 6432 -U app -d probe "
                    + "-Atc 'select 1' >/dev/null 2>&1; " + admin + "'SET server_login_retry = 15' >/dev/null 2>&1; true");
        }
    }

    private String apply(Lab lab, String... flags) {
        return "cd " + Lab.REPO + " && " + Cutover.javaBin() + " -jar " + Cutover.JAR + " apply -i " + lab.inventory()
                + " playbooks/local-caching-bind.yml --runs-dir " + runs + " " + String.join(" ", flags)
                + "; echo EXIT=$?; sleep 600";
    }

    /** Reads the screen every 200 ms until the command has exited, asserting a clean status line each time. */
    private static List<String> watchUntilExit(Tmux tmux, int width) {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (true) {
            List<String> screen = tmux.lines();
            if (exited(screen)) {
                return screen;
            }
            assertThat(System.nanoTime()).as("the run did not end in 180 s:\n%s", String.join("\n", screen)).isLessThan(deadline);
            long status = screen.stream().filter(l -> STATUS.matcher(l).find()).count();
            assertThat(status).as("status lines on the screen:\n%s", String.join("\n", screen)).isLessThanOrEqualTo(1);
            if (status == 1) {
                assertStatusLine(screen, width);
            }
            Tmux.pause(200);
        }
    }

    /** Exactly one status line, the last line on the screen, never reaching the last column. */
    private static void assertStatusLine(List<String> screen, int width) {
        String shown = String.join("\n", screen);
        List<String> status = screen.stream().filter(l -> STATUS.matcher(l).find()).toList();
        assertThat(status).as("status lines:\n%s", shown).hasSize(1);
        assertThat(status.get(0).codePointCount(0, status.get(0).length())).as(shown).isLessThan(width);
        assertThat(screen.get(screen.size() - 1)).as(shown).isEqualTo(status.get(0));
    }

    /** After the run: no status line left, every host's line whole, the recap and the exit code. */
    private static void assertFinished(List<String> screen, String status) {
        String shown = String.join("\n", screen);
        assertThat(screen.stream().filter(l -> STATUS.matcher(l).find())).as(shown).isEmpty();
        for (String host : List.of("app1", "app2")) {
            assertThat(screen).as(shown).anyMatch(l -> l.matches(host + " +" + status + " in [0-9.]+ s"));
            assertThat(screen).as(shown).anyMatch(l -> l.startsWith("  " + host + "  " + status.toLowerCase() + " "));
        }
        assertThat(screen).as(shown).anyMatch(l -> l.startsWith("RECAP "));
        assertThat(screen).as(shown).anyMatch(l -> l.matches("Run \\S+ done in .*: 2 hosts: .*"));
        assertThat(screen).as(shown).contains("EXIT=0");
    }

    private static boolean exited(List<String> screen) {
        return screen.stream().anyMatch(l -> l.startsWith("EXIT="));
    }

    /** The seconds the status line says a host has waited for pgbouncer's cached answer; -1 when it does not. */
    private static int waited(List<String> screen) {
        for (String line : screen) {
            Matcher m = CACHED_WAIT.matcher(line);
            if (STATUS.matcher(line).find() && m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return -1;
    }
}
