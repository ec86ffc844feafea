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
    /** So long that the overflow check runs every second and never gets in the way of the idle sweep's numbers. */
    private static final Duration SECOND_CHECKS = Duration.ofSeconds(5);

    /** Records each sweep as "close&lt;maxIdle ms&gt;" and each overflow trim as "trim@&lt;cutoff ms&gt;". */
    private static final class RecordingSweeper implements IdleMaintenance.Sweeper {
        final List<String> calls = new ArrayList<>();

        @Override
        public void closeIdleOlderThan(Duration maxIdle) {
            calls.add("close" + maxIdle.toMillis());
        }

        @Override
        public void trimOverflow(long cutoffNanos) {
            calls.add("trim@" + cutoffNanos / MS);
        }

        long sweeps() {
            return calls.stream().filter(c -> c.startsWith("close")).count();
        }

        List<String> trims() {
            return calls.stream().filter(c -> c.startsWith("trim")).toList();
        }
    }

    @Test
    void firstRunOnlySchedulesTheFirstSweepsOnePeriodLater() {
        RecordingSweeper sweeper = new RecordingSweeper();
        IdleMaintenance idle = new IdleMaintenance(sweeper, Duration.ofSeconds(5), SECOND_CHECKS);

        long delay = idle.run(1_000 * MS);

        assertThat(delay).as("the idle sweep (500 ms) comes before the overflow check (1 s)").isEqualTo(500 * MS);
        assertThat(sweeper.calls).isEmpty();
    }

    @Test
    void idleSweepRunsWhenDueClosingIdleConnectionsOlderThanMaxIdle() {
        RecordingSweeper sweeper = new RecordingSweeper();
        IdleMaintenance idle = new IdleMaintenance(sweeper, Duration.ofSeconds(5), SECOND_CHECKS);
        long t = 1_000 * MS;
        idle.run(t);

        long delay = idle.run(t + 500 * MS);

        assertThat(sweeper.calls).containsExactly("close5000");
        assertThat(delay).as("the overflow check is due 1 s after the start").isEqualTo(500 * MS);
    }

    @Test
    void overflowCheckRunsEverySecondAtTheDefaultWithACutoffOfOverflowIdleTimeoutAgo() {
        RecordingSweeper sweeper = new RecordingSweeper();
        IdleMaintenance idle = new IdleMaintenance(sweeper, Duration.ofSeconds(300), Duration.ofSeconds(5));
        long t = 0;
        long delay = idle.run(t);
        assertThat(delay).isEqualTo(1_000 * MS);
        for (int i = 0; i < 3; i++) {
            t += delay;
            delay = idle.run(t);
        }

        assertThat(sweeper.trims()).containsExactly("trim@-4000", "trim@-3000", "trim@-2000");
        assertThat(sweeper.sweeps()).as("maxIdleTime 300 s: the idle sweep comes every 10 s").isZero();
    }

    @Test
    void earlyRunDoesNotSweepAndReturnsTheTimeLeft() {
        RecordingSweeper sweeper = new RecordingSweeper();
        IdleMaintenance idle = new IdleMaintenance(sweeper, Duration.ofSeconds(5), SECOND_CHECKS);
        long t = 0;
        idle.run(t);

        assertThat(idle.run(t + 100 * MS)).isEqualTo(400 * MS);
        assertThat(idle.run(t + 499 * MS)).isEqualTo(1 * MS);
        assertThat(sweeper.calls).isEmpty();
        assertThat(idle.run(t + 500 * MS)).isEqualTo(500 * MS);
        assertThat(sweeper.sweeps()).isEqualTo(1);
    }

    @Test
    void aLateRunSweepsOnceAndRestartsBothPeriods() {
        RecordingSweeper sweeper = new RecordingSweeper();
        IdleMaintenance idle = new IdleMaintenance(sweeper, Duration.ofSeconds(10), SECOND_CHECKS);
        long t = 42 * MS;
        idle.run(t);

        // the timer thread was held up for 10 s: one sweep and one trim, not ten of each
        t += 10 * 1_000 * MS;
        assertThat(idle.run(t)).isEqualTo(1_000 * MS);
        assertThat(sweeper.calls).containsExactly("close10000", "trim@5042");
        assertThat(idle.run(t + 999 * MS)).isEqualTo(1 * MS);
        assertThat(sweeper.calls).hasSize(2);
        idle.run(t + 1_000 * MS);
        assertThat(sweeper.calls).containsExactly("close10000", "trim@5042", "close10000", "trim@6042");
    }

    @Test
    void worksWithNegativeTickerValues() {
        RecordingSweeper sweeper = new RecordingSweeper();
        IdleMaintenance idle = new IdleMaintenance(sweeper, Duration.ofSeconds(1), SECOND_CHECKS);
        long t = -5_000 * MS;

        assertThat(idle.run(t)).isEqualTo(100 * MS);
        assertThat(idle.run(t + 50 * MS)).isEqualTo(50 * MS);
        assertThat(idle.run(t + 100 * MS)).isEqualTo(100 * MS);
        assertThat(sweeper.sweeps()).isEqualTo(1);
    }

    @Test
    void worksWhenTheTickerOverflows() {
        RecordingSweeper sweeper = new RecordingSweeper();
        IdleMaintenance idle = new IdleMaintenance(sweeper, Duration.ofSeconds(1), SECOND_CHECKS);
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
    void idlePeriodIsATenthOfMaxIdleTimeBetween100MsAnd10s(long maxIdleMillis, long periodMillis) {
        assertThat(IdleMaintenance.periodFor(Duration.ofMillis(maxIdleMillis))).isEqualTo(periodMillis * MS);
    }

    @ParameterizedTest(name = "overflowIdleTimeout {0} ms -> check every {1} ms")
    @CsvSource({
            "1, 10",
            "50, 10",
            "100, 20",
            "1000, 200",
            "5000, 1000",
            "60000, 1000",
    })
    void overflowCheckIsAFifthOfOverflowIdleTimeoutBetween10MsAnd1s(long overflowIdleMillis, long periodMillis) {
        assertThat(IdleMaintenance.trimPeriodFor(Duration.ofMillis(overflowIdleMillis))).isEqualTo(periodMillis * MS);
    }

    @Test
    void overflowStillNeededAfterTheCutoffIsKept() {
        // 15 connections, 5 idle, size 10, overflow last needed 1 ms after the cutoff
        assertThat(IdleMaintenance.overflowToClose(15, 5, 10, 1_001 * MS, 1_000 * MS)).isZero();
    }

    @Test
    void overflowUnneededSinceTheCutoffIsClosedDownToSize() {
        assertThat(IdleMaintenance.overflowToClose(15, 5, 10, 1_000 * MS, 1_000 * MS)).isEqualTo(5);
        assertThat(IdleMaintenance.overflowToClose(15, 15, 10, 0, 1_000 * MS)).isEqualTo(5);
    }

    @Test
    void onlyIdleConnectionsAreClosedBusyOnesStay() {
        assertThat(IdleMaintenance.overflowToClose(15, 2, 10, 0, 1_000 * MS)).as("only 2 are idle").isEqualTo(2);
        assertThat(IdleMaintenance.overflowToClose(15, 0, 10, 0, 1_000 * MS)).isZero();
    }

    @Test
    void aNodeAtOrBelowSizeIsLeftAlone() {
        assertThat(IdleMaintenance.overflowToClose(10, 10, 10, 0, 1_000 * MS)).isZero();
        assertThat(IdleMaintenance.overflowToClose(3, 3, 10, 0, 1_000 * MS)).isZero();
    }

    @Test
    void overflowDecisionWorksAcrossTickerOverflow() {
        long cutoff = Long.MAX_VALUE - 10 * MS;
        assertThat(IdleMaintenance.overflowToClose(15, 5, 10, cutoff + 20 * MS, cutoff)).as("needed after the cutoff")
                .isZero();
        assertThat(IdleMaintenance.overflowToClose(15, 5, 10, cutoff - 20 * MS, cutoff)).isEqualTo(5);
    }
}
