package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.impl.testing.FakeTicker;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The breaker's delay is measured on the pool's ticker: a fake ticker moved by hand, no sleeping. */
class NodeBreakerTest {

    private static final Duration DELAY = Duration.ofSeconds(5);
    private static final int TRIALS = 2;
    private static final int THRESHOLD = 3;

    private final FakeTicker ticker = new FakeTicker();
    private final List<String> changes = new ArrayList<>();
    private final NodeBreaker breaker = new NodeBreaker(PoolConfig.builder()
            .nodeUris(List.of(URI.create("http://127.0.0.1:1")))
            .circuitBreakerDelay(DELAY)
            .circuitBreakerFailureThreshold(THRESHOLD)
            .circuitBreakerHalfOpenRequests(TRIALS)
            .build(), ticker, (from, to) -> {
                synchronized (changes) {
                    changes.add(from + "->" + to);
                }
            });

    private void failInARow(int n) {
        for (int i = 0; i < n; i++) {
            BreakerPermit p = breaker.tryAcquire();
            assertThat(p).as("permit %d", i).isNotNull();
            p.failure();
        }
    }

    @Test
    void consecutiveFailuresOpenTheBreakerWhichRefusesPermits() {
        failInARow(THRESHOLD);

        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(breaker.isAvailable()).isFalse();
        assertThat(breaker.tryAcquire()).isNull();
        assertThat(changes).containsExactly("CLOSED->OPEN");
    }

    @Test
    void openBreakerStaysUnavailableUntilExactlyTheDelayPassedOnTheTicker() {
        failInARow(THRESHOLD);

        ticker.advance(DELAY.minusNanos(1));
        assertThat(breaker.isAvailable()).as("one nanosecond short of the delay").isFalse();
        assertThat(breaker.tryAcquire()).isNull();
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);

        ticker.advanceNanos(1);
        assertThat(breaker.isAvailable()).as("at the delay").isTrue();
        assertThat(breaker.state()).as("asking does not change the state").isEqualTo(CircuitState.OPEN);
    }

    @Test
    void firstPermitAfterTheDelayHalfOpensTheBreakerAndOnlyItsTrialsAreAdmitted() {
        failInARow(THRESHOLD);
        long epochWhileOpen = breaker.epoch();
        ticker.advance(DELAY);

        BreakerPermit first = breaker.tryAcquire();
        BreakerPermit second = breaker.tryAcquire();

        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(breaker.tryAcquire()).as("a third trial").isNull();
        assertThat(first.epoch).as("the permit belongs to the half-open state").isEqualTo(breaker.epoch())
                .isGreaterThan(epochWhileOpen);
        assertThat(first.isCurrent()).isTrue();
        assertThat(changes).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN");
    }

    @Test
    void successfulTrialsCloseTheBreaker() {
        failInARow(THRESHOLD);
        ticker.advance(DELAY);

        BreakerPermit first = breaker.tryAcquire();
        BreakerPermit second = breaker.tryAcquire();
        first.success();
        second.success();

        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.isAvailable()).isTrue();
    }

    @Test
    void failedTrialReopensTheBreakerForAWholeNewDelayFromTheReopening() {
        failInARow(THRESHOLD);
        ticker.advance(DELAY.multipliedBy(3)); // long past the first opening's delay
        breaker.tryAcquire().failure();
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);

        ticker.advance(DELAY.minusNanos(1));
        assertThat(breaker.isAvailable()).isFalse();
        assertThat(breaker.tryAcquire()).isNull();

        ticker.advanceNanos(1);
        assertThat(breaker.tryAcquire()).isNotNull();
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
    }

    @Test
    void forcedOpeningIsTimedFromWhenItHappened() {
        ticker.advance(Duration.ofHours(1)); // the breaker was closed all along: nothing was open
        breaker.forceOpen();

        assertThat(breaker.isAvailable()).isFalse();
        ticker.advance(DELAY);
        assertThat(breaker.isAvailable()).isTrue();
    }

    @Test
    void resetBreakerIsAvailableAndAReopenedOneWaitsItsDelayAgain() {
        failInARow(THRESHOLD);
        breaker.reset();
        assertThat(breaker.isAvailable()).isTrue();
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);

        failInARow(THRESHOLD);
        assertThat(breaker.isAvailable()).isFalse();
    }

    @Test
    void realTimeDoesNotMoveTheDelay() {
        NodeBreaker shortDelay = new NodeBreaker(PoolConfig.builder()
                .nodeUris(List.of(URI.create("http://127.0.0.1:1")))
                .circuitBreakerDelay(Duration.ofNanos(1)) // passed on any real clock by the next line
                .build(), ticker, (from, to) -> { });
        shortDelay.forceOpen();

        assertThat(shortDelay.isAvailable()).isFalse();
        assertThat(shortDelay.tryAcquire()).isNull();
        assertThat(shortDelay.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void threadsFindingTheDelayPassedTogetherHalfOpenTheBreakerOnceAndShareItsTrials() throws Exception {
        int threads = 8;
        for (int round = 0; round < 300; round++) {
            breaker.reset();
            synchronized (changes) {
                changes.clear();
            }
            failInARow(THRESHOLD);
            ticker.advance(DELAY);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<BreakerPermit>> permits = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    permits.add(pool.submit(() -> {
                        go.await();
                        return breaker.tryAcquire();
                    }));
                }
                go.countDown();
                List<BreakerPermit> granted = new ArrayList<>();
                for (Future<BreakerPermit> f : permits) {
                    BreakerPermit p = f.get(10, TimeUnit.SECONDS);
                    if (p != null) {
                        granted.add(p);
                    }
                }
                // one thread moves the breaker; one that finds it still moving is refused (its request goes elsewhere)
                assertThat(granted).as("round %d", round).isNotEmpty().hasSizeLessThanOrEqualTo(TRIALS);
                while (granted.size() < TRIALS) {
                    BreakerPermit late = breaker.tryAcquire();
                    assertThat(late).as("round %d: a trial left after the first wave", round).isNotNull();
                    granted.add(late);
                }
                assertThat(breaker.tryAcquire()).as("round %d: no trial beyond %d", round, TRIALS).isNull();
                synchronized (changes) {
                    assertThat(changes).as("round %d", round).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN");
                }
                // every trial counts: a permit taken in the half-open state before its listener ran is not stale
                // (it would record nothing, and the breaker would stay half-open with no trial left)
                granted.forEach(BreakerPermit::success);
                assertThat(breaker.state()).as("round %d: after %d successful trials", round, TRIALS)
                        .isEqualTo(dev.vaultx.pool.CircuitState.CLOSED);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
