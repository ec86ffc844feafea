package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.HealthStatus;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.PoolHealth;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.internal.health.HealthProbeResult;
import dev.vaultx.pool.impl.internal.health.HealthResponseParser;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Probes every node's {@code GET /v1/sys/health} (no token, status overrides remapped to 2xx) on its
 * own connections, at most one probe per node at a time, and turns the answers into roles, breaker
 * changes and the pool's health. When no active node is known (a leader election) or traffic hints
 * at a role change, it probes faster until the cluster settles. Hints are {@link PoolRuntime#probeSoon},
 * any failure counted against the active node's breaker, and a probe that finds the active node gone;
 * each brings every node's probe forward at once, at most one round per {@link ProbeSchedule#HURRY_GAP}.
 * Scheduling is {@link ProbeSchedule}, a function of the time.
 *
 * <p>This class is thread-safe.
 */
final class HealthMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);
    /** Probe timeouts in a row (with no successful request meanwhile) that make a node UNREACHABLE. */
    static final int SOFT_FAILURES = 3;
    static final String PATH = "/v1/sys/health?" + HealthResponseParser.QUERY;

    private final PoolRuntime rt;
    private final HttpTransport probes;
    private final ProbeSchedule schedule;
    /** Per node, the probe under way (its completion), or {@code null}: a second probe of a node awaits the first. */
    private final AtomicReferenceArray<CompletableFuture<Void>> probing;
    /** Keeps the probe loop going through any failure of a tick or of taking in a probe's answer. */
    private final LoopGuard guard;
    private volatile boolean closed;
    // @GuardedBy("this")
    private java.util.concurrent.ScheduledFuture<?> nextTick;

    HealthMonitor(PoolRuntime rt) {
        this.rt = rt;
        // the schedule first: if it fails, no probe client (with its I/O thread) has been started
        this.schedule = new ProbeSchedule(rt.nodes.size(), rt.config.healthCheckInterval());
        this.probes = HttpTransport.forProbes(rt.config, rt.nodes);
        this.probing = new AtomicReferenceArray<>(rt.nodes.size());
        this.guard = new LoopGuard(rt.name, "health probing");
        rt.probeSoon = this::hurry;
        for (NodeState n : rt.nodes) {
            // a request failed on the active node (refused, reset, timed out, 5xx, sealed; or the failure that
            // opened its breaker): it may be gone, and the balancer falls back to standbys until a probe finds the
            // new active node. Without this nothing probes before the next regular tick, up to an interval away.
            n.breaker.onFailure(() -> {
                if (n.role == NodeRole.ACTIVE) {
                    hurry();
                }
            });
        }
    }

    /** Brings every node's probe forward (roles may have changed); rate-limited by the schedule. */
    private void hurry() {
        if (!closed) {
            scheduleTick(schedule.hurry(rt.ticker.nanoTime()));
        }
    }

    /** Probes every node now and keeps probing on schedule. */
    CompletableFuture<PoolHealth> start() {
        CompletableFuture<PoolHealth> first = probeAll();
        tick();
        return first;
    }

    private void tick() {
        synchronized (this) {
            // this tick is no longer pending: from here on a hurry schedules a tick of its own. Were this done only
            // after the run, a hurry during the run would find this tick "due sooner", schedule nothing, and then
            // wait for the delay computed before it.
            if (nextTick != null && nextTick.getDelay(TimeUnit.NANOSECONDS) <= 0) {
                nextTick = null;
            }
        }
        if (closed) {
            return;
        }
        long delay;
        try {
            delay = schedule.run(rt.ticker.nanoTime(), !activeKnown(), i -> probe(rt.nodes.get(i)));
        } catch (Throwable e) { // anything, Errors included: a tick that throws must not end probing for good
            guard.failed(e);
            delay = TimeUnit.SECONDS.toNanos(1);
        }
        scheduleTick(delay);
    }

    /** Keeps exactly one pending tick, the earliest asked for. */
    private synchronized void scheduleTick(long delayNanos) {
        if (closed || (nextTick != null && nextTick.getDelay(TimeUnit.NANOSECONDS) <= delayNanos)) {
            return;
        }
        if (nextTick != null) {
            nextTick.cancel(false);
        }
        try {
            nextTick = rt.scheduler.schedule(this::tick, delayNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shutDown) {
            nextTick = null;
        }
    }

    /**
     * @return whether an active node is known and serving: one with the ACTIVE role, usable, and its breaker not
     *         open. An open breaker whose delay has passed makes a node usable again (for trial requests), but
     *         says nothing of whether it is still the active node: until a probe or a trial tells, probe fast.
     */
    private boolean activeKnown() {
        for (NodeState n : rt.nodes) {
            if (n.role == NodeRole.ACTIVE && n.isUsable() && n.breaker.state() != dev.vaultx.pool.CircuitState.OPEN) {
                return true;
            }
        }
        return false;
    }

    CompletableFuture<PoolHealth> probeAll() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (NodeState n : rt.nodes) {
            all.add(probe(n));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).thenApply(v -> health());
    }

    /** Probes one node unless a probe of it is already under way (which is then awaited instead). */
    private CompletableFuture<Void> probe(NodeState node) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.complete(null);
            return done;
        }
        CompletableFuture<Void> underWay = probing.compareAndExchange(node.index, null, done);
        if (underWay != null) {
            return underWay; // checkHealthNow() during the first probes reports what they find, not what is known before
        }
        long start = rt.ticker.nanoTime();
        Duration timeout = rt.config.healthCheckTimeout();
        AtomicBoolean finished = new AtomicBoolean();
        boolean[] hardFailure = new boolean[1];
        // the node answered, but nothing readable (invalid JSON, not a health body, too large, not HTTP)
        boolean[] answered = new boolean[1];
        AsyncClientEndpoint[] held = new AsyncClientEndpoint[1];
        Runnable onTimeout = () -> {
            if (finished.compareAndSet(false, true)) {
                synchronized (held) {
                    if (held[0] != null) {
                        held[0].releaseAndDiscard();
                    }
                }
                recordGuarded(node, HealthProbeResult.unreachable("health probe timed out after " + timeout.toMillis() + "ms"),
                        start, false, false);
                probing.set(node.index, null);
                done.complete(null);
            }
        };
        // the probe's timeout is a deadline the pool's sweeper expires (up to one sweep late), not a timer task
        long nanos = timeout.toNanos();
        SweptDeadline timer = new SweptDeadline(rt.executions, nanos > Long.MAX_VALUE - start ? Long.MAX_VALUE : start + nanos,
                onTimeout);
        rt.executions.add(timer);
        if (!rt.timeouts.ensureRunning()) {
            rt.executions.remove(timer); // the pool is closing
            probing.set(node.index, null);
            done.complete(null);
            return done;
        }
        java.util.function.Consumer<HealthProbeResult> finish = r -> {
            if (finished.compareAndSet(false, true)) {
                timer.settle();
                recordGuarded(node, r, start, hardFailure[0], answered[0]);
                probing.set(node.index, null);
                done.complete(null);
            }
        };
        probes.lease(node, timeout, new FutureCallback<>() {
            @Override
            public void completed(AsyncClientEndpoint endpoint) {
                synchronized (held) {
                    held[0] = endpoint;
                }
                if (finished.get()) {
                    endpoint.releaseAndDiscard();
                    return;
                }
                probes.send(endpoint, node, VaultRequest.get(PATH).build(), PATH, new FutureCallback<>() {
                    @Override
                    public void completed(VaultResponse r) {
                        endpoint.releaseAndReuse();
                        answered[0] = true;
                        finish.accept(HealthResponseParser.parse(r.status(), r.body()));
                    }

                    @Override
                    public void failed(Exception ex) {
                        endpoint.releaseAndDiscard();
                        dev.vaultx.pool.FailureKind kind = Failures.kindOf(ex, false);
                        hardFailure[0] = kind.isBeforeSend();
                        answered[0] = kind == dev.vaultx.pool.FailureKind.PROTOCOL_ERROR
                                || kind == dev.vaultx.pool.FailureKind.RESPONSE_TOO_LARGE;
                        finish.accept(HealthProbeResult.unreachable(Failures.describe(ex)));
                    }

                    @Override
                    public void cancelled() {
                        endpoint.releaseAndDiscard();
                        finish.accept(HealthProbeResult.unreachable("health probe cancelled"));
                    }
                });
            }

            @Override
            public void failed(Exception ex) {
                // no connection: refused or unknown host proves the node is down; a lease timeout does not
                hardFailure[0] = !(Failures.unwrap(ex) instanceof java.util.concurrent.TimeoutException);
                finish.accept(HealthProbeResult.unreachable(Failures.describe(ex)));
            }

            @Override
            public void cancelled() {
                finish.accept(HealthProbeResult.unreachable("health probe cancelled"));
            }
        });
        return done;
    }

    /** {@link #record}, whose failure is logged (once per cause) and does not leave the node marked as being probed. */
    private void recordGuarded(NodeState node, HealthProbeResult r, long startNanos, boolean hardFailure, boolean answered) {
        try {
            record(node, r, startNanos, hardFailure, answered);
        } catch (Throwable e) {
            guard.failed(e);
        }
    }

    /**
     * Applies a probe's outcome to the node: role (by compare-and-set: the monitor is the only writer, one probe
     * per node at a time), snapshot, breaker, cluster membership.
     *
     * @param hardFailure the probe failed in a way that proves the node is down (connection refused, unknown
     *                    host), as opposed to a timeout, which may be load
     * @param answered the node answered, so a failed probe got an unreadable answer rather than none: that is
     *                 no sign of load, and the node leaves its role at once (it stays a last resort)
     */
    private void record(NodeState node, HealthProbeResult r, long startNanos, boolean hardFailure, boolean answered) {
        if (closed) {
            return;
        }
        Duration latency = Duration.ofNanos(rt.ticker.nanoTime() - startNanos);
        HealthSnapshot before = node.health;
        boolean failed = r.role() == NodeRole.UNREACHABLE;
        int failures = failed ? before.consecutiveFailures() + 1 : 0;
        String clusterId = r.clusterId() != null ? r.clusterId() : before.clusterId();
        node.health = new HealthSnapshot(Instant.now(), latency, failures, r.error(),
                clusterId, r.version() != null ? r.version() : before.version());
        checkCluster();
        NodeRole old = node.role;
        if (failed && !hardFailure && !answered && old.isServing() && (failures < SOFT_FAILURES || servedRecently(node))) {
            // a slow probe of a node that answers requests is load, not an outage: taking every node out
            // because probes time out on a busy machine would turn load into an outage. Three timeouts in a
            // row with no successful request in between do take it out.
            LOG.debug("{} - health probe of {} failed ({}), node kept: it served requests recently", rt.name, node.uri,
                    r.error());
            return;
        }
        rt.changeRole(node, old, r.role());
        if (old == NodeRole.ACTIVE && r.role() != NodeRole.ACTIVE) {
            // the active node is gone (down, sealed, stepped down): find the new one now, not at the next tick
            hurry();
        }
        node.softUnreachable = failed && !hardFailure;
        if (node.softUnreachable) {
            // timeouts only: the breaker is left to the requests, and the balancer may still use the node
            // when nothing else can serve (panic routing)
            return;
        }
        if (!r.role().isServing()) {
            node.breaker.forceOpen();
        } else if (!old.isServing()) {
            // the node was shut out for its role (unreachable, sealed, ...) and now serves again: the reason is
            // gone. Half-open would leave a standby, which gets no traffic while an active node is usable, in
            // HALF_OPEN for good (and the pool DEGRADED); it re-opens after a few failures if the node is not well.
            node.breaker.reset();
        } else if (node.breaker.state() == dev.vaultx.pool.CircuitState.HALF_OPEN && node.halfOpenAtLastProbe) {
            // half-open for a whole probe interval with no trial deciding it (a standby gets no traffic while
            // an active node is usable), and the node answers its probes: close it, or it stays half-open for good
            node.breaker.reset();
        } else if (node.breaker.state() == dev.vaultx.pool.CircuitState.OPEN && node.inFlight.get() == 0) {
            // opened by failed requests on a node that answers its probe: let trial requests decide without
            // waiting for the breaker's delay. Not while tries sent before it opened are still on their way (an
            // open breaker sends none): they would reach the node among its trials (their answers are not
            // counted, but the node gets more requests than its trials); the next probe half-opens it
            node.breaker.halfOpenIfOpen();
        }
        node.halfOpenAtLastProbe = r.role().isServing()
                && node.breaker.state() == dev.vaultx.pool.CircuitState.HALF_OPEN;
        if (failed) {
            LOG.debug("{} - health probe of {} failed: {}", rt.name, node.uri, r.error());
        }
    }

    /** @return whether a request to the node succeeded since about one probe interval ago */
    private boolean servedRecently(NodeState node) {
        long since = rt.ticker.nanoTime() - node.lastSuccessNanos;
        return node.lastSuccessNanos != 0
                && since < rt.config.healthCheckInterval().toNanos() + rt.config.healthCheckTimeout().toNanos();
    }

    /** Marks nodes whose {@code cluster_id} differs from the majority's as foreign (not used). */
    private void checkCluster() {
        Map<String, Integer> counts = new HashMap<>();
        for (NodeState n : rt.nodes) {
            String id = n.health.clusterId();
            if (id != null) {
                counts.merge(id, 1, Integer::sum);
            }
        }
        String majority = counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        for (NodeState n : rt.nodes) {
            String id = n.health.clusterId();
            boolean foreign = majority != null && id != null && !id.equals(majority);
            if (foreign != n.foreign) {
                n.foreign = foreign;
                if (foreign) {
                    LOG.error("{} - node {} reports cluster_id {} but the cluster's is {}: not using it", rt.name, n.uri,
                            id, majority);
                }
            }
        }
    }

    /** @return the pool's health now */
    PoolHealth health() {
        List<NodeHealth> list = new ArrayList<>(rt.nodes.size());
        URI active = null;
        boolean anyUsable = false;
        boolean allHealthy = true;
        for (NodeState n : rt.nodes) {
            NodeHealth h = rt.health(n);
            if (n.foreign) {
                h = new NodeHealth(h.node(), h.role(), h.circuitState(), h.lastCheck(), h.lastLatency(),
                        h.consecutiveFailures(), "cluster_id " + n.health.clusterId() + " differs from the cluster's",
                        h.clusterId(), h.version(), h.draining(), false);
            }
            list.add(h);
            anyUsable |= h.usable();
            if (n.role == NodeRole.ACTIVE && h.usable()) {
                active = n.uri;
            }
            allHealthy &= !n.foreign && n.role.isServing() && n.role != NodeRole.UNKNOWN
                    && h.circuitState() == dev.vaultx.pool.CircuitState.CLOSED;
        }
        HealthStatus status = !anyUsable ? HealthStatus.DOWN
                : active != null && allHealthy ? HealthStatus.UP : HealthStatus.DEGRADED;
        return new PoolHealth(rt.name, status, active, list);
    }

    @Override
    public void close() {
        closed = true;
        probes.close();
    }
}
