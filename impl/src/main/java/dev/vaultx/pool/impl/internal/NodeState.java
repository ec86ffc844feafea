package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.PoolConfig;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.core5.http.HttpHost;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * Everything the pool tracks of one node: its address, counters, role as last probed, breaker and
 * drain flag. Counters are atomics, changed only through this class's methods, which every path uses
 * (requests, {@code getConnection}, prewarm): {@link #beginWait()}/{@link #endWait()},
 * {@link #leased(int, Ticker)}/{@link #released(IntConsumer)}, and {@link #record} for an outcome, which needs the
 * {@link BreakerPermit} the try was admitted with. Every decrement that leaves the node with no lease and
 * no waiter runs {@link #onIdle}. The role and the other health fields are written by the health monitor
 * only (the role by compare-and-set) and read by everyone.
 *
 * <p>This class is thread-safe.
 */
public final class NodeState {

    private static final AtomicReferenceFieldUpdater<NodeState, NodeRole> ROLE =
            AtomicReferenceFieldUpdater.newUpdater(NodeState.class, NodeRole.class, "role");

    final int index;
    final URI uri;
    final HttpHost host;
    final HttpRoute route;
    final String hostPort;
    final NodeBreaker breaker;

    /** Requests waiting for a connection to this node. */
    final AtomicInteger waiting = new AtomicInteger();
    /** Connections leased (to requests or to {@code PooledConnection}s). */
    final AtomicInteger leased = new AtomicInteger();
    /** Tries sent and not yet answered. */
    final AtomicInteger inFlight = new AtomicInteger();
    /** Connections to this node that were opened (TCP connected), ever. */
    final LongAdder connectionsOpened = new LongAdder();
    final LongAdder tries = new LongAdder();
    final LongAdder failedTries = new LongAdder();

    /**
     * Ticker time this node last had more than {@code size} connections leased (set when such a lease is
     * granted and when it is returned): the node needed its overflow until then. Connections above
     * {@code size} are closed once this is older than {@code overflowIdleTimeout}. Starts at the node's creation.
     */
    volatile long lastOverflowNanos;
    volatile boolean draining;
    /** UNREACHABLE because probes timed out, not because connections were refused: a last resort for the balancer. */
    volatile boolean softUnreachable;
    /** The breaker was half-open when the last healthy probe was recorded. Written by the health monitor only. */
    volatile boolean halfOpenAtLastProbe;
    /** Ticker time of the last try this node answered without a node failure (at millisecond grain); 0 before any. */
    volatile long lastSuccessNanos;
    /** Set when the node reports a {@code cluster_id} other than the cluster's: it is not used. */
    volatile boolean foreign;
    /** Run each time the node is left with no leased connection and no waiter; set by a drain, cleared by resume. */
    volatile Runnable onIdle;
    volatile NodeRole role = NodeRole.UNKNOWN;
    volatile HealthSnapshot health = HealthSnapshot.NONE;

    NodeState(int index, URI uri, PoolConfig config, Ticker ticker, BiConsumer<CircuitState, CircuitState> breakerListener) {
        this.index = index;
        this.lastOverflowNanos = ticker.nanoTime();
        this.uri = uri;
        this.host = new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort());
        this.route = new HttpRoute(host);
        this.hostPort = uri.getHost() + ":" + uri.getPort();
        this.breaker = new NodeBreaker(config, ticker, breakerListener);
    }

    /** @return the node's base URI */
    public URI uri() {
        return uri;
    }

    /** @return {@code host:port}, used in JMX names and logs */
    public String hostPort() {
        return hostPort;
    }

    /** A request or {@code getConnection} starts waiting for a connection to this node (prewarm does not count). */
    void beginWait() {
        waiting.incrementAndGet();
    }

    /** A wait ended, however: granted (count the lease first), timed out, refused, cancelled. */
    void endWait() {
        if (waiting.decrementAndGet() == 0) {
            idleCheck();
        }
    }

    /**
     * Counts a connection leased to a request, a {@code PooledConnection} or the prewarm, and notes when the node
     * needed more than {@code size} of them.
     */
    void leased(int size, Ticker ticker) {
        if (leased.incrementAndGet() > size) {
            lastOverflowNanos = ticker.nanoTime(); // read only then: a clock read per lease is not free
        }
    }

    /**
     * Counts a connection returned. The count drops before {@code giveBack} hands the connection to the pool (which
     * may grant it to a waiter at once, counting it again: counted the other way round, the node would seem to hold
     * more than its limit and other returns would close their connections), and the idle check runs after it, so
     * that a drain woken here finds the connection idle or closed.
     *
     * @param giveBack returns the connection, given how many were leased before this one came back
     * @return how many connections were leased before this one was returned
     */
    int released(IntConsumer giveBack) {
        int before = leased.getAndDecrement();
        try {
            giveBack.accept(before);
        } finally {
            if (before == 1) {
                idleCheck();
            }
        }
        return before;
    }

    /** Runs {@link #onIdle} if the node has no lease and no waiter now. */
    void idleCheck() {
        Runnable r = onIdle;
        if (r != null && leased.get() == 0 && waiting.get() == 0) {
            r.run();
        }
    }

    /** @return a breaker permit for one try (or one {@code getConnection} lease), or {@code null} if refused */
    BreakerPermit admit() {
        return breaker.tryAcquire();
    }

    /**
     * Checks a permit just before its try is sent: one taken before the breaker's last state change (the try
     * waited for its connection meanwhile) would send a trial the new state never handed out, so it is given back
     * and a new one taken.
     *
     * @return {@code permit} if still current, else a new permit, or {@code null} if the breaker refuses one now
     */
    BreakerPermit renew(BreakerPermit permit) {
        if (permit.isCurrent()) {
            return permit;
        }
        permit.neutral();
        return admit();
    }

    /**
     * Records a try's outcome with the permit it was admitted with; gives the permit back.
     *
     * @param outcome {@link NodeBreaker#SUCCESS}, {@link NodeBreaker#FAILURE} or {@link NodeBreaker#NEUTRAL}
     * @param failedTry whether the try counts as failed in the node's statistics (not always a breaker failure:
     *                  a response too large is the node's success but the try's failure)
     */
    void record(BreakerPermit permit, int outcome, boolean failedTry) {
        if (failedTry) {
            failedTries.increment();
        }
        if (outcome == NodeBreaker.SUCCESS) {
            permit.success();
        } else if (outcome == NodeBreaker.FAILURE) {
            permit.failure();
        } else {
            permit.neutral();
        }
    }

    /**
     * Changes the role if it still is {@code expected}. Only the health monitor calls this: traffic hints.
     *
     * @return whether the role changed
     */
    boolean compareAndSetRole(NodeRole expected, NodeRole role) {
        return ROLE.compareAndSet(this, expected, role);
    }

    NodeRole role() {
        return role;
    }

    /** @return requests waiting for or holding this node: the balancer's load measure */
    int load() {
        return waiting.get() + inFlight.get();
    }

    /** @return whether the balancer may pick this node now: serving role, breaker not open, not draining */
    boolean isUsable() {
        return !draining && !foreign && role.isServing() && breaker.isAvailable();
    }

    /** @return whether the balancer may fall back to this node when no node is usable (panic routing) */
    boolean isLastResort() {
        return !draining && !foreign && role == NodeRole.UNREACHABLE && softUnreachable && breaker.isAvailable();
    }

    /** @return whether this node matches a name given by an operator: its URI or {@code host:port} */
    boolean matches(String name) {
        String n = name.trim();
        return n.equalsIgnoreCase(hostPort) || n.equalsIgnoreCase(uri.toString())
                || n.equalsIgnoreCase(uri.toString() + "/") || n.equalsIgnoreCase(uri.getHost() + "_" + uri.getPort());
    }

    @Override
    public String toString() {
        return uri + "[" + role + ", breaker=" + breaker.state() + (draining ? ", draining" : "") + "]";
    }
}
