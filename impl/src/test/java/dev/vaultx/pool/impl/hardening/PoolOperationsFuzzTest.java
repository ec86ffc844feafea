package dev.vaultx.pool.impl.hardening;

import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.NodeStats;
import dev.vaultx.pool.PoolClosedException;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolStats;
import dev.vaultx.pool.PooledConnection;
import dev.vaultx.pool.VaultPoolException;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import dev.vaultx.pool.testkit.SimulatedVaultNode;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A seeded random-operation test in the manner of httpcomponents-core's
 * {@code TestConnPoolDeterministicFuzzer}: thousands of mixed operations on a real pool over a 3-node
 * simulated cluster (requests, leases and returns, resizes, drains, node faults and recoveries, evictions,
 * health checks, finally close), with the pool's invariants checked after every step and the strict ones
 * (nothing leased, nothing waiting, nothing in flight, total = active + idle) at quiescent checkpoints.
 *
 * <p>The sequence of operations is a function of the seed; the pool and the servers run concurrently, so
 * timings differ between runs. Each run uses the {@link #FIXED_SEEDS} and one random seed, printed before it
 * starts; a failure names its seed, which {@code -Dvaultx.fuzz.seed=<seed>} replays alone.
 */
class PoolOperationsFuzzTest {

    static final String SEED_PROPERTY = "vaultx.fuzz.seed";
    /** Run every time, in CI too: a failure with one of them fails every build until it is fixed. */
    static final long[] FIXED_SEEDS = {0x5EED_0F_F022L, 42L};

    private static final int STEPS = 2000;
    private static final int CHECKPOINT_EVERY = 250;
    private static final int MAX_HELD_LEASES = 4;
    private static final Duration SLACK = Duration.ofMillis(1500);

    static Stream<Long> seeds() {
        String replay = System.getProperty(SEED_PROPERTY);
        if (replay != null && !replay.isBlank()) {
            return Stream.of(Long.decode(replay.trim()));
        }
        return Stream.concat(java.util.Arrays.stream(FIXED_SEEDS).boxed(), Stream.of(new SecureRandom().nextLong()));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @Timeout(120)
    void invariantsHoldAfterEveryOperation(long seed) {
        long t0 = System.nanoTime();
        Run run = new Run(seed);
        try {
            run.run();
        } finally {
            run.closeQuietly();
        }
        System.out.printf("measured: fuzz seed %d: %d steps in %d ms, %s%n", seed, STEPS, HardeningSupport.millisSince(t0),
                run.summary());
    }

    private enum Op {
        READ(24), WRITE(10), READ_SHORT_DEADLINE(5), CANCEL(2), LEASE(6), EXECUTE_ON_LEASE(5), RETURN_LEASE(6),
        RESIZE(3), DRAIN(2), RESUME(3), EVICT_IDLE(2), CHECK_HEALTH(1), RESET_CIRCUIT(1),
        STOP_NODE(1), START_NODE(2), SEAL(1), UNSEAL(2), SLOW(2), NOT_SLOW(2), FAIL_WITH(2), ELECT(1), CLEAR_FAULTS(1),
        PAUSE(10);

        final int weight;

        Op(int weight) {
            this.weight = weight;
        }

        static final int TOTAL = Stream.of(values()).mapToInt(o -> o.weight).sum();

        static Op pick(SplittableRandom rnd) {
            int r = rnd.nextInt(TOTAL);
            for (Op o : values()) {
                r -= o.weight;
                if (r < 0) {
                    return o;
                }
            }
            throw new AssertionError();
        }
    }

    /** A future the run waits for: a request, an exchange on a lease, a drain, a health check. */
    private static final class Watched {
        final String what;
        final CompletableFuture<?> future;
        final long deadlineNanos;
        final boolean request;
        final AtomicInteger completions = new AtomicInteger();
        volatile long doneNanos;
        volatile boolean cancelledByUs;

        Watched(String what, CompletableFuture<?> future, Duration deadline, boolean request) {
            this.what = what;
            this.future = future;
            this.deadlineNanos = System.nanoTime() + deadline.plus(SLACK).toNanos();
            this.request = request;
            future.whenComplete((r, e) -> {
                doneNanos = System.nanoTime();
                completions.incrementAndGet();
            });
        }
    }

    /** A lease the run holds, with its last exchange. */
    private static final class Held {
        final PooledConnection connection;
        CompletableFuture<?> exchange;
        boolean returned;

        Held(PooledConnection connection) {
            this.connection = connection;
        }
    }

    private static final class Run {
        private final long seed;
        private final SplittableRandom rnd;
        private final SimulatedVaultCluster cluster;
        private final AsyncHttpConnectionPool pool;
        private final PoolConfig config;
        private final List<Watched> watched = new ArrayList<>();
        private final List<Held> held = new ArrayList<>();
        private final List<Held> returned = new ArrayList<>();
        private final Deque<String> history = new ArrayDeque<>();
        private final Map<Op, Integer> counts = new EnumMap<>(Op.class);
        private final Map<String, Integer> outcomes = new java.util.TreeMap<>();
        private long slowestRecoveryMillis;
        private int step;
        private long sent;
        private int size;
        private int maxOverflow;
        /** The largest size + maxOverflow since the last quiescent checkpoint: what a node may have leased now. */
        private int limitSinceCheckpoint;

        Run(long seed) {
            this.seed = seed;
            this.rnd = new SplittableRandom(seed);
            System.out.printf("fuzz seed %d (replay with -D%s=%d)%n", seed, SEED_PROPERTY, seed);
            this.cluster = HardeningSupport.cluster(3);
            this.config = HardeningSupport.config(cluster.urls())
                    .size(2).maxOverflow(1).maxPendingRequests(40)
                    .timeout(Duration.ofMillis(500))
                    .borrowTimeout(Duration.ofMillis(400))
                    .attemptTimeout(Duration.ofMillis(400))
                    .requestTimeout(Duration.ofMillis(1200))
                    .healthCheckInterval(Duration.ofMillis(300))
                    .healthCheckTimeout(Duration.ofMillis(300))
                    .circuitBreakerDelay(Duration.ofMillis(300))
                    .shutdownTimeout(Duration.ofSeconds(1))
                    .maxIdleTime(Duration.ofSeconds(2))
                    .build();
            this.size = config.size();
            this.maxOverflow = config.maxOverflow();
            this.limitSinceCheckpoint = size + maxOverflow;
            this.pool = AsyncHttpConnectionPool.start(config);
            pool.awaitReady(Duration.ofSeconds(5));
        }

        void run() {
            try {
                for (step = 1; step <= STEPS; step++) {
                    Op op = Op.pick(rnd);
                    counts.merge(op, 1, Integer::sum);
                    String did = apply(op);
                    remember(op + (did.isEmpty() ? "" : " " + did));
                    checkAfterStep();
                    if (step % CHECKPOINT_EVERY == 0) {
                        checkpoint();
                    }
                }
                checkpoint();
                closeAndCheck();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + " (replay: -D" + SEED_PROPERTY + "=" + seed + "), step " + step
                        + ": " + e.getMessage() + "\n  last operations: " + String.join(" | ", history), e);
            }
        }

        String summary() {
            return "operations " + counts + ", outcomes " + outcomes + ", slowest recovery after healing "
                    + slowestRecoveryMillis + " ms";
        }

        private void remember(String s) {
            history.addLast(step + ":" + s);
            if (history.size() > 25) {
                history.removeFirst();
            }
        }

        private SimulatedVaultNode anyNode() {
            return cluster.node(rnd.nextInt(cluster.size()));
        }

        private String apply(Op op) {
            switch (op) {
                case READ:
                    return send(HardeningSupport.read(), config.requestTimeout());
                case WRITE:
                    return send(HardeningSupport.write("v" + step), config.requestTimeout());
                case READ_SHORT_DEADLINE: {
                    Duration d = Duration.ofMillis(50 + rnd.nextInt(500));
                    return send(VaultRequest.get(HardeningSupport.SECRET).token(HardeningSupport.TOKEN).timeout(d).build(), d);
                }
                case CANCEL: {
                    List<Watched> open = watched.stream().filter(w -> w.request && !w.future.isDone()).toList();
                    if (open.isEmpty()) {
                        return "none open";
                    }
                    Watched w = open.get(rnd.nextInt(open.size()));
                    w.cancelledByUs = true;
                    w.future.cancel(rnd.nextBoolean());
                    return w.what;
                }
                case LEASE:
                    return lease();
                case EXECUTE_ON_LEASE:
                    return executeOnLease();
                case RETURN_LEASE:
                    return returnLease();
                case RESIZE: {
                    size = 1 + rnd.nextInt(4);
                    maxOverflow = rnd.nextInt(4);
                    limitSinceCheckpoint = Math.max(limitSinceCheckpoint, size + maxOverflow);
                    pool.control().resize(size, maxOverflow);
                    return size + "+" + maxOverflow;
                }
                case DRAIN: {
                    SimulatedVaultNode n = anyNode();
                    Duration t = Duration.ofMillis(rnd.nextInt(300));
                    watch("drain " + n.index(), pool.control().drain(n.uri().toString(), t), t, false);
                    return "node " + n.index();
                }
                case RESUME: {
                    SimulatedVaultNode n = anyNode();
                    pool.control().resume("127.0.0.1:" + n.port());
                    return "node " + n.index();
                }
                case EVICT_IDLE:
                    return "evicted " + pool.control().evictIdle();
                case CHECK_HEALTH:
                    watch("checkHealthNow", pool.control().checkHealthNow(), config.healthCheckTimeout(), false);
                    return "";
                case RESET_CIRCUIT: {
                    SimulatedVaultNode n = anyNode();
                    pool.control().resetCircuit(n.uri().toString());
                    return "node " + n.index();
                }
                case STOP_NODE: {
                    SimulatedVaultNode n = anyNode();
                    n.stop();
                    return "node " + n.index();
                }
                case START_NODE: {
                    SimulatedVaultNode n = anyNode();
                    n.start();
                    return "node " + n.index();
                }
                case SEAL: {
                    SimulatedVaultNode n = anyNode();
                    n.seal();
                    return "node " + n.index();
                }
                case UNSEAL: {
                    SimulatedVaultNode n = anyNode();
                    n.unseal();
                    return "node " + n.index();
                }
                case SLOW: {
                    SimulatedVaultNode n = anyNode();
                    int ms = 20 + rnd.nextInt(300);
                    n.slow(Duration.ofMillis(ms));
                    return "node " + n.index() + " " + ms + "ms";
                }
                case NOT_SLOW: {
                    SimulatedVaultNode n = anyNode();
                    n.slow(Duration.ZERO);
                    return "node " + n.index();
                }
                case FAIL_WITH: {
                    SimulatedVaultNode n = anyNode();
                    int status = new int[] {500, 503, 502, 429, 412, 404}[rnd.nextInt(6)];
                    int count = 1 + rnd.nextInt(5);
                    n.failWith(status, count);
                    return "node " + n.index() + " " + status + "x" + count;
                }
                case ELECT: {
                    int i = rnd.nextInt(cluster.size());
                    if (cluster.node(i).role() != NodeRole.SEALED) {
                        cluster.electLeader(i);
                    }
                    return "node " + i;
                }
                case CLEAR_FAULTS: {
                    SimulatedVaultNode n = anyNode();
                    n.clearFaults();
                    return "node " + n.index();
                }
                case PAUSE: {
                    int ms = 1 + rnd.nextInt(15);
                    sleep(ms);
                    return ms + "ms";
                }
                default:
                    throw new AssertionError(op);
            }
        }

        private String send(VaultRequest request, Duration deadline) {
            CompletableFuture<?> f;
            try {
                f = pool.requestAsync(request);
            } catch (RuntimeException e) {
                throw new AssertionError("requestAsync threw instead of failing its future: " + e, e);
            }
            sent++;
            watch(request.method() + "#" + step, f, deadline, true);
            return "";
        }

        private void watch(String what, CompletableFuture<?> f, Duration deadline, boolean request) {
            watched.add(new Watched(what, f, deadline, request));
        }

        private String lease() {
            if (held.size() >= MAX_HELD_LEASES) {
                return returnLease();
            }
            Duration wait = Duration.ofMillis(rnd.nextInt(60));
            long t0 = System.nanoTime();
            try {
                PooledConnection c = pool.getConnection(wait);
                held.add(new Held(c));
                return "got " + c.node().getPort();
            } catch (VaultPoolException e) {
                outcomes.merge("getConnection: " + e.getClass().getSimpleName(), 1, Integer::sum);
                long took = HardeningSupport.millisSince(t0);
                // a lease waits for a slot at most its timeout, then opens a connection within the connect timeout
                check(took <= wait.plus(config.timeout()).plus(SLACK).toMillis(), "getConnection(" + wait.toMillis()
                        + "ms) took " + took + " ms");
                return "failed " + e.getClass().getSimpleName();
            } catch (RuntimeException e) {
                throw new AssertionError("getConnection threw an untyped exception: " + e, e);
            }
        }

        private String executeOnLease() {
            if (held.isEmpty()) {
                return "none held";
            }
            Held h = held.get(rnd.nextInt(held.size()));
            boolean busy = h.exchange != null && !h.exchange.isDone();
            try {
                // accepted although our view says busy: the exchange is over and its future about to complete (the
                // lease frees itself just before, so that a callback of that future may send the next exchange)
                CompletableFuture<?> f = h.connection.executeAsync(HardeningSupport.read());
                h.exchange = f;
                watch("execute#" + step, f, config.attemptTimeout(), false);
                return "on " + h.connection.node().getPort();
            } catch (IllegalStateException e) {
                check(busy, "executeAsync refused on an idle lease: " + e);
                return "busy";
            }
        }

        private String returnLease() {
            if (held.isEmpty()) {
                if (!returned.isEmpty() && rnd.nextBoolean()) {
                    Held r = returned.get(rnd.nextInt(returned.size()));
                    r.connection.close(); // twice: harmless
                    check(!r.connection.isOpen(), "a returned lease is open");
                    return "double close";
                }
                return "none held";
            }
            Held h = held.remove(rnd.nextInt(held.size()));
            if (rnd.nextBoolean()) {
                h.connection.close();
            } else {
                pool.returnConnection(h.connection);
            }
            h.returned = true;
            check(!h.connection.isOpen(), "a returned lease is open");
            returned.add(h);
            if (returned.size() > 20) {
                returned.remove(0);
            }
            return "returned " + h.connection.node().getPort();
        }

        /** Invariants that hold at any moment, under traffic. */
        private void checkAfterStep() {
            PoolStats s = pool.stats();
            check(s.totalRequests() == sent, "totalRequests " + s.totalRequests() + " != requests sent " + sent);
            check(s.failedRequests() >= 0 && s.failedRequests() <= s.totalRequests(), "failedRequests " + s.failedRequests());
            check(s.pendingRequests() >= 0 && s.pendingRequests() <= config.maxPendingRequests() + 1,
                    "pendingRequests " + s.pendingRequests());
            check(s.activeConnections() >= 0 && s.idleConnections() >= 0, "negative connection counts: " + s);
            check(s.size() == size && s.maxOverflow() == maxOverflow, "limits " + s.size() + "+" + s.maxOverflow());
            for (NodeStats n : s.nodes()) {
                check(n.activeConnections() <= limitSinceCheckpoint, "leased " + n.activeConnections() + " > limit "
                        + limitSinceCheckpoint + " on " + n.node());
                check(n.inFlightRequests() >= 0 && n.pendingRequests() >= 0, "negative counts on " + n);
                check(n.maxConnections() == size + maxOverflow, "maxConnections of " + n);
            }
            check(pool.health() != null, "health");
            long now = System.nanoTime();
            for (Watched w : watched) {
                if (!w.future.isDone() && now - w.deadlineNanos > 0) {
                    throw new AssertionError(w.what + " did not complete within its deadline + " + SLACK.toMillis() + " ms");
                }
            }
            watched.removeIf(w -> w.future.isDone() && settled(w));
        }

        /** Checks a completed future; {@code true} once it can be forgotten. */
        private boolean settled(Watched w) {
            if (w.completions.get() == 0) {
                return false; // its dependents run just after it completes
            }
            check(w.completions.get() == 1, w.what + " completed " + w.completions.get() + " times");
            check(w.doneNanos - w.deadlineNanos <= 0, w.what + " completed "
                    + TimeUnit.NANOSECONDS.toMillis(w.doneNanos - w.deadlineNanos) + " ms after its deadline + slack");
            Throwable e = null;
            try {
                w.future.join();
            } catch (CancellationException c) {
                check(w.cancelledByUs, w.what + " was cancelled by the pool: " + c);
                outcomes.merge("cancelled", 1, Integer::sum);
                return true;
            } catch (CompletionException c) {
                e = HardeningSupport.unwrap(c);
            }
            if (e != null) {
                check(e instanceof VaultPoolException, w.what + " failed with an untyped exception: " + e);
                outcomes.merge((w.request ? "" : "other: ") + e.getClass().getSimpleName(), 1, Integer::sum);
            } else if (w.request) {
                Object r = w.future.join();
                outcomes.merge("HTTP " + ((dev.vaultx.pool.VaultResponse) r).status(), 1, Integer::sum);
            }
            return true;
        }

        /**
         * Returns every lease, waits for every future and heals the cluster, then checks the strict invariants:
         * nothing leased, nothing waiting, nothing in flight, total = active + idle, connections within limits.
         */
        private void checkpoint() {
            for (Held h : held) {
                h.connection.close();
                returned.add(h);
            }
            held.clear();
            awaitWatched();
            PoolStats s = HardeningSupport.assertQuiescent(pool);
            check(s.totalRequests() == sent, "totalRequests " + s.totalRequests() + " != " + sent);
            for (NodeStats n : s.nodes()) {
                check(n.failedRequests() <= n.totalRequests(), "failed tries > tries on " + n);
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                for (NodeStats n : pool.stats().nodes()) {
                    org.assertj.core.api.Assertions.assertThat(n.totalConnections())
                            .as("connections of %s within size %d + maxOverflow %d", n.node(), size, maxOverflow)
                            .isLessThanOrEqualTo(size + maxOverflow);
                }
            });
            limitSinceCheckpoint = size + maxOverflow;
            heal();
            assertRecovers();
            remember("checkpoint " + pool.stats());
        }

        private void awaitWatched() {
            for (Watched w : watched) {
                long left = w.deadlineNanos - System.nanoTime();
                try {
                    w.future.handle((r, e) -> null).get(Math.max(left, 1), TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError(w.what + " did not complete within its deadline + " + SLACK.toMillis() + " ms");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(5)).until(() -> watched.stream().allMatch(w -> w.completions.get() > 0));
            watched.removeIf(this::settled);
            check(watched.isEmpty(), "unsettled futures " + watched.size());
        }

        /** Starts stopped nodes, unseals, clears faults, resumes drained nodes, makes sure a node is active. */
        private void heal() {
            for (SimulatedVaultNode n : cluster.nodes()) {
                n.clearFaults();
                n.start();
                n.unseal();
                pool.control().resume(n.uri().toString());
            }
            if (cluster.active().isEmpty()) {
                cluster.electLeader(rnd.nextInt(cluster.size()));
            }
        }

        /**
         * Liveness: whatever the faults did to breakers, roles and limits, once the cluster is healthy again a
         * read succeeds within a few probe intervals and breaker delays.
         */
        private void assertRecovers() {
            long t0 = System.nanoTime();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInSameThread().pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50)).until(() -> {
                        sent++;
                        try {
                            return pool.request(HardeningSupport.read()).status() == 200;
                        } catch (VaultPoolException notYet) {
                            return false;
                        }
                    });
            slowestRecoveryMillis = Math.max(slowestRecoveryMillis, HardeningSupport.millisSince(t0));
        }

        private void closeAndCheck() {
            // a few requests and a lease in flight while the pool closes
            for (int i = 0; i < 8; i++) {
                send(HardeningSupport.read(), config.requestTimeout());
            }
            PooledConnection c = null;
            try {
                c = pool.getConnection(Duration.ofMillis(200));
            } catch (VaultPoolException ignored) {
                // exhausted or no node: fine
            }
            long t0 = System.nanoTime();
            pool.close();
            long closeMs = HardeningSupport.millisSince(t0);
            check(closeMs <= config.shutdownTimeout().plus(SLACK).toMillis(), "close took " + closeMs + " ms");
            awaitWatched();
            if (c != null) {
                c.close();
                c.close();
            }
            CompletableFuture<?> after = pool.requestAsync(HardeningSupport.read());
            sent++;
            check(after.isCompletedExceptionally(), "a request after close was accepted");
            check(after.handle((r, e) -> HardeningSupport.unwrap(e)).join() instanceof PoolClosedException,
                    "a request after close fails with PoolClosedException");
            try {
                pool.getConnection(Duration.ZERO);
                throw new AssertionError("getConnection after close succeeded");
            } catch (PoolClosedException expected) {
                // as documented
            }
            pool.close(); // idempotent
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.isAlive() && t.getName().startsWith("vaultx-pool-" + config.name() + "-")));
        }

        private void check(boolean condition, String message) {
            if (!condition) {
                throw new AssertionError(message);
            }
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        void closeQuietly() {
            try {
                pool.close();
            } finally {
                cluster.close();
            }
        }
    }
}
