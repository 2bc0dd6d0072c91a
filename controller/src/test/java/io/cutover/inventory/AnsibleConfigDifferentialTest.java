package io.cutover.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import io.cutover.yaml.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every ansible.cfg under test resources/ansible-cfg read by Debian's ansible-core ({@code ansible-config
 * dump}) and by {@link AnsibleConfig}: the settings cutover uses must have the same values, and a file
 * Ansible refuses must be refused. Ansible's configparser quirks (inline `;` only after a space, `#`
 * never inline, continuation lines, [DEFAULT], duplicate keys, the first of `=`/`:`) are decided by
 * ansible-core itself here, not by what we think it does.
 */
class AnsibleConfigDifferentialTest {

    private static final Path CASES = Path.of("src/test/resources/ansible-cfg");
    private static final Pattern DUMP_LINE = Pattern.compile("^([A-Z_]+)\\((.*)\\) = (.*)$");

    /** ansible-config's name for each setting, and how to print cutover's value as Python prints Ansible's. */
    private static final Map<String, Function<AnsibleConfig, Optional<String>>> SETTINGS = new LinkedHashMap<>();

    static {
        SETTINGS.put("DEFAULT_REMOTE_USER", c -> c.remoteUser().map(s -> s.value()));
        SETTINGS.put("DEFAULT_REMOTE_PORT", c -> c.remotePort().map(s -> s.value().toString()));
        SETTINGS.put("DEFAULT_PRIVATE_KEY_FILE", c -> c.privateKeyFile().map(s -> s.value().toString()));
        SETTINGS.put("DEFAULT_FORKS", c -> c.forks().map(s -> s.value().toString()));
        SETTINGS.put("DEFAULT_TIMEOUT", c -> c.timeout().map(s -> Long.toString(s.value().toSeconds())));
        SETTINGS.put("HOST_KEY_CHECKING", c -> c.hostKeyChecking().map(s -> s.value() ? "True" : "False"));
        SETTINGS.put("DEFAULT_BECOME", c -> c.become().map(s -> s.value() ? "True" : "False"));
        SETTINGS.put("DEFAULT_BECOME_USER", c -> c.becomeUser().map(s -> s.value()));
        SETTINGS.put("DEFAULT_HOST_LIST", c -> c.inventory().map(s -> s.value().stream().map(p -> "'" + p + "'")
                .reduce((a, b) -> a + ", " + b).map(l -> "[" + l + "]").orElse("[]")));
    }

    @TempDir
    Path dir;

    static Stream<String> cases() throws IOException {
        try (Stream<Path> files = Files.list(CASES)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void cutoverReadsAnsibleCfgAsAnsibleCoreDoes(String name) throws Exception {
        Path cfg = dir.resolve("ansible.cfg");
        Files.copy(CASES.resolve(name), cfg);
        Map<String, String> env = Map.of("ANSIBLE_CONFIG", cfg.toString());

        Optional<Map<String, String>> ansible = ansibleConfigDump(env);

        if (ansible.isEmpty()) {
            assertThatThrownBy(() -> AnsibleConfig.load(env, dir, dir, w -> { }))
                    .as("ansible-core refuses %s", name).isInstanceOf(InputException.class)
                    .hasMessageStartingWith(cfg.toString() + ":");
            return;
        }
        AnsibleConfig ours = AnsibleConfig.load(env, dir, dir, w -> { });
        Map<String, String> expected = new HashMap<>();
        Map<String, String> actual = new HashMap<>();
        SETTINGS.forEach((setting, get) -> {
            Optional.ofNullable(ansible.get().get(setting)).ifPresent(v -> expected.put(setting, v));
            get.apply(ours).ifPresent(v -> actual.put(setting, v));
        });
        assertThat(actual).as(name).isEqualTo(expected);
    }

    /** The settings ansible-config says come from the file, or empty when it refuses the file. */
    private Optional<Map<String, String>> ansibleConfigDump(Map<String, String> env) throws Exception {
        Path tool = Path.of("/usr/bin/ansible-config");
        if (!Files.isExecutable(tool)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("ansible-config (Debian's ansible-core) is missing; test.sh installs it");
            }
            Assumptions.abort("ansible-config is not installed");
        }
        ProcessBuilder builder = new ProcessBuilder(tool.toString(), "dump").directory(dir.toFile())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("ANSIBLE_"));
        builder.environment().putAll(env);
        builder.environment().put("HOME", dir.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("ansible-config did not finish in 60 s");
        }
        if (process.exitValue() != 0) {
            return Optional.empty();
        }
        Map<String, String> fromFile = new HashMap<>();
        String last = null; // a multi-line value goes on over the lines that are not `NAME(origin) = value`
        for (String line : output.split("\n")) {
            Matcher m = DUMP_LINE.matcher(line);
            if (m.matches()) {
                last = m.group(2).equals("default") ? null : m.group(1);
                if (last != null) {
                    fromFile.put(last, m.group(3));
                }
            } else if (last != null) {
                fromFile.merge(last, "\n" + line, String::concat);
            }
        }
        return Optional.of(fromFile);
    }
}
