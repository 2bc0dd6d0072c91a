package io.cutover.engine;

/** Receives the engine's events; called from several host threads at once, so implementations synchronise. */
@FunctionalInterface
public interface EventSink {

    void on(Event event);
}
