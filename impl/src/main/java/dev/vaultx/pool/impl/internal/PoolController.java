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
    /** Drains under way, of any node (a node may have several); completed exceptionally when the pool closes. */
    private final Set<Drain> drains = ConcurrentHashMap.newKeySet();

    /** One call of {@link #drain(String, Duration)}: its node, its result, when it began (ticker time). */
    private record Drain(NodeState node, CompletableFuture<DrainResult> done, long start) {
        Duration waited(long now) {
            return Duration.ofNanos(now - start);
        }
    }

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
        Drain d = new Drain(n, new CompletableFuture<>(), rt.ticker.nanoTime());
        if (rt.isClosed()) {
            d.done.completeExceptionally(new PoolClosedException(rt.name));
            return d.done;
        }
        n.draining = true;
        LOG.info("{} - draining {}", rt.name, n.uri);
        drains.add(d);
        d.done.whenComplete((r, e) -> drains.remove(d));
        if (rt.isClosed()) {
            // closed since the check above: close() may have completed the drains before this one was listed
            d.done.completeExceptionally(new PoolClosedException(rt.name));
            return d.done;
        }
        // one hook per node, serving every drain of it; it stays until resume, and finds nothing to do once the
        // drains are over (a drained node gets no traffic to run it)
        n.onIdle = () -> idle(n);
        closeIdleOf(n); // idle connections are no use to a draining node, whatever the busy ones do
        n.idleCheck();
        if (!d.done.isDone()) {
            try {
                SweptDeadline timer = rt.later(() -> timedOut(d), Durations.nanos(timeout));
                d.done.whenComplete((r, e) -> timer.settle()); // a drain that ends first leaves nothing to sweep
            } catch (RejectedExecutionException closed) {
                d.done.completeExceptionally(new PoolClosedException(rt.name));
            }
        }
        return d.done;
    }

    /** The node has no leased connection and no waiter (or had, a moment ago): its drains complete. */
    private void idle(NodeState n) {
        boolean closed = false;
        for (Drain d : drains) {
            if (d.node == n && !d.done.isDone() && n.leased.get() == 0 && n.waiting.get() == 0) {
                if (!closed) {
                    closeIdleOf(n);
                    closed = true;
                }
                d.done.complete(new DrainResult(n.uri, true, 0, d.waited(rt.ticker.nanoTime())));
            }
        }
    }

    private void timedOut(Drain d) {
        if (d.done.isDone()) {
            return;
        }
        NodeState n = d.node;
        closeIdleOf(n); // connections returned since the drain began were closed on return; any others go now
        int busy = n.leased.get();
        boolean idle = busy == 0 && n.waiting.get() == 0;
        if (d.done.complete(new DrainResult(n.uri, idle, busy, d.waited(rt.ticker.nanoTime()))) && !idle) {
            LOG.warn("{} - drain of {} timed out with {} connections still busy and {} requests waiting", rt.name, n.uri,
                    busy, n.waiting.get());
        }
    }

    /** Completes the drains still under way exceptionally: the pool is closing and will not finish them. */
    void close() {
        for (Drain d : drains) {
            d.done.completeExceptionally(new PoolClosedException(rt.name));
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
