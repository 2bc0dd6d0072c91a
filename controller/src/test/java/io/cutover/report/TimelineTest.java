package io.cutover.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chart's layout: axis ticks a person can read at any run length, labels that fit, bars that stay visible. */
class TimelineTest {

    private static final Instant T0 = Instant.parse("2026-11-25T18:30:00Z");

    private static Timeline.Lane lane(String host, Timeline.Span... spans) {
        return new Timeline.Lane(host, null, List.of(spans), List.of());
    }

    @Test
    void aTwentyMinuteRunIsLabelledInMinutesWithAtMostTenIntervals() {
        Timeline timeline = Timeline.of(T0, T0.plusSeconds(20 * 60), List.of(lane("app1")));

        assertThat(timeline.ticks()).extracting(Timeline.Tick::label).containsExactly("0 s", "2 min", "4 min", "6 min",
                "8 min", "10 min", "12 min", "14 min", "16 min", "18 min", "20 min");
    }

    @Test
    void aLongHostNameIsCutInTheChartAndKeptWholeAsTheRowsHost() {
        String host = "db-replica-17.eu-west-3.prod.example.com";

        Timeline.Row row = Timeline.of(T0, T0.plusSeconds(10), List.of(lane(host))).rows().get(0);

        assertThat(row.host()).isEqualTo(host);
        assertThat(row.label()).hasSize(22).endsWith("…").startsWith("db-replica-17.eu-west");
    }

    @Test
    void aOneMillisecondStepInAnHourLongRunIsStillDrawn() {
        Timeline.Span blink = new Timeline.Span(T0.plusSeconds(1800), T0.plusSeconds(1800).plusMillis(1), "step-ok", "blink");

        Timeline.Bar bar = Timeline.of(T0, T0.plusSeconds(3600), List.of(lane("app1", blink))).rows().get(0).bars().get(0);

        assertThat(bar.width()).isEqualTo(1.5);
        assertThat(bar.x()).isEqualTo(Timeline.LABEL_WIDTH + (Timeline.WIDTH - Timeline.LABEL_WIDTH - 16) / 2.0);
    }
}
