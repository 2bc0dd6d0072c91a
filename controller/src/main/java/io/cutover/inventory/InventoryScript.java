package io.cutover.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.cutover.yaml.InputException;
import io.cutover.yaml.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An executable inventory source, run as Ansible's script plugin runs it: {@code SCRIPT --list}
 * must exit 0 and print a JSON object; {@code SCRIPT --host NAME} gives one host's vars when the
 * listing has no {@code _meta}. Runs in the current directory with the caller's environment, as
 * Ansible does; unlike Ansible, a script that hangs is stopped after {@code timeout}.
 */
final class InventoryScript {

    /** Python's json module reads NaN and Infinity; so must we. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    /** Output beyond this is not an inventory (and would exhaust memory). */
    private static final int MAX_OUTPUT = 64 * 1024 * 1024;

    private final Path script;
    private final Duration timeout;
    private final Strictness strictness;

    InventoryScript(Path script, Duration timeout, Strictness strictness) {
        this.script = Objects.requireNonNull(script, "script");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.strictness = strictness;
    }

    private record Run(int exitCode, byte[] out, String err) {
    }

    /** The parsed output of {@code SCRIPT --list}. */
    Object list() {
        Run run = run("--list");
        if (run.exitCode != 0) {
            throw new InputException(Location.of(script), "inventory script `" + script + " --list` exited with status "
                    + run.exitCode + stderr(run) + "; run it by hand to see why");
        }
        return parse(run, "--list");
    }

    /** The vars {@code SCRIPT --host NAME} prints; null when it prints nothing. */
    Object host(String name) {
        Run run = run("--host", name);
        if (run.exitCode != 0) {
            strictness.refuse(Location.of(script), "inventory script `" + script + " --host " + name + "` exited with"
                    + " status " + run.exitCode + stderr(run) + " (Ansible would ignore the status); make it exit 0, or"
                    + " have --list print `_meta.hostvars` so that --host is not needed");
        }
        if (new String(run.out, StandardCharsets.UTF_8).isBlank()) {
            return null;
        }
        return parse(run, "--host " + name);
    }

    private Object parse(Run run, String args) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(run.out)).toString();
        } catch (CharacterCodingException e) {
            throw new InputException(Location.of(script), "inventory script `" + script + " " + args
                    + "` printed text that is not UTF-8");
        }
        try {
            return plain(JSON.readTree(text));
        } catch (JsonProcessingException e) {
            String shown = text.strip();
            shown = shown.length() > 200 ? shown.substring(0, 200) + "…" : shown;
            throw new InputException(Location.of(script), "inventory script `" + script + " " + args + "` did not print"
                    + " JSON (" + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + "); it printed: "
                    + (shown.isEmpty() ? "nothing" : shown) + stderr(run));
        }
    }

    private Run run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new InputException(Location.of(script), "cannot run inventory script `" + String.join(" ", command)
                    + "`: " + e.getMessage());
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new InputException(Location.of(script), "inventory script `" + String.join(" ", command)
                        + "` did not finish within " + timeout.toSeconds() + " s and was stopped; make it faster, or"
                        + " save its output once (`" + String.join(" ", command) + " > inventory.json`) and use that file");
            }
            return new Run(process.exitValue(), out.get(), new String(err.get(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InputException(Location.of(script), "interrupted while running the inventory script");
        } catch (ExecutionException e) {
            throw new UncheckedIOException(new IOException(e.getCause()));
        }
    }

    private static byte[] drain(InputStream stream) {
        try (stream) {
            byte[] data = stream.readNBytes(MAX_OUTPUT);
            stream.transferTo(java.io.OutputStream.nullOutputStream());
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String stderr(Run run) {
        String err = run.err.strip();
        if (err.isEmpty()) {
            return "";
        }
        return "; it printed on stderr: " + (err.length() > 500 ? err.substring(0, 500) + "…" : err).replace("\n", " | ");
    }

    /** JSON as plain values: ints as Integer/Long/BigInteger (as YAML gives them), objects in order. */
    private static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(field -> map.put(field.getKey(), plain(field.getValue())));
            return Collections.unmodifiableMap(map);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(plain(item)));
            return Collections.unmodifiableList(list);
        }
        if (node.isIntegralNumber()) {
            return PythonNumber.narrow(node.bigIntegerValue());
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.isNull() ? null : node.asText();
    }
}
