package dev.vaultx.pool.bench;

import dev.vaultx.pool.BalancingStrategy;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;

import java.net.URI;
import java.time.Duration;

/**
 * (a) vaultx-pool: {@code size} = the concurrency per node, no overflow (so no connection is ever
 * closed on return), {@code ROUND_ROBIN} by default (the same spread as the other clients), the
 * same I/O thread count, the pool's default timeouts. One immutable {@link VaultRequest} is built once and sent every time.
 */
final class PoolLoadClient implements LoadClient {

    private final AsyncHttpConnectionPool pool;
    private final VaultRequest request = VaultRequest.get(PATH).token(TOKEN).build();
    private final URI[] nodes;

    PoolLoadClient(Settings s) {
        var b = PoolConfig.builder()
                .name("bench")
                .nodeUris(s.nodes())
                .size(s.perNode())
                .maxOverflow(0)
                .maxPendingRequests(Math.max(1000, s.concurrency() * 4))
                .ioThreads(s.ioThreads())
                .balancingStrategy(BalancingStrategy.valueOf(s.strategy()));
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
