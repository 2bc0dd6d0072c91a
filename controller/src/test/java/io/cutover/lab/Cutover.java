package io.cutover.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the built jar as a user would (a separate process, so it can be SIGKILLed). */
final class Cutover {

    static final Path JAR = Path.of(System.getenv().getOrDefault("CUTOVER_JAR", "target/cutover.jar")).toAbsolutePath();

    record Result(int code, String out, String err) {
    }

    static Process start(Path runsDir, Path output, String... args) throws IOException {
        return builder(runsDir, args).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static ProcessBuilder builder(Path runsDir, String... args) {
        List<String> command = new ArrayList<>(List.of(javaBin(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        if (List.of("apply", "resume", "rollback", "status", "report").contains(args[0])) {
            command.addAll(List.of("--runs-dir", runsDir.toString()));
        }
        return new ProcessBuilder(command).directory(Lab.REPO.toFile());
    }

    /** Runs to the end; {@code out} and {@code err} are both what it printed, stdout and stderr as a terminal shows them. */
    static Result run(Path runsDir, String... args) {
        Result result = run(builder(runsDir, args).redirectErrorStream(true), args);
        return new Result(result.code(), result.out(), result.out());
    }

    /** Runs to the end with stdout and stderr apart: what a script piping stdout (to jq, say) gets in {@code out}. */
    static Result runApart(Path runsDir, String... args) {
        return run(builder(runsDir, args), args);
    }

    private static Result run(ProcessBuilder builder, String... args) {
        try {
            Path output = Files.createTempFile("cutover", ".out");
            Path errors = Files.createTempFile("cutover", ".err");
            Process process = builder.redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
            if (!process.waitFor(300, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("cutover " + String.join(" ", args) + " did not finish in 300 s");
            }
            Result result = new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8),
                    Files.readString(errors, StandardCharsets.UTF_8));
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
            return result;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
