package dev.vaultx.pool.impl.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RetryBudget} as a function of a fake time and request count. */
class RetryBudgetTest {

    private static final long SECOND = 1_000_000_000L;

    /** @return how many of {@code attempts} retries the budget grants at this time and request count */
    private static int grant(RetryBudget budget, int attempts, long now, long requests) {
        int granted = 0;
        for (int i = 0; i < attempts; i++) {
            if (budget.tryAcquire(now, requests)) {
                granted++;
            }
        }
        return granted;
    }

    @Test
    void burstOfMinPerSecondTimesTheWindowIsAllowedWithoutRequests() {
        RetryBudget budget = new RetryBudget(0.2, 10);

        assertThat(grant(budget, 100, 0, 0)).isEqualTo(100);
        assertThat(budget.tryAcquire(0, 0)).isFalse();
        assertThat(budget.tryAcquire(SECOND / 2, 0)).as("still within the same window").isFalse();
    }

    @Test
    void afterTheBurstRetriesAreARatioOfTheRequests() {
        RetryBudget budget = new RetryBudget(0.2, 10);
        long requests = 1_000;
        assertThat(grant(budget, 150, 0, requests)).isEqualTo(100);

        // 50 more requests in the window: 20 % of them may be retried
        requests += 50;
        assertThat(grant(budget, 20, 2 * SECOND, requests)).isEqualTo(10);

        // 500 more: another 100
        requests += 500;
        assertThat(grant(budget, 200, 3 * SECOND, requests)).isEqualTo(100);
    }

    @Test
    void ratioAloneWithoutMinimum() {
        RetryBudget budget = new RetryBudget(0.5, 0);

        assertThat(budget.tryAcquire(0, 0)).as("nothing is allowed before there are requests").isFalse();
        assertThat(grant(budget, 10, SECOND, 10)).isEqualTo(5);
        assertThat(grant(budget, 10, 2 * SECOND, 11)).as("half of one request is not a retry").isZero();
        assertThat(grant(budget, 10, 2 * SECOND, 12)).isEqualTo(1);
    }

    @Test
    void zeroBudgetNeverAllowsARetry() {
        RetryBudget budget = new RetryBudget(0.0, 0);

        assertThat(grant(budget, 10, 0, 0)).isZero();
        assertThat(grant(budget, 10, 5 * SECOND, 1_000_000)).isZero();
    }

    @Test
    void fullRatioAllowsOneRetryPerRequest() {
        RetryBudget budget = new RetryBudget(1.0, 0);
        budget.tryAcquire(0, 0);

        assertThat(grant(budget, 100, SECOND, 40)).isEqualTo(40);
    }

    @Test
    void windowSlidesRetriesOlderThanTenSecondsNoLongerCount() {
        RetryBudget budget = new RetryBudget(0.2, 10);
        assertThat(grant(budget, 100, 0, 0)).isEqualTo(100);

        assertThat(budget.tryAcquire(9 * SECOND + SECOND / 2, 0)).as("second 0 is still in the window").isFalse();
        assertThat(grant(budget, 100, 10 * SECOND, 0)).as("second 0 left the window").isEqualTo(100);
        assertThat(budget.tryAcquire(10 * SECOND + 1, 0)).isFalse();
    }

    @Test
    void windowSlidesOneSecondAtATime() {
        RetryBudget budget = new RetryBudget(0.0, 1);
        // 10 per window: 4 in second 0, 6 in second 5
        assertThat(grant(budget, 4, 0, 0)).isEqualTo(4);
        assertThat(grant(budget, 10, 5 * SECOND, 0)).isEqualTo(6);
        assertThat(grant(budget, 1, 9 * SECOND, 0)).isZero();

        // at second 10 the 4 of second 0 are forgotten, the 6 of second 5 are not
        assertThat(grant(budget, 10, 10 * SECOND, 0)).isEqualTo(4);
        // at second 15 those of second 5 are forgotten too
        assertThat(grant(budget, 10, 15 * SECOND, 0)).isEqualTo(6);
    }

    @Test
    void requestsCountFromTheOldestSecondInTheWindow() {
        RetryBudget budget = new RetryBudget(0.5, 0);
        budget.tryAcquire(0, 0);
        // 100 requests over the next seconds, in the window: 50 retries
        assertThat(grant(budget, 100, 5 * SECOND, 100)).isEqualTo(50);
        // at second 12 second 0 has left the window; second 5 saw 100 requests already
        assertThat(grant(budget, 100, 12 * SECOND, 140)).as("half of the 40 requests since second 5").isZero();
        assertThat(grant(budget, 100, 16 * SECOND, 240)).as("second 5 left too: half of 240 - 140").isEqualTo(50);
    }

    @Test
    void worksWithNegativeTickerValues() {
        RetryBudget budget = new RetryBudget(0.0, 1);

        assertThat(grant(budget, 20, -3 * SECOND - 1, 0)).isEqualTo(10);
        assertThat(grant(budget, 20, -SECOND, 0)).isZero();
        assertThat(grant(budget, 20, 7 * SECOND, 0)).as("second -4 left the window").isEqualTo(10);
    }

    @Test
    void concurrentCallersNeverExceedTheBudget() {
        RetryBudget budget = new RetryBudget(0.0, 10);
        AtomicInteger granted = new AtomicInteger();

        CompletableFuture<?>[] all = IntStream.range(0, 8).mapToObj(i -> CompletableFuture.runAsync(() -> {
            for (int j = 0; j < 50; j++) {
                if (budget.tryAcquire(SECOND, 0)) {
                    granted.incrementAndGet();
                }
            }
        })).toArray(CompletableFuture<?>[]::new);
        CompletableFuture.allOf(all).join();

        assertThat(granted).hasValue(100);
    }

    @Test
    void requestsSeenBeforeTheFirstRetryOfTheWindowCountTowardsTheRatio() {
        RetryBudget budget = new RetryBudget(0.2, 0);
        long t0 = 1_000_000_000_000L;
        budget.observe(t0, 0);                       // start of the window: no request yet
        long requests = 10_000;                      // a quiet second with many requests, no retry
        long later = t0 + 1_500_000_000L;
        int allowed = 0;
        while (budget.tryAcquire(later, requests)) {
            allowed++;
        }
        assertThat(allowed).isEqualTo(2000);
    }
}
