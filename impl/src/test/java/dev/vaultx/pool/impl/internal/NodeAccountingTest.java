package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.PoolConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A node's own numbers: waits, leases, the idle hook, and breaker permits as tokens. No I/O, no sleeping. */
class NodeAccountingTest {

    private static final int TRIALS = 2;

    private final NodeState node = new NodeState(0, URI.create("http://127.0.0.1:1"), PoolConfig.builder()
            .nodeUris(java.util.List.of(URI.create("http://127.0.0.1:1")))
            .circuitBreakerHalfOpenRequests(TRIALS)
            .circuitBreakerDelay(Duration.ofHours(1))
            .build(), () -> 0L, (from, to) -> { });
    private final AtomicInteger idle = new AtomicInteger();

    @Test
    void idleHookRunsOnEveryDecrementThatLeavesTheNodeIdle() {
        node.onIdle = idle::incrementAndGet;
        node.beginWait();
        node.beginWait();
        node.endWait(); // timed out: one still waits
        assertThat(idle).hasValue(0);
        node.leased(10, () -> 0L);
        node.endWait(); // granted: counted as leased first, so the node is never idle in between
        assertThat(idle).hasValue(0);
        node.released(before -> { });
        assertThat(idle).hasValue(1);
        node.beginWait();
        node.endWait(); // a wait that failed to connect
        assertThat(idle).hasValue(2);
    }

    @Test
    void halfOpenAdmitsOnlyItsTrialsAndAPermitGivenBackTwiceCountsOnce() {
        node.breaker.forceOpen();
        node.breaker.halfOpenIfOpen();
        BreakerPermit first = node.admit();
        BreakerPermit second = node.admit();
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(node.admit()).as("a third trial").isNull();

        first.neutral();
        first.neutral();
        first.success();
        BreakerPermit again = node.admit();
        assertThat(again).as("the one permit given back").isNotNull();
        assertThat(node.admit()).as("a permit given back three times is one trial").isNull();
        assertThat(node.breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
    }

    @Test
    void lateResultOfATrySentBeforeTheLastStateChangeIsNotCounted() {
        BreakerPermit sentWhileClosed = node.admit();
        node.breaker.forceOpen();
        node.breaker.halfOpenIfOpen();
        BreakerPermit trial = node.admit();
        assertThat(node.admit()).isNotNull();
        assertThat(node.admit()).isNull();

        sentWhileClosed.success(); // would hand the half-open state a third trial
        assertThat(node.admit()).isNull();
        assertThat(node.breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(sentWhileClosed.isCurrent()).isFalse();
        assertThat(trial.isCurrent()).isTrue();
    }

    @Test
    void permitTakenBeforeAStateChangeIsRenewedBeforeItsTryIsSent() {
        BreakerPermit waited = node.admit(); // the try waits for a connection; meanwhile the breaker opens
        node.breaker.forceOpen();
        assertThat(node.renew(waited)).as("open: no permit").isNull();

        node.breaker.halfOpenIfOpen();
        BreakerPermit trial = node.admit();
        BreakerPermit old = node.admit();
        assertThat(node.renew(old)).isSameAs(old);
        assertThat(node.renew(trial)).isSameAs(trial);
        assertThat(node.admit()).isNull();
    }
}
