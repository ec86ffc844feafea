package dev.vaultx.pool;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Runtime control of a pool: what an operator does from JConsole. Obtained from
 * {@link ConnectionPool#control()}.
 *
 * <p>No operation here fails or interrupts a request in flight: shrinking lets busy connections
 * finish and closes them on return; a drained node takes no new requests and closes its connections
 * once the ones it has are done. Nodes are named by their base URI as configured, or by
 * {@code host:port}.
 *
 * <p>This interface is thread-safe.
 */
public interface PoolControl {

    /**
     * Changes the connections kept per node and the overflow above them, for every node, while
     * traffic flows. Growing helps waiting requests at once; shrinking closes idle connections above
     * the new size now, and busy ones above the new {@code size + maxOverflow} when they are returned
     * (those between the two stay while they are needed, as overflow does).
     *
     * @param size connections kept per node, at least 1
     * @param maxOverflow extra connections per node, at least 0
     * @throws IllegalArgumentException with {@code name: value (expected: ...)} on a bad value
     */
    void resize(int size, int maxOverflow);

    /**
     * Stops sending new requests and leases to a node; requests in flight complete; then its
     * connections close.
     *
     * @param node the node's base URI or {@code host:port}
     * @param timeout how long to wait for busy connections; not negative
     * @return a future completed when the node is drained or the timeout passed
     * @throws IllegalArgumentException for an unknown node or a negative timeout
     */
    CompletableFuture<DrainResult> drain(String node, Duration timeout);

    /**
     * Drains every node: followed by {@link ConnectionPool#close()} it is a graceful shutdown.
     *
     * @param timeout how long to wait for busy connections; not negative
     * @return a future with one result per node
     */
    CompletableFuture<java.util.List<DrainResult>> drainAll(Duration timeout);

    /**
     * Takes a drained node back into service.
     *
     * @throws IllegalArgumentException for an unknown node
     */
    void resume(String node);

    /**
     * Closes every idle connection now (busy ones are untouched).
     *
     * @return how many connections were idle before the call (an estimate under traffic)
     */
    int evictIdle();

    /**
     * Closes a node's circuit breaker, forgetting its failures.
     *
     * @throws IllegalArgumentException for an unknown node
     */
    void resetCircuit(String node);

    /**
     * Probes every node's {@code /v1/sys/health} now, outside the regular schedule. A node whose probe is already
     * under way (the first probes after start, say) is not probed twice: that probe is awaited.
     *
     * @return the pool health once every probe has answered or timed out
     */
    CompletableFuture<PoolHealth> checkHealthNow();

    /**
     * The outcome of a drain.
     *
     * @param node the drained node
     * @param completed {@code true} if no connection was busy when the future completed
     * @param stillBusy connections still busy at the timeout (0 when completed)
     * @param waited how long the drain waited
     */
    record DrainResult(URI node, boolean completed, int stillBusy, Duration waited) {
    }
}
