package io.cutover.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.journal.HostStatus;
import io.cutover.journal.JournalReader;
import io.cutover.journal.RunDirectory;
import io.cutover.journal.RunState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * refresh_processes naming more than pgbouncer, as a user writes it on the command line: a glibc
 * service named by its pidfile is refreshed beside pgbouncer — accepted unproved by the run, since the
 * shipped trigger only makes pgbouncer resolve, and proved by the test's own capture; a pgbouncer built
 * with evdns, named by its pidfile, is switched by gdb-evdns and proved through its own probe database;
 * a process no implemented method can switch refuses the host before anything changes on it.
 */
class RefreshTargetsLabIT {

    private static final String PLAYBOOK = "playbooks/local-caching-bind.yml";

    @TempDir
    Path runs;

    @RegisterExtension
    final Lab lab = Lab.fleet("rt", 1);

    private RunState lastRun() {
        RunDirectory directory = new RunDirectory(runs);
        return RunState.replay(JournalReader.read(directory.journal(directory.latest().orElseThrow())));
    }

    /** A python3 service in app1 looking a fresh name up with getaddrinfo every 0.3 s; its pid is in /run/app.pid. */
    private String startGlibcService() {
        lab.exec("app1", "nohup /usr/bin/python3 -c '\nimport socket, time, itertools\nfor i in itertools.count():\n"
                + "    try: socket.getaddrinfo(\"xaxa-app-%d.lab.test\" % i, 5432)\n    except OSError: pass\n    time.sleep(0.3)\n'"
                + " >/dev/null 2>&1 & echo $! >/run/app.pid");
        return lab.exec("app1", "cat /run/app.pid").trim();
    }

    /** The shipped playbook applied to the lab with these variables (one -e each). */
    private Cutover.Result apply(String... vars) {
        List<String> args = new ArrayList<>(List.of("apply", "-i", lab.inventory().toString(), PLAYBOOK, "--yes"));
        for (String var : vars) {
            args.add("-e");
            args.add(var);
        }
        return Cutover.run(runs, args.toArray(String[]::new));
    }

    /** app1's state after an apply that must have succeeded and changed it. */
    private RunState.HostState changed(Cutover.Result apply) {
        assertThat(apply.code()).as(apply.out()).isEqualTo(0);
        RunState.HostState state = lastRun().host("app1").orElseThrow();
        assertThat(state.status()).isEqualTo(HostStatus.CHANGED);
        return state;
    }

    /** "pid method" of a refresh that kept its process and every client socket. */
    private static String inPlace(JsonNode refresh) {
        assertThat(refresh.path("same_process").asBoolean()).as(refresh.toString()).isTrue();
        assertThat(refresh.path("client_sockets_lost").asInt()).as(refresh.toString()).isZero();
        return refresh.path("pid").asText() + " " + refresh.path("method").asText();
    }

    private String startTime(String pid) {
        return lab.exec("app1", "cut -d' ' -f22 /proc/" + pid + "/stat").trim();
    }

    @Test
    void aGlibcServiceNamedByItsPidfileBesidePgbouncerIsRefreshedAndProved() {
        String app = startGlibcService();
        String appStart = startTime(app);

        Cutover.Result apply = apply("refresh_processes=[pgbouncer,/run/app.pid]", "refresh_unproved=[/run/app.pid]");

        RunState.HostState state = changed(apply);
        List<String> refreshed = new ArrayList<>();
        for (JsonNode refresh : state.proof().path("refresh")) {
            refreshed.add(inPlace(refresh));
            assertThat(refresh.path("nameservers_seen").toString()).as(refresh.toString()).isEqualTo("[\"127.0.0.1\"]");
        }
        String pgbouncer = lab.exec("app1", "cat /var/run/postgresql/pgbouncer.pid").trim();
        assertThat(refreshed).containsExactly(pgbouncer + " gdb-cares", app + " none");
        assertThat(state.proof().path("capture").path("packets").toString()).contains("127.0.0.1.53");
        assertThat(apply.out()).contains("pid " + app + " none (sees nameserver 127.0.0.1)")
                .contains("/run/app.pid not proved (unproved)");
        // the shipped trigger asks pgbouncer's probe database: the service is switched, and its proof is ours below
        assertThat(state.proof().path("unproved").toString()).isEqualTo("[\"/run/app.pid\"]");

        // Our own capture, independent of cutover's: the service's next fresh lookups go to 127.0.0.1:53,
        // from 127.0.0.1 (the local BIND's forwards leave from the host's own address), and it is the same process.
        String seen = lab.exec("app1", "timeout 3 tcpdump -n -l -i any udp port 53 2>/dev/null; true");
        assertThat(seen.lines().filter(l -> l.contains("xaxa-app-")).toList()).as(seen)
                .anySatisfy(l -> assertThat(l).contains("127.0.0.1.", "> 127.0.0.1.53:"));
        assertThat(startTime(app)).isEqualTo(appStart);

        Cutover.Result rollback = Cutover.run(runs, "rollback", "--yes");
        assertThat(rollback.code()).as(rollback.out()).isEqualTo(0);
        lab.exec("app1", "kill " + app);
    }

