package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.PoolClosedException;
import dev.vaultx.pool.PoolConfigException;
import dev.vaultx.pool.PoolControl;
import dev.vaultx.pool.PoolHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * {@link PoolControl}: resize, drain, resume, evict, reset, probe. No operation fails a request in
 * flight: limits change for new leases, busy connections close when returned.
 *
 * <p>This class is thread-safe.
 */
public final class PoolController implements PoolControl {

    private static final Logger LOG = LoggerFactory.getLogger(PoolController.class);

    private final PoolRuntime rt;
    private final Supplier<CompletableFuture<PoolHealth>> checkHealth;
    /** Drains under way, completed exceptionally when the pool closes. */
    private final Set<CompletableFuture<DrainResult>> drains = ConcurrentHashMap.newKeySet();

    public PoolController(PoolRuntime rt, Supplier<CompletableFuture<PoolHealth>> checkHealth) {
        this.rt = rt;
        this.checkHealth = checkHealth;
    }

    @Override
    public void resize(int size, int maxOverflow) {
        if (size < 1 || size > 10_000) {
            throw new PoolConfigException("size", size, "1-10000");
        }
        if (maxOverflow < 0 || maxOverflow > 10_000) {
            throw new PoolConfigException("maxOverflow", maxOverflow, "0-10000");
        }
        int oldSize = rt.size();
        int oldOverflow = rt.maxOverflow();
        rt.setLimits(size, maxOverflow);
        trimIdle(true, 0);
        LOG.info("{} - resized from size={}, maxOverflow={} to size={}, maxOverflow={}", rt.name, oldSize, oldOverflow,
                size, maxOverflow);
    }

    /** Closes idle connections above {@code size} on each node that has not needed its overflow since {@code cutoffNanos}. */
    void trimOverflow(long cutoffNanos) {
        trimIdle(false, cutoffNanos);
    }

    /** @param now {@code true} after a resize: trim every node now, whenever it last needed its overflow */
    private void trimIdle(boolean now, long cutoffNanos) {
        int size = rt.size();
        for (NodeState n : rt.nodes) {
            org.apache.hc.core5.pool.PoolStats s = rt.transport.stats(n);
            long lastNeeded = now ? cutoffNanos : n.lastOverflowNanos;
            int close = IdleMaintenance.overflowToClose(s.getLeased() + s.getAvailable(), s.getAvailable(), size,
                    lastNeeded, cutoffNanos);
            if (close > 0) {
                rt.transport.closeIdle(n, close);
            }
        }
    }

    @Override
    public CompletableFuture<DrainResult> drain(String node, Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: a duration >= 0)");
        }
        NodeState n = rt.node(node);
        return drain(n, timeout);
    }

    /**
     * Drains a node: no new work goes there; its idle connections are closed at once, and the drain completes as
     * soon as the node has no leased connection and no request waiting for one, however they ended (returned,
     * timed out, failed to connect). At its timeout the idle connections are closed again and it completes with
     * what is still busy. It completes exceptionally with {@link PoolClosedException} if the pool closes first.
     */
    private CompletableFuture<DrainResult> drain(NodeState n, Duration timeout) {
        long start = rt.ticker.nanoTime();
        CompletableFuture<DrainResult> done = new CompletableFuture<>();
        if (rt.isClosed()) {
            done.completeExceptionally(new PoolClosedException(rt.name));
            return done;
        }
        n.draining = true;
        LOG.info("{} - draining {}", rt.name, n.uri);
        Runnable finish = () -> {
            if (n.leased.get() == 0 && n.waiting.get() == 0 && !done.isDone()) {
                closeIdleOf(n);
                done.complete(new DrainResult(n.uri, true, 0, Duration.ofNanos(rt.ticker.nanoTime() - start)));
            }
        };
        drains.add(done);
        n.onIdle = finish;
        done.whenComplete((r, e) -> {
            drains.remove(done);
            if (n.onIdle == finish) {
                n.onIdle = null;
            }
        });
        closeIdleOf(n); // idle connections are no use to a draining node, whatever the busy ones do
        n.idleCheck();
        if (!done.isDone()) {
            try {
                SweptDeadline timer = rt.later(() -> timedOut(n, done, start), Durations.nanos(timeout));
                done.whenComplete((r, e) -> timer.settle()); // a drain that ends first leaves nothing to sweep
            } catch (RejectedExecutionException closed) {
                done.completeExceptionally(new PoolClosedException(rt.name));
            }
        }
        return done;
    }

    private void timedOut(NodeState n, CompletableFuture<DrainResult> done, long start) {
        if (done.isDone()) {
            return;
        }
        closeIdleOf(n); // connections returned since the drain began were closed on return; any others go now
        int busy = n.leased.get();
        boolean idle = busy == 0 && n.waiting.get() == 0;
        if (done.complete(new DrainResult(n.uri, idle, busy, Duration.ofNanos(rt.ticker.nanoTime() - start))) && !idle) {
            LOG.warn("{} - drain of {} timed out with {} connections still busy and {} requests waiting", rt.name, n.uri,
                    busy, n.waiting.get());
        }
    }

    /** Completes the drains still under way exceptionally: the pool is closing and will not finish them. */
    void close() {
        for (CompletableFuture<DrainResult> d : drains) {
            d.completeExceptionally(new PoolClosedException(rt.name));
        }
    }

    private void closeIdleOf(NodeState n) {
        int idle = rt.transport.stats(n).getAvailable();
        if (idle > 0) {
            rt.transport.closeIdle(n, idle);
        }
    }

    @Override
    public CompletableFuture<List<DrainResult>> drainAll(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: a duration >= 0)");
        }
        List<CompletableFuture<DrainResult>> all = new ArrayList<>();
        for (NodeState n : rt.nodes) {
            all.add(drain(n, timeout));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
    }

    @Override
    public void resume(String node) {
        NodeState n = rt.node(node);
        n.draining = false;
        n.onIdle = null;
        LOG.info("{} - resumed {}", rt.name, n.uri);
    }

    @Override
    public int evictIdle() {
        int idle = 0;
        for (NodeState n : rt.nodes) {
            idle += rt.transport.stats(n).getAvailable();
        }
        rt.transport.closeIdle(Duration.ZERO);
        return idle;
    }

    @Override
    public void resetCircuit(String node) {
        NodeState n = rt.node(node);
        n.breaker.reset();
        LOG.info("{} - circuit breaker of {} reset by an operator", rt.name, n.uri);
    }

    @Override
    public CompletableFuture<PoolHealth> checkHealthNow() {
        return checkHealth.get();
    }
}
