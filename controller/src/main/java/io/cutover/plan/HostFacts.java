package io.cutover.plan;

import io.cutover.render.Unknown;

/**
 * Everything the planner may know about one host before changing it. Offline plans use
 * {@link #offline()}, where every fact is an {@link Unknown}; online plans get the helper's
 * read-only {@code facts} report. Planning is pure given these facts.
 */
public interface HostFacts {

    /** The facts tree (maps, lists, scalars) as templates see it under {@code facts}. */
    Object tree();

    /** The current content of a file the plan would change. */
    CurrentFile file(String path);

    /** The facts, parsed: what plan, preflight and the helper calls decide from. */
    HelperFacts parsed();

    static HostFacts offline() {
        return new HostFacts() {
            @Override
            public Object tree() {
                return new Unknown("facts");
            }

            @Override
            public CurrentFile file(String path) {
                return CurrentFile.UNKNOWN;
            }

            @Override
            public HelperFacts parsed() {
                return HelperFacts.OFFLINE;
            }
        };
    }
}
