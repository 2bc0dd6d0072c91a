package io.cutover.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * lab/pgload.py held open through every app host's pgbouncer while a rollout runs: idle sessions,
 * sessions inside an open transaction, busy ones querying every few ms. {@link #stop()} returns
 * its JSON verdict (sessions dropped, failed queries, transactions kept, longest stall per host).
 */
final class ClientLoad implements AutoCloseable {

    private final Process process;
    private final Path stopFile;
    private final Path output;

    private ClientLoad(Process process, Path stopFile, Path output) {
        this.process = process;
        this.stopFile = stopFile;
        this.output = output;
    }

    static ClientLoad start(Lab lab, Path dir) throws IOException, InterruptedException {
        return start(lab, dir, List.of());
    }

    /** With more pgload.py options, e.g. {@code --group real --hosts trixie-plain}. */
    static ClientLoad start(Lab lab, Path dir, List<String> options) throws IOException, InterruptedException {
        Path ready = dir.resolve("load.ready");
        Path stop = dir.resolve("load.stop");
        Path output = dir.resolve("load.json");
        List<String> command = new ArrayList<>(List.of("python3", Lab.REPO.resolve("lab/pgload.py").toString(), "--inventory",
                lab.inventory().toString(), "--until-stopped", "--duration", "600", "--ready-file", ready.toString(),
                "--stop-file", stop.toString()));
        command.addAll(options);
        Process process = new ProcessBuilder(command)
                .redirectOutput(output.toFile()).redirectError(dir.resolve("load.err").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(ready)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new AssertionError("the client load did not open its sessions: " + Files.readString(dir.resolve("load.err")));
            }
            Thread.sleep(20);
        }
        return new ClientLoad(process, stop, output);
    }

    JsonNode stop() throws IOException, InterruptedException {
        Files.createFile(stopFile);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the client load did not stop");
        }
        return new ObjectMapper().readTree(output.toFile());
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
