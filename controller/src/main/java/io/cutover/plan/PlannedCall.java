package io.cutover.plan;

import io.cutover.helper.HelperCall;
import io.cutover.helper.HelperException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One helper invocation as the plan holds it: the exact call apply sends, except for the values
 * only a run can know, which are typed {@link Slot}s filled at send time ({@link #toSend}) — never
 * a recomputation from the plan. {@link #shown()} is the call as {@code plan} prints it.
 */
public record PlannedCall(String subcommand, List<Word> args, byte[] stdin, String stdinDescription) {

    /** A value the plan cannot know: what the plan shows in its place. */
    public enum Slot {
        /** The name the step's trigger made the process look up (the trigger's result, {@code qname}). */
        QNAME("<the name the trigger looked up>");

        private final String shown;

        Slot(String shown) {
            this.shown = shown;
        }

        public String shown() {
            return shown;
        }
    }

    /** One argument: known text, or a slot. */
    public sealed interface Word {
    }

    public record Text(String value) implements Word {

        public Text {
            Objects.requireNonNull(value, "value");
        }
    }

    public record Blank(Slot slot) implements Word {

        public Blank {
            Objects.requireNonNull(slot, "slot");
        }
    }

    /** What a run knows when it sends a call; {@code null} where it does not know it (yet). */
    public record RunValues(String qname) {
    }

    public PlannedCall {
        Objects.requireNonNull(subcommand, "subcommand");
        args = List.copyOf(args);
        stdin = stdin == null ? new byte[0] : stdin.clone();
    }

    /** The call exactly as planned, every argument known. */
    static PlannedCall of(HelperCall call) {
        return new PlannedCall(call.subcommand(), call.args().stream().<Word>map(Text::new).toList(), call.stdin(),
                call.stdinDescription());
    }

    /**
     * The call with its slots filled from what the run knows now.
     *
     * @throws HelperException for a slot the run does not know (no trigger before it reported a qname): the step fails
     */
    public HelperCall toSend(RunValues values) {
        return render(slot -> switch (slot) {
            case QNAME -> {
                if (values.qname() == null) {
                    throw new HelperException(subcommand + " needs " + slot.shown() + ", but no trigger before it reported one");
                }
                yield values.qname();
            }
        });
    }

    /** The call as the plan shows it: each slot as what it stands for. */
    public HelperCall shown() {
        return render(Slot::shown);
    }

    /** The slots this call waits for. */
    public List<Slot> slots() {
        return args.stream().filter(Blank.class::isInstance).map(w -> ((Blank) w).slot()).toList();
    }

    /** This call without an option and its value wherever it occurs ({@code --forbid 10.0.0.1}). */
    public PlannedCall without(String option) {
        List<Word> kept = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i) instanceof Text t && t.value().equals(option)) {
                i++;
                continue;
            }
            kept.add(args.get(i));
        }
        return new PlannedCall(subcommand, kept, stdin, stdinDescription);
    }

    private HelperCall render(java.util.function.Function<Slot, String> fill) {
        List<String> words = args.stream().map(w -> w instanceof Text t ? t.value() : fill.apply(((Blank) w).slot())).toList();
        return new HelperCall(subcommand, words, stdin, stdinDescription);
    }

    @Override
    public byte[] stdin() {
        return stdin.clone();
    }
}
