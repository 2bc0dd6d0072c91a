package io.cutover.render;

import java.util.Objects;

/**
 * A value only a live host can decide, shown in offline plans as {@code <facts: resolv.nameservers>}.
 * Anything computed from an unknown stays unknown; type checks of such values wait for the facts.
 */
public record Unknown(String what) {

    public Unknown {
        Objects.requireNonNull(what, "what");
    }

    /** Text rendered from templates that used an unknown: shown as rendered, placeholders inside. */
    static Unknown rendered(String text) {
        return new Unknown(text);
    }

    @Override
    public String toString() {
        return what.contains("<") ? what : "<" + what + ">";
    }
}
