package dev.vaultx.pool.impl.hardening;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.FailureKind;
import dev.vaultx.pool.HealthStatus;
import dev.vaultx.pool.NoAvailableNodeException;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.PoolHealth;
import dev.vaultx.pool.VaultTransportException;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.vaultx.pool.impl.hardening.HardeningSupport.IN_FLIGHT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node whose host name does not resolve ({@code .invalid} never does, RFC 6761, and never leaves the
 * machine). Among good nodes it is UNREACHABLE with {@code UNKNOWN_HOST} and the others keep serving; as
 * the only node every request fails fast and typed.
 */
@Timeout(60)
class UnknownHostTest {

    private static final URI NOWHERE = URI.create("http://no-such-host.invalid:8200");

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;

    @AfterEach
    void stop() {
        Closing.closeAll(pool, cluster);
    }

    @Test
    void aNodeThatDoesNotResolveIsUnreachableAndTheOthersKeepServing() {
        cluster = HardeningSupport.cluster(2);
        List<URI> nodes = new ArrayList<>(cluster.urls());
        nodes.add(1, NOWHERE);
        long t0 = System.nanoTime();
        pool = AsyncHttpConnectionPool.start(HardeningSupport.config(nodes).build());
        PoolHealth ready = pool.awaitReady(Duration.ofSeconds(5));
        System.out.printf("measured: ready after %d ms with an unresolvable node: %s%n", HardeningSupport.millisSince(t0),
                ready.nodes().get(1));

        NodeHealth nowhere = ready.nodes().get(1);
        assertThat(nowhere.role()).isEqualTo(NodeRole.UNREACHABLE);
        assertThat(nowhere.usable()).isFalse();
        assertThat(nowhere.circuitState()).isEqualTo(CircuitState.OPEN);
        assertThat(nowhere.lastError()).contains("UnknownHost");
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.health().status() == HealthStatus.DEGRADED);

        HardeningSupport.Result result = HardeningSupport.awaitAll(HardeningSupport.burst(pool, IN_FLIGHT,
                i -> i % 2 == 0 ? HardeningSupport.read() : HardeningSupport.write("w" + i)));
        System.out.printf("measured: %d requests with an unresolvable node among two good ones: %s%n", IN_FLIGHT, result);
        assertThat(result.outcomes()).containsOnlyKeys("HTTP 200");
        assertThat(pool.stats().nodes().get(1).totalConnections()).isZero();
        HardeningSupport.assertQuiescent(pool);
    }

    @Test
    void requestsSentBeforeTheFirstProbeFailOverFromTheUnresolvableNode() {
        cluster = HardeningSupport.cluster(2);
        // the unresolvable node first, and requests sent at once: the balancer knows no roles yet
        List<URI> nodes = new ArrayList<>(cluster.urls());
        nodes.add(0, NOWHERE);
        pool = AsyncHttpConnectionPool.start(HardeningSupport.config(nodes).prewarm(false).build());

        HardeningSupport.Result result = HardeningSupport.awaitAll(HardeningSupport.burst(pool, IN_FLIGHT,
                i -> i % 2 == 0 ? HardeningSupport.read() : HardeningSupport.write("w" + i)));
        System.out.printf("measured: %d requests sent at start with an unresolvable node: %s%n", IN_FLIGHT, result);

        assertThat(result.outcomes()).containsOnlyKeys("HTTP 200");
        HardeningSupport.assertQuiescent(pool);
    }

    @Test
    void asTheOnlyNodeEveryRequestFailsFastAndTyped() {
        pool = AsyncHttpConnectionPool.start(HardeningSupport.config(List.of(NOWHERE)).build());

        long t0 = System.nanoTime();
        Throwable first = HardeningSupport.unwrap(pool.requestAsync(HardeningSupport.read()).handle((r, x) -> x).join());
        long firstMs = HardeningSupport.millisSince(t0);
        HardeningSupport.Result result = HardeningSupport.awaitAll(HardeningSupport.burst(pool, IN_FLIGHT,
                i -> i % 2 == 0 ? HardeningSupport.read() : HardeningSupport.write("w" + i)));
        System.out.printf("measured: only node unresolvable: first request failed after %d ms with %s; then %s%n", firstMs, first,
                result);

        assertThat(first).isInstanceOfAny(VaultTransportException.class, NoAvailableNodeException.class);
        if (first instanceof VaultTransportException v) {
            assertThat(v.kind()).isEqualTo(FailureKind.UNKNOWN_HOST);
        }
        assertThat(firstMs).as("fails fast, not at the deadline").isLessThan(1000);
        assertThat(result.responses()).isEmpty();
        assertThat(result.slowestMillis()).isLessThan(1000);
        assertThat(result.failures()).allSatisfy(e -> assertThat(e)
                .isInstanceOfAny(VaultTransportException.class, NoAvailableNodeException.class));
        assertThat(pool.health().status()).isEqualTo(HealthStatus.DOWN);
        HardeningSupport.assertQuiescent(pool);
    }
}
