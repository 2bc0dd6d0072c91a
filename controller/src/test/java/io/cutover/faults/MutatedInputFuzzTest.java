package io.cutover.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded random mutator over a valid inventory, playbook and vars file (characters deleted,
 * inserted, duplicated lines, swapped lines, re-indented, truncated, YAML punctuation dropped in).
 * Every mutant either still plans (exit 0) or is refused the way bad input must be: exit 2, one
 * error line naming the file (or the var and where it came from), no stack trace, no connection.
 * Deterministic: the seed is fixed (FUZZ_SEED overrides it, FUZZ_CASES the count).
 */
class MutatedInputFuzzTest {

    private static final long SEED = Long.parseLong(System.getenv().getOrDefault("FUZZ_SEED", "20261125"));
    private static final int CASES = Integer.parseInt(System.getenv().getOrDefault("FUZZ_CASES", "500"));
    private static final String[] JUNK = {":", ": ", "-", "- ", "  ", "\t", "{", "}", "[", "]", "\"", "'", "&a ", "*a", "!!int ",
        "!!python/object ", "%", "@", "`", "|", ">", "#", "\n", "\0", "é", "\uFEFF", "$(id)", "${", "}}", "<<: ", "? ", ",", "~",
        "0x", "1e9", ".inf", "yes", "null", "---\n", "...\n"};

    @TempDir
    Path dir;

    @Test
    void everyMutantPlansOrIsRefusedCleanlyWithoutAConnection() throws IOException {
        Random random = new Random(SEED);
        int refused = 0;
        int planned = 0;
        List<String> failures = new ArrayList<>();
        try (Fixture fixture = new Fixture(dir)) {
            String inventory = Files.readString(fixture.inventory);
            String playbook = Files.readString(fixture.playbook);
            String vars = Files.readString(fixture.vars);
            for (int i = 0; i < CASES; i++) {
                int which = random.nextInt(3);
                String original = which == 0 ? inventory : which == 1 ? playbook : vars;
                String mutant = mutate(original, random, 1 + random.nextInt(3));
                Path file = switch (which) {
                    case 0 -> dir.resolve("mutant-" + i + ".yml");
                    case 1 -> fixture.playbook.resolveSibling("mutant-" + i + ".yml");
                    default -> dir.resolve("vars-mutant-" + i + ".yml");
                };
                Files.writeString(file, mutant, StandardCharsets.UTF_8);
                List<String> args = new ArrayList<>(List.of("plan", "--offline"));
                args.addAll(switch (which) {
                    case 0 -> List.of("-i", file.toString(), fixture.playbook.toString(), "-e", "@" + fixture.vars);
                    case 1 -> List.of("-i", fixture.inventory.toString(), file.toString(), "-e", "@" + fixture.vars);
                    default -> List.of("-i", fixture.inventory.toString(), fixture.playbook.toString(), "-e", "@" + file);
                });
                int before = fixture.connections();
                Fixture.Run run = Fixture.run(args.toArray(String[]::new));
                String what = "case " + i + " (seed " + SEED + ", " + file.getFileName() + ")";
                try {
                    Fixture.assertNoStackTrace(run, what);
                    assertThat(run.code()).as("%s: exit code; stderr %s", what, run.err()).isIn(0, 2);
                    if (run.code() == 2) {
                        String error = fixture.assertRefused(run, null, before, what);
                        if (!error.matches(Fixture.NAMES_ITS_SOURCE) && !error.contains(file.getFileName().toString())) {
                            // a mutation may surface where its effect is: a template using a var it
                            // renamed, a value in the vars file that no longer fits the declared type
                            assertThat(error).as("%s: the error names a file and line", what).containsPattern("\\.(yml|ftl):[0-9]+");
                        }
                        refused++;
                    } else {
                        planned++;
                    }
                    Files.delete(file);
                } catch (AssertionError e) {
                    // kept whole, to reproduce: target/fuzz-failures/NAME (run as in `args`)
                    Path kept = Files.createDirectories(Path.of("target", "fuzz-failures")).resolve(file.getFileName());
                    Files.copy(file, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    failures.add(e.getMessage() + "\n--- mutant kept in " + kept.toAbsolutePath() + ", args " + args);
                }
            }
        }
        Fixture.count("mutated inputs (fuzz)", CASES);
        System.out.printf("fuzz: %d mutants (seed %d): %d refused cleanly, %d still valid%n", CASES, SEED, refused, planned);
        assertThat(failures).as("mutants not handled as bad input must be").isEmpty();
        assertThat(refused).as("the mutator produces mostly broken input").isGreaterThan(CASES / 4);
    }

    static String mutate(String text, Random random, int times) {
        String out = text;
        for (int t = 0; t < times; t++) {
            List<String> lines = new ArrayList<>(List.of(out.split("\n", -1)));
            int at = out.isEmpty() ? 0 : random.nextInt(out.length());
            int line = random.nextInt(lines.size());
            switch (random.nextInt(8)) {
                case 0 -> out = out.substring(0, at) + out.substring(Math.min(out.length(), at + 1 + random.nextInt(8)));
                case 1 -> out = out.substring(0, at) + JUNK[random.nextInt(JUNK.length)] + out.substring(at);
                case 2 -> {
                    lines.add(line, lines.get(line));
                    out = String.join("\n", lines);
                }
                case 3 -> {
                    int other = random.nextInt(lines.size());
                    String swap = lines.get(line);
                    lines.set(line, lines.get(other));
                    lines.set(other, swap);
                    out = String.join("\n", lines);
                }
                case 4 -> {
                    lines.set(line, (random.nextBoolean() ? " " : "   ") + lines.get(line));
                    out = String.join("\n", lines);
                }
                case 5 -> out = out.substring(0, at);
                case 6 -> {
                    String l = lines.get(line);
                    int colon = l.indexOf(": ");
                    if (colon > 0) {
                        lines.set(line, l.substring(0, colon + 2) + JUNK[random.nextInt(JUNK.length)] + l.substring(colon + 2));
                    }
                    out = String.join("\n", lines);
                }
                default -> {
                    lines.remove(line);
                    out = String.join("\n", lines);
                }
            }
        }
        return out;
    }
}
