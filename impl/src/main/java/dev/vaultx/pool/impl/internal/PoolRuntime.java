package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.NoAvailableNodeException;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.NodeStats;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolExhaustedException;
import dev.vaultx.pool.PoolStats;
import dev.vaultx.pool.impl.internal.metrics.MetricsTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The state one pool shares between its requests, leases, health monitor and maintenance: nodes,
 * transport, balancer, limits, counters, scheduler and listeners.
 *
 * <p>This class is thread-safe.
 */
public final class PoolRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(PoolRuntime.class);
    /** Threads of the {@link #worker}: one may be held by a slow listener while another ends requests on time. */
    static final int WORKERS = 2;

    final String name;
    final PoolConfig config;
    final List<NodeState> nodes;
    final HttpTransport transport;
    final Balancer balancer;
    /**
     * The timer: sweeps, probe ticks, maintenance and the delays of retries. It only decides and hands on: the work
     * that may run user code (completing a request's future runs its callbacks; listeners) goes to {@link #worker}.
     */
    final ScheduledExecutorService scheduler;
    /**
     * Runs what the timer hands on: requests ended by a timeout, retries after a delay, listener events. A few
     * daemon threads ({@link #WORKERS}), started on demand and ended after 10 s idle, and shut down on close, so
     * that a slow listener or callback delays neither the timer nor the I/O threads.
     */
    final ThreadPoolExecutor worker;
    final RetryBudget retryBudget;
    final Ticker ticker;
    final Listeners listeners;

    /** {@code borrowTimeout} and {@code attemptTimeout} in nanoseconds, read per request. */
    final long borrowTimeoutNanos;
    final long attemptTimeoutNanos;
    /** Requests waiting for a connection, pool-wide: the overflow protection counts these. */
    final AtomicInteger pending = new AtomicInteger();
    /** Requests accepted and not yet completed. */
    final AtomicInteger active = new AtomicInteger();
    /**
     * The requests under way, so that close() can complete those it did not wait for, and the deadlines of
     * {@code PooledConnection} exchanges ({@link SweptDeadline}): the sweeper expires both.
     */
    final LiveRequests executions = new LiveRequests();
    /** Ends requests at their deadline, tries at their attemptTimeout, and PooledConnection exchanges at theirs. */
    final TimeoutSweeper timeouts;
    final LongAdder totalRequests = new LongAdder();
    final LongAdder failedRequests = new LongAdder();

    private volatile int size;
    private volatile int maxOverflow;
    private volatile boolean closed;
    /** The {@code X-Vault-Index} states seen, merged as Vault's Go client does, for read-your-writes. */
    final ReplicationStates replicationStates = new ReplicationStates();
    /**
     * Where metrics go: set once at start, before any request or probe, to the pool's fan-out (the Dropwizard tracker,
     * in a private registry if the pool was given none, plus the attached public trackers); {@link MetricsTracker#NOOP}
     * before that.
     */
    volatile MetricsTracker metrics = MetricsTracker.NOOP;
    /** Asks the health monitor to probe soon (role changes suspected); replaced when the monitor starts. */
    volatile Runnable probeSoon = () -> { };

    public PoolRuntime(PoolConfig config, Ticker ticker) {
        this.name = config.name();
        this.config = config;
        this.ticker = ticker;
        this.size = config.size();
        this.maxOverflow = config.maxOverflow();
        this.borrowTimeoutNanos = Durations.nanos(config.borrowTimeout());
        this.attemptTimeoutNanos = Durations.nanos(config.attemptTimeout());
        java.util.concurrent.atomic.AtomicInteger workerIds = new java.util.concurrent.atomic.AtomicInteger();
        this.worker = new ThreadPoolExecutor(WORKERS, WORKERS, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "vaultx-pool-" + name + "-worker-" + workerIds.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.worker.allowCoreThreadTimeOut(true);
        this.listeners = new Listeners(name, worker);
        List<NodeState> list = new ArrayList<>();
        for (URI uri : config.nodes()) {
            int index = list.size();
            list.add(new NodeState(index, uri, config, ticker,
                    (from, to) -> {
                        metrics.circuitChanged(index, to);
                        listeners.circuitChanged(uri, from, to);
                    }));
        }
        this.nodes = Collections.unmodifiableList(list);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "vaultx-pool-" + name + "-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.scheduler = timer;
        this.timeouts = new TimeoutSweeper(executions, timer, worker, ticker, name);
        this.transport = new HttpTransport(config, nodes, ticker);
        this.balancer = new Balancer(nodes, config.balancingStrategy(), config.readFromStandbys());
        this.retryBudget = new RetryBudget(config.retryBudgetRatio(), config.retryBudgetMinPerSecond());
    }

    public String name() {
        return name;
    }

    /** Runs {@code task} on the {@link #worker}; on this thread if the worker is shut down (the pool closed). */
    void onWorker(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException shutDown) {
            task.run();
        }
    }

    /**
     * Runs {@code task} on the {@link #worker} once the {@link #ticker} has moved {@code delayNanos} on (a retry's
     * backoff or {@code Retry-After} wait, a drain's timeout, the prewarm's bound on readiness): a deadline the
     * {@link TimeoutSweeper} expires, up to one sweep late, so that the delay follows the pool's ticker like every
     * other timeout.
     *
     * @return the deadline; settling it first cancels the task
     * @throws RejectedExecutionException if the timer is shut down (the pool closed)
     */
    SweptDeadline later(Runnable task, long delayNanos) {
        SweptDeadline d = new SweptDeadline(executions, ticker.nanoTime() + delayNanos, task);
        executions.add(d);
        if (scheduler.isShutdown() || !timeouts.ensureRunning()) {
            d.settle();
            throw new RejectedExecutionException(name + " - the timer is shut down");
        }
        return d;
    }

    public PoolConfig config() {
        return config;
    }

    public List<NodeState> nodes() {
        return nodes;
    }

    int size() {
        return size;
    }

    int maxOverflow() {
        return maxOverflow;
    }

    /** @return {@code size + maxOverflow}: the most connections a node may have now */
    int maxPerNode() {
        return size + maxOverflow;
    }

    boolean isClosed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }

    /** Applies new limits to every node; see {@code PoolControl.resize}. */
    void setLimits(int newSize, int newOverflow) {
        this.size = newSize;
        this.maxOverflow = newOverflow;
        transport.setLimits(nodes, newSize + newOverflow);
    }

    /** @return the node an operator named by URI or {@code host:port} */
    NodeState node(String name) {
        if (name != null) {
            for (NodeState n : nodes) {
                if (n.matches(name)) {
                    return n;
                }
            }
        }
        throw new IllegalArgumentException("node: " + name + " (expected: one of " + nodeNames() + ")");
    }

    /** @return the configured node with this scheme, host and port, or {@code null} */
    NodeState nodeAt(URI uri) {
        for (NodeState n : nodes) {
            int port = uri.getPort() >= 0 ? uri.getPort() : ("https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
            if (n.uri.getScheme().equalsIgnoreCase(uri.getScheme()) && n.uri.getHost().equalsIgnoreCase(uri.getHost())
                    && n.uri.getPort() == port) {
                return n;
            }
        }
        return null;
    }

    List<String> nodeNames() {
        List<String> names = new ArrayList<>();
        for (NodeState n : nodes) {
            names.add(n.hostPort);
        }
        return names;
    }

    /**
     * Changes a node's role from {@code expected} to {@code role} by compare-and-set, and tells the listeners of
     * the change that happened. Only the health monitor calls this; traffic only hints ({@link #probeSoon}).
     *
     * @return whether the role changed (not if it was no longer {@code expected}, or already {@code role})
     */
    boolean changeRole(NodeState node, NodeRole expected, NodeRole role) {
        if (expected == role || !node.compareAndSetRole(expected, role)) {
            return false;
        }
        LOG.info("{} - node {} is now {} (was {})", name, node.uri, role, expected);
        listeners.roleChanged(node.uri, expected, role);
        return true;
    }

    /** Builds the message of a {@link PoolExhaustedException}, HikariCP style. */
    PoolExhaustedException exhausted(NodeState node, long waitedNanos, String what, Throwable cause) {
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(waitedNanos);
        StringBuilder m = new StringBuilder();
        if (node != null) {
            org.apache.hc.core5.pool.PoolStats s = transport.stats(node);
            m.append("connection not available on ").append(node.uri).append(", ").append(what)
                    .append(" after ").append(waitedMs).append("ms (size=").append(size)
                    .append(", maxOverflow=").append(maxOverflow)
                    .append(", total=").append(s.getLeased() + s.getAvailable())
                    .append(", active=").append(s.getLeased()).append(", idle=").append(s.getAvailable())
                    .append(", waiting=").append(node.waiting.get()).append(", pending=").append(pending.get()).append(')');
        } else {
            m.append(what).append(" (maxPendingRequests=").append(config.maxPendingRequests())
                    .append(", pending=").append(pending.get()).append(", size=").append(size)
                    .append(", maxOverflow=").append(maxOverflow).append(", nodes=").append(nodes.size()).append(')');
        }
        return new PoolExhaustedException(name, node == null ? null : node.uri, Duration.ofNanos(waitedNanos), m.toString(), cause);
    }

    /** @return the failure for a request no node can serve, listing each node's state */
    NoAvailableNodeException noNode(boolean read, Throwable lastFailure) {
        List<NodeHealth> states = new ArrayList<>();
        StringBuilder m = new StringBuilder("no node can serve ").append(read ? "a read" : "a write").append(": ");
        for (NodeState n : nodes) {
            states.add(health(n));
            m.append(n.hostPort).append('=').append(n.role).append("/breaker ").append(n.breaker.state())
                    .append(n.draining ? "/draining" : "").append(n.foreign ? "/other cluster" : "");
            String lastError = n.health.lastError();
            if (n.role == dev.vaultx.pool.NodeRole.UNREACHABLE && lastError != null) {
                m.append(" (").append(lastError).append(')');
            }
            m.append("; ");
        }
        m.setLength(m.length() - 2);
        return new NoAvailableNodeException(name, m.toString(), states, lastFailure);
    }

    /** @return a statistics snapshot */
    public PoolStats stats() {
        List<NodeStats> list = new ArrayList<>(nodes.size());
        int total = 0;
        int activeConns = 0;
        int idle = 0;
        int waiting = 0;
        for (NodeState n : nodes) {
            org.apache.hc.core5.pool.PoolStats s = transport.stats(n);
            int leased = s.getLeased();
            int available = s.getAvailable();
            total += leased + available;
            activeConns += leased;
            idle += available;
            waiting += n.waiting.get();
            double[] latency = metrics.nodeLatencyMillis(n.index);
            long opened = n.connectionsOpened.sum();
            list.add(new NodeStats(n.uri, leased + available, leased, available, n.waiting.get(), n.inFlight.get(),
                    size + maxOverflow, n.tries.sum(), n.failedTries.sum(), n.draining, latency[0], latency[1],
                    opened, Math.max(0, opened - leased - available)));
        }
        return new PoolStats(name, total, activeConns, idle, waiting, totalRequests.sum(), failedRequests.sum(),
                size, maxOverflow, list);
    }

    /** @return one node's health view */
    NodeHealth health(NodeState n) {
        HealthSnapshot h = n.health;
        CircuitState cs = n.breaker.state();
        int failures = Math.max(h.consecutiveFailures(), n.breaker.consecutiveFailures());
        return new NodeHealth(n.uri, n.role, cs, h.lastCheck(), h.latency(), failures, h.lastError(), h.clusterId(),
                h.version(), n.draining, n.isUsable() || n.isLastResort());
    }

    /**
     * Stops the timer. Its queued tasks (the timeout sweeper, retries, backoffs) are dropped, so the requests
     * still under way are completed here with {@link dev.vaultx.pool.PoolClosedException}.
     */
    void shutdownScheduler() {
        scheduler.shutdownNow();
        worker.shutdown(); // what it was given still runs
        for (LiveRequests.Entry e : executions.snapshot()) {
            try {
                e.abortOnClose();
            } catch (RuntimeException ex) {
                LOG.debug("{} - completing a request at close failed", name, ex);
            }
        }
    }
}
