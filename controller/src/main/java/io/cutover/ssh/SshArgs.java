package io.cutover.ssh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The ssh(1) options an inventory gives ({@link SshHost.Args}), read as
 * data (never run). Understood: {@code -o Keyword=value} / {@code -o Keyword value} / {@code -oKeyword=value}
 * for the keywords in {@link #HONOURED}, {@code -i}, {@code -p}, {@code -l}, {@code -J}. Everything else
 * is reported through the warning sink and ignored. The first value of a keyword wins, as in ssh.
 */
final class SshArgs {
    static final Set<String> HONOURED = Set.of("hostname", "port", "user", "identityfile", "proxyjump",
            "userknownhostsfile", "stricthostkeychecking", "connecttimeout", "serveraliveinterval", "identityagent");
    /** Options that change nothing we do (or only OpenSSH's own multiplexing): ignored silently. */
    private static final Set<String> HARMLESS = Set.of("controlmaster", "controlpersist", "controlpath",
            "serveralivecountmax", "compression", "loglevel", "batchmode", "forwardagent",
            "preferredauthentications", "pubkeyauthentication", "passwordauthentication", "identitiesonly",
            "kbdinteractiveauthentication", "gssapiauthentication", "tcpkeepalive", "addkeystoagent");
    private static final Set<Character> FLAGS_WITH_ARGUMENT = Set.of('b', 'c', 'D', 'E', 'e', 'F', 'I', 'L',
            'm', 'O', 'Q', 'R', 'S', 'W', 'w', 'B');

    final Map<String, String> options = new LinkedHashMap<>();
    final List<String> identityFiles = new ArrayList<>();

    static SshArgs parse(String host, String variable, String value, Consumer<String> warnings) {
        SshArgs args = new SshArgs();
        if (value == null || value.isBlank()) {
            return args;
        }
        List<String> words;
        try {
            words = CommandLineWords.split(value);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(host, variable + ": " + e.getMessage());
        }
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (!word.startsWith("-") || word.length() < 2) {
                warnings.accept(host + ": " + variable + ": ignoring unexpected word '" + word + "'");
                continue;
            }
            char flag = word.charAt(1);
            String attached = word.substring(2);
            boolean takesArgument = "oiplJ".indexOf(flag) >= 0 || FLAGS_WITH_ARGUMENT.contains(flag);
            String argument = attached;
            if (takesArgument && attached.isEmpty()) {
                if (i + 1 >= words.size()) {
                    throw new SettingsException(host, variable + ": " + word + " needs a value");
                }
                argument = words.get(++i);
            }
            switch (flag) {
                case 'o' -> {
                    String option = argument;
                    int eq = option.indexOf('=');
                    String keyword;
                    String optionValue;
                    if (eq >= 0) {
                        keyword = option.substring(0, eq).strip();
                        optionValue = option.substring(eq + 1).strip();
                    } else {
                        List<String> parts = CommandLineWords.split(option);
                        keyword = parts.isEmpty() ? "" : parts.get(0);
                        optionValue = parts.size() > 1 ? String.join(" ", parts.subList(1, parts.size())) : "";
                    }
                    args.option(host, variable, keyword.toLowerCase(Locale.ROOT), optionValue, warnings);
                }
                case 'i' -> args.identityFiles.add(argument);
                case 'p' -> args.options.putIfAbsent("port", argument);
                case 'l' -> args.options.putIfAbsent("user", argument);
                case 'J' -> args.options.putIfAbsent("proxyjump", argument);
                default -> {
                    if (takesArgument) {
                        warnings.accept(host + ": " + variable + ": ignoring unsupported option -" + flag + " "
                                + argument);
                    }
                    // argument-less flags (-q, -C, -T, -v…) change nothing here
                }
            }
        }
        return args;
    }

    private void option(String host, String variable, String keyword, String value, Consumer<String> warnings) {
        if (value.isEmpty()) {
            throw new SettingsException(host, variable + ": -o " + keyword + " has no value");
        }
        if (keyword.equals("identityfile")) {
            identityFiles.add(value);
        } else if (HONOURED.contains(keyword)) {
            options.putIfAbsent(keyword, value);
        } else if (keyword.equals("proxycommand")) {
            warnings.accept(host + ": " + variable + ": ProxyCommand is not supported and is ignored;"
                    + " use ProxyJump=[user@]host[:port] instead");
        } else if (!HARMLESS.contains(keyword)) {
            warnings.accept(host + ": " + variable + ": ignoring unsupported ssh option " + keyword + "=" + value);
        }
    }
}
