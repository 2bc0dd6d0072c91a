package io.cutover.cli;

import io.cutover.engine.Event;
import io.cutover.engine.EventSink;
import io.cutover.ssh.PassphraseSource;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The terminal view of a run: batch starts and each host's outcome as permanent lines, and one
 * status line under them ({@link StatusLine}) — a fleet progress bar and, for every running host,
 * its step, how long it has taken and what it waits for — redrawn on every event, once a second
 * while a host waits, and when the terminal is resized. Step-by-step detail stays in the journal
 * ({@code cutover status}) and {@code --output json}. Anything else printed while the view is on
 * (an interrupt's message, a warning) goes through {@link #above}: above the status line, never
 * onto it.
 *
 * <p>The status line is drawn from column 0 and the cursor is put back there ({@code \r}); every
 * redraw first erases from the cursor to the end of the screen. A terminal that rewraps lines when
 * it narrows (tmux, VTE, iTerm2) keeps the cursor at the line's start, so the erase takes every
 * row the old line now spans: no half-lines stack up. Hand-written rather than a progress-bar
 * library: those draw a single bar and garble the host lines printed between redraws.
 */
final class LiveView implements EventSink, AutoCloseable {

    private static final String ERASE = "\r\033[J";

    private final PrintWriter out;
    private final EventPrinter lines;
    private final IntSupplier columns;
    private final LongSupplier nanos;
    private final Map<String, Host> running = new LinkedHashMap<>();
    private ScheduledExecutorService ticker;
    private int hosts;
    private int finished;
    private boolean ended;
    private boolean paused;

    /** Where a running host is: {@code step} is the step (or phase) name its {@link Event.HostWaiting} events name. */
    private static final class Host {
        final String label;
        final String step;
        final long since;
        String waitingFor;

        Host(String label, String step, long since, String waitingFor) {
            this.label = label;
            this.step = step;
            this.since = since;
            this.waitingFor = waitingFor;
        }
    }

    /** A view of {@code columns} columns on the clock {@code nanos}, with no ticker (tests draw it by events). */
    LiveView(PrintWriter out, IntSupplier columns, LongSupplier nanos) {
        this.out = out;
        this.lines = new EventPrinter(out);
        this.columns = columns;
        this.nanos = nanos;
    }

    /** The view on this process's terminal: its width from the terminal, redrawn on resize and once a second. */
    static LiveView onTerminal(PrintWriter out) {
        TerminalWidth width = TerminalWidth.ofTerminal(System.getenv("COLUMNS"));
        LiveView view = new LiveView(out, width::columns, System::nanoTime);
        width.onResize(view::redraw);
        view.ticker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "live-view-ticker");
            thread.setDaemon(true);
            return thread;
        });
        view.ticker.scheduleAtFixedRate(view::tick, 1, 1, TimeUnit.SECONDS);
        return view;
    }

    @Override
    public synchronized void on(Event event) {
        if (ended) {
            return;
        }
        long now = nanos.getAsLong();
        if (event instanceof Event.RunStarted e) {
            hosts = e.hosts();
            permanent(event);
        } else if (event instanceof Event.HostStarted e) {
            running.put(e.host(), new Host("connecting", null, now, null));
        } else if (event instanceof Event.StepStarted e) {
            running.put(e.host(), new Host(e.name() + " " + e.step() + "/" + e.steps(), e.name(), now, null));
        } else if (event instanceof Event.HostWaiting e) {
            Host host = running.get(e.host());
            if (host != null && e.step().equals(host.step)) {
                host.waitingFor = e.waitingFor();
            } else {
                running.put(e.host(), new Host(e.step(), e.step(), now, e.waitingFor()));
            }
        } else if (event instanceof Event.StepFinished e) {
            Host host = running.get(e.host());
            if (host != null) {
                host.waitingFor = null;
            }
        } else if (event instanceof Event.HostFinished e) {
            running.remove(e.host());
            finished++;
            permanent(event);
        } else if (event instanceof Event.RunFinished) {
            out.print(ERASE);
            out.flush();
            ended = true;
            return;
        } else {
            permanent(event);
        }
        draw();
    }

    /** Prints {@code line} on {@code target} above the status line, which is then drawn again under it. */
    synchronized void above(PrintWriter target, String line) {
        out.print(ERASE);
        out.flush();
        target.println(line);
        target.flush();
        if (!ended) {
            draw();
        }
    }

    /** A writer whose every line goes {@link #above} the status line, on {@code target}: for warnings during the run. */
    PrintWriter writerAbove(PrintWriter target) {
        return new PrintWriter(new Writer() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void write(char[] chars, int offset, int length) {
                synchronized (line) {
                    for (int i = offset; i < offset + length; i++) {
                        if (chars[i] == '\n') {
                            above(target, line.toString());
                            line.setLength(0);
                        } else if (chars[i] != '\r') {
                            line.append(chars[i]);
                        }
                    }
                }
            }

            @Override
            public void flush() {
                // whole lines only: a part line waits for its end
            }

            @Override
            public void close() {
                flush();
            }
        }, true);
    }

    /**
     * {@code source}, with the status line off while it asks on the terminal (an SSH key's
     * passphrase): neither an event nor the ticker draws over the prompt.
     */
    PassphraseSource pausedFor(PassphraseSource source) {
        return new PassphraseSource() {
            @Override
            public Optional<char[]> passphraseFor(Path keyFile) {
                synchronized (LiveView.this) {
                    paused = true;
                    out.print(ERASE);
                    out.flush();
                }
                try {
                    return source.passphraseFor(keyFile);
                } finally {
                    synchronized (LiveView.this) {
                        paused = false;
                        redraw();
                    }
                }
            }

            @Override
            public String whenMissing() {
                return source.whenMissing();
            }
        };
    }

    /** Draws the status line again at the terminal's width now (after a resize). */
    synchronized void redraw() {
        if (!ended) {
            draw();
        }
    }

    /** Once a second: elapsed times move while nothing else happens. */
    private synchronized void tick() {
        if (!ended && !running.isEmpty()) {
            draw();
        }
    }

    private void permanent(Event event) {
        out.print(ERASE);
        lines.on(event);
    }

    private void draw() {
        if (paused) {
            return;
        }
        long now = nanos.getAsLong();
        List<StatusLine.Running> shown = running.entrySet().stream()
                .map(e -> new StatusLine.Running(e.getKey(), e.getValue().label, Duration.ofNanos(now - e.getValue().since),
                        e.getValue().waitingFor))
                .toList();
        out.print(ERASE + StatusLine.render(columns.getAsInt(), finished, hosts, shown) + "\r");
        out.flush();
    }

    /** Stops the ticker and the resize handler; the status line, if still drawn, is erased. */
    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            TerminalWidth.ignoreResize();
        }
        if (!ended) {
            out.print(ERASE);
            out.flush();
            ended = true;
        }
    }
}
