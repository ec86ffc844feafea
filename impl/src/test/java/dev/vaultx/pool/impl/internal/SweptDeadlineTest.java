package dev.vaultx.pool.impl.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A {@code PooledConnection} exchange's deadline is a function of the ticker's {@code now}: no sleeping. */
class SweptDeadlineTest {

    private final LiveRequests live = new LiveRequests();
    private final AtomicInteger expired = new AtomicInteger();

    private SweptDeadline listed(long deadline) {
        SweptDeadline d = new SweptDeadline(live, deadline, expired::incrementAndGet);
        live.add(d);
        return d;
    }

    @Test
    void anExchangeIsDueAtItsDeadlineAndNotBefore() {
        SweptDeadline d = listed(1_000);

        assertThat(live.due(999)).isEmpty();
        assertThat(live.due(1_000)).containsExactly(d);
        assertThat(live.due(5_000)).containsExactly(d);
    }

    @Test
    void expiringRunsTheTimeoutOnceAndStopsWatchingTheExchange() {
        SweptDeadline d = listed(1_000);

        d.onTimeout(1_000);
        d.onTimeout(1_010);

        assertThat(expired).hasValue(1);
        assertThat(live.isEmpty()).isTrue();
        assertThat(d.settle()).as("a response arriving after the timeout is ignored").isFalse();
    }

    @Test
    void anExchangeSettledBeforeItsDeadlineNeverExpires() {
        SweptDeadline d = listed(1_000);

        assertThat(d.settle()).isTrue();
        d.onTimeout(2_000);

        assertThat(live.due(2_000)).isEmpty();
        assertThat(live.isEmpty()).isTrue();
        assertThat(expired).hasValue(0);
    }

    @Test
    void aDeadlineIsComparedWrapSafely() {
        SweptDeadline d = listed(Long.MAX_VALUE - 5);

        assertThat(live.due(Long.MAX_VALUE - 6)).isEmpty();
        assertThat(live.due(Long.MIN_VALUE + 3)).containsExactly(d);
    }
}
