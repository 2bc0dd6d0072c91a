package io.cutover.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cutover report} of a real run on a 2-host lab (app2 made to fail its proof, so it is
 * rolled back inside the block), opened in Debian's headless Chromium: no console error, the DOM
 * has the chart with a row per host, and the screenshot shows the bars and the ban windows.
 */
class ReportLabIT {

    private static final String PLAYBOOK = "playbooks/local-caching-bind.yml";
    /** The chart's colours (report.html.ftlh): step changed, failed, rollback; the ban band over white. */
    private static final int CHANGED = 0x2f6fdb;
    private static final int FAILED = 0xd1343b;
    private static final int ROLLBACK = 0xe08a1e;

    @TempDir
    Path runs;

    @TempDir
    Path work;

    @RegisterExtension
    final Lab lab = Lab.fleet("rpt", 2);

    @Test
    void theReportOfARealRunWithARollbackRendersInChromiumWithoutErrorsAndShowsTheChart() throws Exception {
        // app2's pgbouncer is not refreshed: its lookups still go to the old servers, the proof fails inside the block
        Path hostVars = Files.createDirectories(lab.inventory().getParent().resolve("host_vars"));
        Files.writeString(hostVars.resolve("app2.yml"), "refresh_method: none\n");
        Cutover.Result apply = Cutover.run(runs, "apply", "-i", lab.inventory().toString(), PLAYBOOK, "--yes",
                "--serial", "100%", "--max-fail-percentage", "50");
        assertThat(apply.code()).as(apply.out()).isEqualTo(1);
        Path html = work.resolve("report.html");
        Path markdown = work.resolve("report.md");

        Cutover.Result report = Cutover.run(runs, "report", "--out", html.toString());
        Cutover.Result md = Cutover.run(runs, "report", "--format", "markdown", "--out",
                markdown.toString());

        assertThat(report.code()).as(report.out()).isZero();
        assertThat(md.code()).as(md.out()).isZero();
        assertThat(Files.readString(markdown)).contains("| app1 | changed |", "| app2 | rolled back |", "**127.0.0.1:53**",
                "lifted by the rollback", "| verified |");

        // the check below can see an error: a page with one shows it
        Path broken = Files.writeString(work.resolve("broken.html"), "<!DOCTYPE html><p>x</p><script>notDefined()</script>");
        assertThat(consoleLines(chromium(work, "--dump-dom", broken.toUri().toString()).err())).isNotEmpty();
        Browser dom = chromium(work, "--dump-dom", html.toUri().toString());
        assertThat(dom.code()).as(dom.err()).isZero();
        assertThat(consoleLines(dom.err())).as("console messages while loading the report").isEmpty();
        assertThat(dom.out()).contains("<svg class=\"timeline\"");
        assertThat(rows(dom.out())).containsExactly("app1", "app2");
        String app2Row = dom.out().substring(dom.out().indexOf("data-host=\"app2\""));
        assertThat(app2Row.substring(0, app2Row.indexOf("</g>"))).contains("class=\"ban\"", "class=\"step-failed\"",
                "class=\"rollback\"");

        Path png = work.resolve("report.png");
        Browser shot = chromium(work, "--hide-scrollbars", "--window-size=1100,1400", "--screenshot=" + png,
                html.toUri().toString());
        assertThat(shot.code()).as(shot.err()).isZero();
        BufferedImage image = ImageIO.read(png.toFile());
        Files.copy(png, Path.of("target/report-lab.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Pixels pixels = Pixels.of(image);
        System.out.printf("report screenshot %dx%d: %.1f%% not white, chart rows %d-%d: %d ban, %d changed, %d failed, "
                        + "%d rollback pixels%n", image.getWidth(), image.getHeight(), pixels.nonWhitePercent(), pixels.chartTop(),
                pixels.chartBottom(), pixels.ban(), pixels.changed(), pixels.failed(), pixels.rollback());
        assertThat(pixels.nonWhitePercent()).as("the page is not blank").isGreaterThan(3);
        // both hosts were banned: two bands of at least 100 px by 8 px where no bar covers them
        assertThat(pixels.ban()).as("ban band pixels").isGreaterThan(1500);
        assertThat(pixels.changed()).as("changed-step bar pixels in the chart").isGreaterThan(1000);
        assertThat(pixels.failed()).as("app2's failed verify in the chart").isGreaterThan(100);
        assertThat(pixels.rollback()).as("app2's rollback in the chart").isGreaterThan(100);
    }

    /** What the screenshot's chart is made of, counted in the rows the ban bands span. */
    private record Pixels(double nonWhitePercent, int chartTop, int chartBottom, int ban, int changed, int failed, int rollback) {

        static Pixels of(BufferedImage image) {
            int width = image.getWidth();
            int height = image.getHeight();
            long nonWhite = 0;
            int top = -1;
            int bottom = -1;
            int ban = 0;
            for (int y = 0; y < height; y++) {
                int inRow = 0;
                for (int x = 0; x < width; x++) {
                    int rgb = image.getRGB(x, y) & 0xffffff;
                    nonWhite += Math.min(r(rgb), Math.min(g(rgb), b(rgb))) < 245 ? 1 : 0;
                    inRow += isBanBand(rgb) ? 1 : 0;
                }
                if (inRow >= 20) { // the legend's swatch is 14 px wide and paler
                    top = top < 0 ? y : top;
                    bottom = y;
                    ban += inRow;
                }
            }
            int changed = 0;
            int failed = 0;
            int rollback = 0;
            for (int y = Math.max(top, 0); y <= bottom; y++) {
                for (int x = 0; x < width; x++) {
                    int rgb = image.getRGB(x, y) & 0xffffff;
                    changed += near(rgb, CHANGED) ? 1 : 0;
                    failed += near(rgb, FAILED) ? 1 : 0;
                    rollback += near(rgb, ROLLBACK) ? 1 : 0;
                }
            }
            return new Pixels(100.0 * nonWhite / ((long) width * height), top, bottom, ban, changed, failed, rollback);
        }

        /** #f6d04d at 55 % over white or the row stripe: about (250, 229, 157). */
        private static boolean isBanBand(int rgb) {
            return r(rgb) > 235 && g(rgb) > 215 && g(rgb) < 240 && b(rgb) > 130 && b(rgb) < 180;
        }

        private static boolean near(int rgb, int colour) {
            return Math.abs(r(rgb) - r(colour)) <= 12 && Math.abs(g(rgb) - g(colour)) <= 12 && Math.abs(b(rgb) - b(colour)) <= 12;
        }

        private static int r(int rgb) {
            return rgb >> 16 & 255;
        }

        private static int g(int rgb) {
            return rgb >> 8 & 255;
        }

        private static int b(int rgb) {
            return rgb & 255;
        }
    }

    private static List<String> rows(String dom) {
        List<String> hosts = new ArrayList<>();
        Matcher m = Pattern.compile("<g class=\"row\" data-host=\"([^\"]*)\"").matcher(dom);
        while (m.find()) {
            hosts.add(m.group(1));
        }
        return hosts;
    }

    /** Chromium logs every console message, an uncaught exception included, as {@code INFO:CONSOLE…} with --enable-logging. */
    private static List<String> consoleLines(String log) {
        return log.lines().filter(l -> l.contains(":CONSOLE") || l.contains("Uncaught")).toList();
    }

    record Browser(int code, String out, String err) {
    }

    /** Debian's headless Chromium (chromium-headless-shell, or chromium --headless), as root: no sandbox. */
    private static Browser chromium(Path work, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(browser());
        command.addAll(List.of("--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
                "--user-data-dir=" + work.resolve("chromium-profile")));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "chromium", ".out");
        Path err = Files.createTempFile(work, "chromium", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("chromium did not finish in 120 s: " + Files.readString(err));
        }
        return new Browser(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static List<String> browser() {
        for (List<String> candidate : List.of(List.of("/usr/bin/chromium-headless-shell"),
                List.of("/usr/bin/chromium", "--headless"))) {
            if (Files.isExecutable(Path.of(candidate.get(0)))) {
                return candidate;
            }
        }
        String why = "no headless Chromium (apt-get install chromium-headless-shell; ./test.sh installs it)";
        if ("true".equals(System.getenv("CI"))) {
            fail(why);
        }
        Assumptions.abort(why);
        return List.of();
    }
}
