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

    @Test
    void hurryReturnsTheWaitUntilTheHurriedProbes() {
        ProbeSchedule s = new ProbeSchedule(3, INTERVAL);
        run(s, 0, false);

        assertThat(s.hurry(2_000 * MS)).isEqualTo(ProbeSchedule.SOON);
        assertThat(s.hurry(2_005 * MS)).as("the round already pending").isEqualTo(ProbeSchedule.SOON - 5 * MS);
    }

    @Test
    void aBurstOfHurriesProbesEachNodeOnce() {
        ProbeSchedule s = new ProbeSchedule(3, INTERVAL);
        run(s, 0, false);

        long at = 2_000 * MS;
        for (long t = at; t < at + ProbeSchedule.SOON; t += MS) {
            s.hurry(t); // e.g. every request in flight on a dead active node fails at once
        }
        long now = at;
        while (now < at + 3 * ProbeSchedule.HURRY_GAP) {
            now += run(s, now, false);
        }

        assertThat(probes).extracting(p -> p[0]).containsExactlyInAnyOrder(0L, 1L, 2L);
        assertThat(probes).allSatisfy(p -> assertThat(p[1]).isEqualTo(at + ProbeSchedule.SOON));
    }

    @Test
    void aHintSoonAfterAHurriedRoundIsServedAtTheEndOfTheGapNotDropped() {
        ProbeSchedule s = new ProbeSchedule(2, INTERVAL);
        run(s, 0, false);
        long at = 2_000 * MS;
        s.hurry(at);
        long round = at + ProbeSchedule.SOON;
        run(s, round, false); // the hurried round
        probes.clear();

        long wait = s.hurry(round + 10 * MS); // e.g. the active node's breaker opens right after the round

        assertThat(wait).as("no second round within the gap").isEqualTo(ProbeSchedule.HURRY_GAP - 10 * MS);
        assertThat(run(s, round + 10 * MS, false)).isEqualTo(ProbeSchedule.HURRY_GAP - 10 * MS);
        assertThat(probes).isEmpty();
        run(s, round + ProbeSchedule.HURRY_GAP, false);
        assertThat(probes).extracting(p -> p[0]).containsExactlyInAnyOrder(0L, 1L);
        assertThat(probes).allSatisfy(p -> assertThat(p[1]).isEqualTo(round + ProbeSchedule.HURRY_GAP));
    }

    @Test
    void hurriedRoundsAreAtLeastTheGapApartUnderContinuousHints() {
        ProbeSchedule s = new ProbeSchedule(1, INTERVAL);
        run(s, 0, false);
        long start = 2_000 * MS;
        long now = start;
        long nextRun = start;
        while (now < start + 2_000 * MS) {
            long w = s.hurry(now); // a hint every millisecond
            nextRun = Math.min(nextRun, now + w);
            if (now - nextRun >= 0) {
                nextRun = now + run(s, now, false);
            }
            now += MS;
        }

        List<Long> times = probeTimes(0);
        assertThat(times.get(0)).isEqualTo(start + ProbeSchedule.SOON);
        for (int k = 1; k < times.size(); k++) {
            assertThat(times.get(k) - times.get(k - 1)).isEqualTo(ProbeSchedule.HURRY_GAP);
        }
        assertThat(times).hasSize(8);
        assertThat(ProbeSchedule.HURRY_GAP).isEqualTo(ProbeSchedule.FAST);
    }

    @Test
    void aHintAfterAProbeIsNotTakenAsCoveredByAPendingRoundThatWillNotProbeThatNode() {
        ProbeSchedule s = new ProbeSchedule(1, INTERVAL);
        long due = run(s, 0, false);
        s.hurry(due - 10 * MS); // the round is due at due + 10 ms; the node's probe, due sooner, stays at due
        run(s, due, false);
        assertThat(probes).hasSize(1);

        // the node was probed before this hint and is not in the pending round: a new round, at the end of the gap
        long wait = s.hurry(due + 5 * MS);

        assertThat(wait).isEqualTo(ProbeSchedule.HURRY_GAP + 5 * MS);
    }

    @Test
    void aHurryBeforeTheFirstRunStands() {
        ProbeSchedule s = new ProbeSchedule(2, INTERVAL);
        s.hurry(0);

        assertThat(run(s, 0, false)).isEqualTo(ProbeSchedule.SOON);
        run(s, ProbeSchedule.SOON, false);
        assertThat(probes).hasSize(2);
    }

    @Test
    void losingTheActiveNodeBetweenRunsIsNoticedOnlyAtTheNextRun() {
        // why the monitor must be told (hurry) when the active node goes: run() alone learns of it at its next call
        ProbeSchedule s = new ProbeSchedule(1, INTERVAL);
        long wait = run(s, 0, false);

        assertThat(wait).isGreaterThan(ProbeSchedule.FAST);
        assertThat(s.hurry(MS)).isEqualTo(ProbeSchedule.SOON);
    }
}
