package io.cutover.inventory;

import io.cutover.yaml.Location;

/** The host and group names every inventory format refuses: ones no host pattern could ever select. */
final class Names {

    private Names() {
    }

    /** Refuses (or, lenient, warns about) a {@code what} ("host" or "group") name that no --limit can select. */
    static void check(Strictness strictness, Location location, String what, String name) {
        String problem = null;
        if (!name.equals(name.strip())) {
            problem = "starts or ends with a space";
        } else if (name.chars().anyMatch(Character::isWhitespace)) {
            problem = "contains a space";
        } else if (name.indexOf(',') >= 0) {
            problem = "contains a comma";
        } else if (what.equals("group") && name.indexOf(':') >= 0) {
            problem = "contains a colon";
        } else if ("!&~@".indexOf(name.charAt(0)) >= 0) {
            problem = "starts with `" + name.charAt(0) + "`";
        }
        if (problem != null) {
            strictness.refuse(location, what + " name `" + name + "` " + problem
                    + ", so no --limit pattern can select it; rename it");
        }
    }
}
