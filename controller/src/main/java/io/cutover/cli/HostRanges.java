package io.cutover.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Host names written compactly, in the inventory's own range syntax: app1…app20 as {@code app[1:20]},
 * pgb-dc1-01…12.example.com as {@code pgb-dc1-[01:12].example.com} (the padding kept). Names are
 * grouped by what surrounds their last number; runs of three or more become a range, the rest stay
 * names. A user can paste the result into {@code --limit}.
 */
final class HostRanges {

    private static final Pattern NUMBERED = Pattern.compile("^(.*?)(\\d+)(\\D*)$");

    private HostRanges() {
    }

    static String compact(List<String> hosts) {
        // zero-padded names (web01) range with names of the same width (web12); unpadded ones (app9, app10) together
        Set<String> padded = new HashSet<>();
        for (String host : hosts) {
            Matcher m = NUMBERED.matcher(host);
            if (m.matches() && m.group(2).length() > 1 && m.group(2).startsWith("0")) {
                padded.add(m.group(1) + "\u0000" + m.group(3));
            }
        }
        Map<String, Family> families = new LinkedHashMap<>();
        List<String> parts = new ArrayList<>();
        for (String host : hosts) {
            Matcher m = NUMBERED.matcher(host);
            if (!m.matches()) {
                parts.add(host);
                continue;
            }
            String digits = m.group(2);
            String around = m.group(1) + "\u0000" + m.group(3);
            int width = padded.contains(around) ? digits.length() : 0;
            String key = around + "\u0000" + width;
            Family family = families.computeIfAbsent(key, k -> {
                parts.add(k);
                return new Family(m.group(1), m.group(3), width, new TreeSet<>());
            });
            family.numbers().add(Long.parseLong(digits));
        }
        List<String> out = new ArrayList<>();
        for (String part : parts) {
            Family family = families.get(part);
            if (family == null) {
                out.add(part);
            } else {
                out.addAll(family.written());
            }
        }
        return String.join(", ", out);
    }

    private record Family(String prefix, String suffix, int width, TreeSet<Long> numbers) {

        List<String> written() {
            List<String> out = new ArrayList<>();
            List<Long> run = new ArrayList<>();
            for (long n : numbers) {
                if (!run.isEmpty() && n != run.get(run.size() - 1) + 1) {
                    flush(run, out);
                }
                run.add(n);
            }
            flush(run, out);
            return out;
        }

        private void flush(List<Long> run, List<String> out) {
            if (run.size() >= 3) {
                out.add(prefix + "[" + number(run.get(0)) + ":" + number(run.get(run.size() - 1)) + "]" + suffix);
            } else {
                run.forEach(n -> out.add(prefix + number(n) + suffix));
            }
            run.clear();
        }

        private String number(long n) {
            return width == 0 ? Long.toString(n) : String.format("%0" + width + "d", n);
        }
    }
}
