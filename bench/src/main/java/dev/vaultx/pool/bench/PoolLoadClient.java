package dev.vaultx.pool.bench;

import dev.vaultx.pool.BalancingStrategy;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;

import java.net.URI;
import java.time.Duration;

/**
 * (a) vaultx-pool at the defaults a user starts with ({@code size} 10, {@code maxOverflow} 5,
 * {@code maxPendingRequests} 1000, timeouts), so that with more requests in flight than connections
 * they wait for leases, as users' requests do; {@code ROUND_ROBIN} by default (the same spread as the
 * other clients) and the same I/O thread count. The secondary client {@code pool-sized} sets
 * {@code size} = the concurrency per node and no overflow, the other clients' sizing, and is reported
 * only as a labelled secondary row. One immutable {@link VaultRequest} is built once and sent every time.
 */
final class PoolLoadClient implements LoadClient {

    private final AsyncHttpConnectionPool pool;
    private final VaultRequest request = VaultRequest.get(PATH).token(TOKEN).build();
    private final URI[] nodes;

    /** @param sized {@code true} for {@code size} = concurrency and no overflow, {@code false} for the defaults */
    PoolLoadClient(Settings s, boolean sized) {
        var b = PoolConfig.builder()
                .name("bench")
                .nodeUris(s.nodes())
                .ioThreads(s.ioThreads())
                .balancingStrategy(BalancingStrategy.valueOf(s.strategy()));
        if (s.caFile() != null) {
            b.tlsCaFile(java.nio.file.Path.of(s.caFile()));
        }
        if (sized) {
            b.size(s.perNode()).maxOverflow(0).maxPendingRequests(Math.max(1000, s.concurrency() * 4));
        }
        // the pool's defaults (requestTimeout 60 s, attemptTimeout 15 s) unless a profile run asks otherwise
        if (s.poolRequestTimeoutSeconds() > 0) {
            b.requestTimeout(Duration.ofMillis((long) (s.poolRequestTimeoutSeconds() * 1000)));
        }
        if (s.poolAttemptTimeoutSeconds() > 0) {
            b.attemptTimeout(Duration.ofMillis((long) (s.poolAttemptTimeoutSeconds() * 1000)));
        }
        PoolConfig config = b.build();
        this.pool = AsyncHttpConnectionPool.start(config);
        this.nodes = pool.config().nodes().toArray(new URI[0]);
    }

    /** The node's index: identity first (the pool hands back its configured URI), equality as a fallback. */
    private int indexOf(URI u) {
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] == u) {
                return i;
            }
        }
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i].equals(u)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void ready() {
        pool.awaitReady(Duration.ofSeconds(10));
    }

    @Override
    public void send(Done done) {
        pool.requestAsync(request).whenComplete((r, e) -> {
            if (e != null) {
                done.failed(e);
            } else {
                done.completed(r.status(), r.body().length, indexOf(r.node()));
            }
        });
    }

    AsyncHttpConnectionPool pool() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }
}