    @Test
    void aPgbouncerBuiltWithEvdnsNamedByItsPidfileIsSwitchedByGdbEvdnsAndProvedThroughItsProbe() throws Exception {
        String service = Lab.REPO.resolve("lab/services/pgbouncer-evdns.sh").toString();
        // the lab hosts have no Internet: pgbouncer's Debian source is downloaded here, then built inside app1
        Process fetch = new ProcessBuilder("sh", service, "fetch").redirectErrorStream(true).start();
        String fetched = new String(fetch.getInputStream().readAllBytes());
        assertThat(fetch.waitFor()).as(fetched).isZero();
        lab.exec("app1", "sh " + service + " start");
        String pid = lab.exec("app1", "cat /run/pgbouncer-evdns.pid").trim();
        String start = startTime(pid);

        Cutover.Result apply = apply("refresh_processes=[/run/pgbouncer-evdns.pid]", "pgbouncer_port=6433");

        RunState.HostState state = changed(apply);
        assertThat(state.proof().path("refresh").size()).as(state.proof().toString()).isEqualTo(1);
        assertThat(inPlace(state.proof().path("refresh").path(0))).isEqualTo(pid + " gdb-evdns");
        // the trigger went through the evdns pgbouncer's probe database: its lookup is the proof
        assertThat(state.proof().path("capture").path("packets").toString()).contains("127.0.0.1.53");
        assertThat(state.proof().path("unproved").size()).isZero();
        assertThat(apply.out()).contains("gdb-evdns");
        assertThat(startTime(pid)).isEqualTo(start);

        Cutover.Result rollback = Cutover.run(runs, "rollback", "--yes");
        assertThat(rollback.code()).as(rollback.out()).isEqualTo(0);
        assertThat(startTime(pid)).isEqualTo(start);
        lab.exec("app1", "sh " + service + " stop");
    }

    @Test
    void aProcessNoImplementedMethodCanSwitchRefusesTheHostBeforeAnyChange() {
        // a running executable that carries Go's build info, as a Go service does, whose resolv.conf (its own
        // mount namespace) says options no-reload: Go >= 1.21 then never re-reads it, so go-wait cannot switch it
        lab.exec("app1", "cp /bin/sleep /tmp/gosvc && printf '\\377 Go buildinf:\\010\\000go1.21.4\\000' >>/tmp/gosvc && "
                + "printf 'nameserver 127.0.0.1\\noptions no-reload\\n' >/tmp/noreload.conf && "
                + "(nohup unshare -m sh -c 'mount --bind /tmp/noreload.conf /etc/resolv.conf && exec /tmp/gosvc 300' "
                + ">/dev/null 2>&1 & echo $! >/run/gosvc.pid)");
        String before = lab.snapshot("app1");

        Cutover.Result apply = apply("refresh_processes=[pgbouncer,/run/gosvc.pid]");

        assertThat(apply.code()).as(apply.out()).isEqualTo(1);
        assertThat(apply.out()).contains("app1  refused").contains("gosvc pid").contains("Go go1.21.4")
                .contains("options no-reload").contains("no safe method");
        assertThat(lastRun().host("app1").orElseThrow().status()).isEqualTo(HostStatus.REFUSED);
        assertThat(lab.snapshot("app1")).isEqualTo(before);
        assertThat(lab.exec("app1", "ls /var/lib/cutover/runs 2>/dev/null | wc -l").trim()).isEqualTo("0");
        lab.exec("app1", "kill $(cat /run/gosvc.pid)");
    }
}
