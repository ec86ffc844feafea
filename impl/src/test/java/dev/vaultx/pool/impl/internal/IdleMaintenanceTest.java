package dev.vaultx.pool.impl.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link IdleMaintenance} as a function of a fake time, with a sweeper that records what it was asked. */
class IdleMaintenanceTest {

    private static final long MS = 1_000_000L;

    /** Records each sweep as "close&lt;maxIdle&gt;" and "trim". */
    private static final class RecordingSweeper implements IdleMaintenance.Sweeper {
        final List<String> calls = new ArrayList<>();

        @Override
        public void closeIdleOlderThan(Duration maxIdle) {
            calls.add("close" + maxIdle.toMillis());
        }

        @Override
        public void trimToSize() {
            calls.add("trim");
        }

        int sweeps() {
            return (int) calls.stream().filter(c -> c.startsWith("close")).count();
        }
    }

    @Test
    void firstRunOnlySchedulesTheFirstSweepOnePeriodLater() {
        RecordingSweeper sweeper = new RecordingSweeper();
        IdleMaintenance idle = new IdleMaintenance(sweeper, Duration.ofSeconds(5));

        long delay = idle.run(1_000 * MS);

        assertThat(delay).isEqualTo(500 * MS);
        assertThat(sweeper.calls).isEmpty();
    }

    @Test
    void sweepRunsWhenDueClosingIdleConnectionsOlderThanMaxIdleThenTrimming() {
        RecordingSweeper sweeper = new RecordingSweeper();
        IdleMaintenance idle = new IdleMaintenance(sweeper, Duration.ofSeconds(5));
        long t = 1_000 * MS;
        idle.run(t);

        long delay = idle.run(t + 500 * MS);

        assertThat(sweeper.calls).containsExactly("close5000", "trim");
        assertThat(delay).isEqualTo(500 * MS);
    }

    @Test
    void earlyRunDoesNotSweepAndReturnsTheTimeLeft() {
        RecordingSweeper sweeper = new RecordingSweeper();
        IdleMaintenance idle = new IdleMaintenance(sweeper, Duration.ofSeconds(5));
        long t = 0;
        idle.run(t);

        assertThat(idle.run(t + 100 * MS)).isEqualTo(400 * MS);
        assertThat(idle.run(t + 499 * MS)).isEqualTo(1 * MS);
        assertThat(sweeper.calls).isEmpty();
        assertThat(idle.run(t + 500 * MS)).isEqualTo(500 * MS);
        assertThat(sweeper.sweeps()).isEqualTo(1);
    }

    @Test
    void sweepsFollowThePeriodAndALateRunSweepsOnceAndRestartsThePeriod() {
        RecordingSweeper sweeper = new RecordingSweeper();
        IdleMaintenance idle = new IdleMaintenance(sweeper, Duration.ofSeconds(10));
        long t = 42 * MS;
        long delay = idle.run(t);
        for (int i = 0; i < 5; i++) {
            t += delay;
            delay = idle.run(t);
        }
        assertThat(sweeper.sweeps()).isEqualTo(5);

        // the timer thread was held up for 10 periods: one sweep, not ten
        t += 10 * 1_000 * MS;
        assertThat(idle.run(t)).isEqualTo(1_000 * MS);
        assertThat(sweeper.sweeps()).isEqualTo(6);
        assertThat(idle.run(t + 999 * MS)).isEqualTo(1 * MS);
        assertThat(sweeper.sweeps()).isEqualTo(6);
    }

    @Test
    void worksWithNegativeTickerValues() {
        RecordingSweeper sweeper = new RecordingSweeper();
        IdleMaintenance idle = new IdleMaintenance(sweeper, Duration.ofSeconds(1));
        long t = -5_000 * MS;

        assertThat(idle.run(t)).isEqualTo(100 * MS);
        assertThat(idle.run(t + 50 * MS)).isEqualTo(50 * MS);
        assertThat(idle.run(t + 100 * MS)).isEqualTo(100 * MS);
        assertThat(sweeper.sweeps()).isEqualTo(1);
    }

    @Test
    void worksWhenTheTickerOverflows() {
        RecordingSweeper sweeper = new RecordingSweeper();
        IdleMaintenance idle = new IdleMaintenance(sweeper, Duration.ofSeconds(1));
        long t = Long.MAX_VALUE - 30 * MS;

        assertThat(idle.run(t)).isEqualTo(100 * MS);
        assertThat(idle.run(t + 50 * MS)).as("past Long.MAX_VALUE").isEqualTo(50 * MS);
        assertThat(sweeper.calls).isEmpty();
        assertThat(idle.run(t + 100 * MS)).isEqualTo(100 * MS);
        assertThat(sweeper.sweeps()).isEqualTo(1);
    }

    @ParameterizedTest(name = "maxIdleTime {0} ms -> period {1} ms")
    @CsvSource({
            "1, 100",
            "50, 100",
            "999, 100",
            "1000, 100",
            "1500, 150",
            "5000, 500",
            "60000, 6000",
            "100000, 10000",
            "300000, 10000",
            "86400000, 10000",
    })
    void periodIsATenthOfMaxIdleTimeBetween100MsAnd10s(long maxIdleMillis, long periodMillis) {
        assertThat(IdleMaintenance.periodFor(Duration.ofMillis(maxIdleMillis))).isEqualTo(periodMillis * MS);

        RecordingSweeper sweeper = new RecordingSweeper();
        IdleMaintenance idle = new IdleMaintenance(sweeper, Duration.ofMillis(maxIdleMillis));
        assertThat(idle.run(0)).isEqualTo(periodMillis * MS);
        assertThat(idle.run(periodMillis * MS)).isEqualTo(periodMillis * MS);
        assertThat(sweeper.calls).containsExactly("close" + maxIdleMillis, "trim");
    }
}
