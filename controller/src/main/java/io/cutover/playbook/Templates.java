package io.cutover.playbook;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Recognises FreeMarker expressions in playbook values ({@code ${…}}) and the names they use. */
public final class Templates {

    /** Names every template may use besides the playbook's vars. */
    public static final Set<String> BUILTIN_NAMES = Set.of("facts", "inventory_hostname", "run_id");

    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern LEADING_NAME = Pattern.compile("^\\s*\\(?\\s*([A-Za-z_][A-Za-z0-9_]*)");

    private Templates() {
    }

    public static boolean isTemplate(Object value) {
        if (value instanceof String text) {
            return text.contains("${") || text.contains("<#");
        }
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(Templates::isTemplate);
        }
        return false;
    }

    /** The top-level names a value's {@code ${…}} expressions start with, e.g. {@code facts} in {@code ${facts.x}}. */
    public static Set<String> referencedNames(Object value) {
        Set<String> names = new LinkedHashSet<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> names.addAll(referencedNames(item)));
        } else if (value instanceof String text) {
            Matcher m = INTERPOLATION.matcher(text);
            while (m.find()) {
                Matcher name = LEADING_NAME.matcher(m.group(1));
                if (name.find()) {
                    names.add(name.group(1));
                }
            }
        }
        return names;
    }
}
