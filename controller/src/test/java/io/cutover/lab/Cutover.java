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
        List<String> command = new ArrayList<>(List.of(javaBin(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        if (List.of("apply", "resume", "rollback", "status").contains(args[0])) {
            command.addAll(List.of("--runs-dir", runsDir.toString()));
        }
        return new ProcessBuilder(command).directory(Lab.REPO.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
    }

    static Result run(Path runsDir, String... args) {
        try {
            Path output = Files.createTempFile("cutover", ".out");
            Process process = start(runsDir, output, args);
            if (!process.waitFor(300, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("cutover " + String.join(" ", args) + " did not finish in 300 s");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            Files.deleteIfExists(output);
            return new Result(process.exitValue(), text, text);
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
