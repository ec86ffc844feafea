package dev.vaultx.pool.impl.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ProbeSchedule} is a function of the time it is given: driven here by a fake clock, no sleeping. */
class ProbeScheduleTest {

    private static final long MS = 1_000_000L;
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final long I = INTERVAL.toNanos();

    /** The probes a schedule started: node index and time. */
    private final List<long[]> probes = new ArrayList<>();

    private long run(ProbeSchedule s, long now, boolean electing) {
        return s.run(now, electing, i -> probes.add(new long[] {i, now}));
    }

    private List<Long> probeTimes(int node) {
        return probes.stream().filter(p -> p[0] == node).map(p -> p[1]).toList();
    }

    @Test
    void firstRunProbesNothingAndSchedulesEveryNodeWithinOneJitteredInterval() {
        ProbeSchedule s = new ProbeSchedule(3, INTERVAL);

        long wait = run(s, 0, false);

        assertThat(probes).as("the first probes ran at start").isEmpty();
        assertThat(wait).isBetween(I - I / 10, I);
    }

    @Test
    void probesEachNodeEveryIntervalLessAtMostTenPercentJitter() {
        ProbeSchedule s = new ProbeSchedule(3, INTERVAL);
        long now = 0;
        for (int step = 0; step < 300; step++) {
            now += run(s, now, false);
        }

        Set<Long> periods = new HashSet<>();
        for (int node = 0; node < 3; node++) {
            List<Long> times = probeTimes(node);
            assertThat(times).as("probes of node %d", node).hasSizeGreaterThan(50);
            for (int k = 1; k < times.size(); k++) {
                long period = times.get(k) - times.get(k - 1);
                assertThat(period).as("period %d of node %d", k, node).isBetween(I - I / 10, I);
                periods.add(period);
            }
        }
        assertThat(periods).as("jittered periods, not all equal").hasSizeGreaterThan(10);
    }

    @Test
    void jitterSpreadsNodesThatStartedTogether() {
        ProbeSchedule s = new ProbeSchedule(8, INTERVAL);
        long now = 0;
        for (int step = 0; step < 40; step++) {
            now += run(s, now, false);
        }

        Set<Long> firstProbes = new HashSet<>();
        for (int node = 0; node < 8; node++) {
            firstProbes.add(probeTimes(node).get(0));
        }
        assertThat(firstProbes).as("nodes do not probe in lockstep").hasSizeGreaterThan(1);
    }

    @Test
    void probesEveryFastPeriodWhileNoActiveNodeIsKnown() {
        ProbeSchedule s = new ProbeSchedule(3, INTERVAL);
        run(s, 0, false);

        long at = 1_000 * MS;
        long wait = run(s, at, true);
        assertThat(wait).as("a probe a minute away is brought forward").isEqualTo(ProbeSchedule.FAST);
        assertThat(probes).isEmpty();

        long now = at;
        for (int step = 0; step < 8; step++) {
            now += run(s, now, true);
        }
        for (int node = 0; node < 3; node++) {
            List<Long> times = probeTimes(node);
            assertThat(times).hasSizeGreaterThanOrEqualTo(7);
            for (int k = 1; k < times.size(); k++) {
                assertThat(times.get(k) - times.get(k - 1)).isEqualTo(ProbeSchedule.FAST);
            }
        }
        assertThat(ProbeSchedule.FAST).isEqualTo(250 * MS);
    }

    @Test
    void electingNeverProbesLessOftenThanTheInterval() {
        ProbeSchedule s = new ProbeSchedule(1, Duration.ofMillis(100));

        assertThat(run(s, 0, true)).isEqualTo(100 * MS);
        assertThat(run(s, 100 * MS, true)).isEqualTo(100 * MS);
        assertThat(probeTimes(0)).containsExactly(100 * MS);
    }

    @Test
    void backToTheRegularIntervalOnceAnActiveNodeIsKnown() {
        ProbeSchedule s = new ProbeSchedule(2, INTERVAL);
        run(s, 0, true);
        long wait = run(s, ProbeSchedule.FAST, false); // probes due at FAST run, then the regular period applies

        assertThat(probes).hasSize(2);
        assertThat(wait).isBetween(I - I / 10, I);
    }

    @Test
    void hurryBringsEveryProbeForwardToWithinSoon() {
        ProbeSchedule s = new ProbeSchedule(3, INTERVAL);
        run(s, 0, false);

        long at = 2_000 * MS;
        s.hurry(at);
        long wait = run(s, at, false);
        assertThat(wait).isEqualTo(ProbeSchedule.SOON);
        assertThat(probes).isEmpty();

        run(s, at + ProbeSchedule.SOON, false);
        assertThat(probes).extracting(p -> p[0]).containsExactlyInAnyOrder(0L, 1L, 2L);
        assertThat(probes).allSatisfy(p -> assertThat(p[1]).isEqualTo(at + ProbeSchedule.SOON));
        assertThat(ProbeSchedule.SOON).isEqualTo(20 * MS);
    }

    @Test
    void hurryNeverPostponesAProbeThatIsDueSooner() {
        ProbeSchedule s = new ProbeSchedule(1, INTERVAL);
        long first = run(s, 0, false);

        s.hurry(first - 10 * MS); // the probe is due in 10 ms: hurrying must not move it to 20 ms
        long wait = run(s, first - 10 * MS, false);

        assertThat(wait).isEqualTo(10 * MS);
    }

    @Test
    void neverAsksToBeRunAgainInLessThanFiveMilliseconds() {
        ProbeSchedule s = new ProbeSchedule(1, INTERVAL);
        long first = run(s, 0, false);

        assertThat(run(s, first - MS, false)).isEqualTo(5 * MS);
        assertThat(probes).isEmpty();
    }
}
