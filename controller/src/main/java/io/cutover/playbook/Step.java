package io.cutover.playbook;

import io.cutover.yaml.Location;

/** One entry of a playbook's {@code steps}: a single action, or a guarded block of actions. */
public sealed interface Step permits ActionStep, Block {

    String name();

    Location location();
}
