package dev.vaultx.pool.impl.internal.metrics;

import com.codahale.metrics.Clock;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Timer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TickedRatesTest {

    /** A clock moved by the test. */
    static final class ManualClock extends Clock {
        long nanos = 1_000_000_000L;

        @Override
        public long getTick() {
            return nanos;
        }

        void advance(long amount, TimeUnit unit) {
            nanos += unit.toNanos(amount);
        }
    }

    @Test
    void ratesEqualDropwizardsOwnMeterForTheSameEvents() {
        ManualClock clock = new ManualClock();
        Meter dropwizard = new Meter(clock);
        Meter ticked = TickedRates.meter(clock);
        // bursts and silences over 20 minutes, uneven steps (some of several tick intervals at once)
        long[] steps = {1, 3, 4, 7, 11, 2, 17, 30, 1, 60, 5, 9};
        for (int round = 0; round < 40; round++) {
            int events = (round * 37) % 500;
            for (int i = 0; i < events; i++) {
                dropwizard.mark();
                ticked.mark();
            }
            clock.advance(steps[round % steps.length], TimeUnit.SECONDS);
            assertThat(ticked.getOneMinuteRate()).as("m1 at round %d", round).isCloseTo(dropwizard.getOneMinuteRate(), within(1e-9));
            assertThat(ticked.getFiveMinuteRate()).isCloseTo(dropwizard.getFiveMinuteRate(), within(1e-9));
            assertThat(ticked.getFifteenMinuteRate()).isCloseTo(dropwizard.getFifteenMinuteRate(), within(1e-9));
            assertThat(ticked.getCount()).isEqualTo(dropwizard.getCount());
        }
        assertThat(dropwizard.getOneMinuteRate()).as("the comparison saw non-zero rates").isGreaterThan(0.0);
    }

    @Test
    void timerCountsAndRatesItsUpdates() {
        ManualClock clock = new ManualClock();
        Timer timer = TickedRates.timer(new BucketReservoir(), clock);
        for (int i = 0; i < 600; i++) {
            timer.update(2, TimeUnit.MILLISECONDS);
        }
        clock.advance(6, TimeUnit.SECONDS);
        assertThat(timer.getCount()).isEqualTo(600);
        // the first tick of a one-minute EWMA takes the whole interval's rate: 600 events in 5 s
        assertThat(timer.getOneMinuteRate()).isCloseTo(120.0, within(1e-6));
        assertThat(timer.getSnapshot().getMedian()).isCloseTo(TimeUnit.MILLISECONDS.toNanos(2), within(TimeUnit.MILLISECONDS.toNanos(2) * 0.05));
    }
}
