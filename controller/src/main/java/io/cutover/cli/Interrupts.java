package io.cutover.cli;

import java.io.PrintWriter;
import java.util.function.IntConsumer;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) for the whole process. {@link Main} installs it before anything else runs, so an
 * interrupt at any instant has a defined ending: before a run takes it over, one line and exit 130
 * (nothing has been changed on any host); while a run or a rollback holds it ({@link #hold}), that
 * holder's own handler, told how many interrupts came (1, 2, …); once the holder lets go, exit 130.
 */
final class Interrupts {

    /** What a command that changes hosts does on its n-th interrupt. */
    @FunctionalInterface
    interface Handler {
        void interrupted(int count);
    }

    /** Implemented by the option groups that hand the interrupts on to a run. */
    interface Aware {
        void interrupts(Interrupts interrupts);
    }

    private final PrintWriter err;
    private final IntConsumer exit;
    private boolean holding;
    private boolean held;
    private Handler holder;
    private int count;

    /** Interrupts that {@link #interrupted()} is called for, ending the process with {@code exit}. */
    Interrupts(PrintWriter err, IntConsumer exit) {
        this.err = err;
        this.exit = exit;
    }

    /** This process's SIGINT, from now on. Without one (a platform that has none) nothing is installed. */
    static Interrupts install(PrintWriter err) {
        Interrupts interrupts = new Interrupts(err, code -> Runtime.getRuntime().exit(code));
        try {
            Signal.handle(new Signal("INT"), signal -> interrupts.interrupted());
        } catch (IllegalArgumentException e) {
            // no SIGINT here, or the JVM was started with it ignored (nohup, `&` in a script): it stays so
        }
        return interrupts;
    }

    /** One interrupt: the holder's (kept for it until it is handed one), or the end of the process. */
    void interrupted() {
        Handler handler;
        int n;
        boolean before;
        synchronized (this) {
            n = ++count;
            if (holding) {
                handler = holder;
                if (handler == null) {
                    return; // counted: the scope hands it on with its handler
                }
            } else {
                handler = null;
            }
            before = !held;
        }
        if (handler != null) {
            handler.interrupted(n);
            return;
        }
        // on a terminal the line the tty echoed ^C onto is ended first: the message gets a line of its own
        err.print(System.console() != null ? System.lineSeparator() : "");
        err.println(before ? "cutover: interrupted before any host was touched: nothing done."
                : "cutover: interrupted as the run ended; `cutover status` shows what it did.");
        err.flush();
        exit.accept(ExitCode.INTERRUPTED);
    }

    /** Ends the process now with {@code code}, for a holder whose interrupt cannot wait (a rollback). */
    void exit(int code) {
        exit.accept(code);
    }

    /**
     * From now until the scope closes, an interrupt no longer ends the process: it is counted, and
     * given to the scope's handler once there is one ({@link Scope#handTo}). Taken before a run's
     * journal is written, so that no interrupt can leave a journal whose run never ended.
     */
    synchronized Scope hold() {
        holding = true;
        held = true;
        holder = null;
        count = 0;
        return new Scope();
    }

    /** Interrupts held for a command that changes hosts. */
    final class Scope implements AutoCloseable {

        private Scope() {
        }

        /** The held interrupts go to {@code handler}: at once those that came already, then each as it comes. */
        void handTo(Handler handler) {
            int pending;
            synchronized (Interrupts.this) {
                holder = handler;
                pending = count;
            }
            for (int n = 1; n <= pending; n++) {
                handler.interrupted(n);
            }
        }

        @Override
        public void close() {
            synchronized (Interrupts.this) {
                holding = false;
                holder = null;
            }
        }
    }
}
