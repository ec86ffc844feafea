package dev.vaultx.pool.impl.hardening;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.NodeStats;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolConfigBuilder;
import dev.vaultx.pool.PoolStats;
import dev.vaultx.pool.VaultPoolException;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.VaultTransportException;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shared set-up and checks of the hardening tests: a pool with short timeouts, bursts of a few dozen
 * asynchronous requests against a hostile node, and the contract every burst must keep: each request
 * completes, with a response or a {@link VaultPoolException}, within its deadline; afterwards no
 * connection is leased, no request waits and no try is in flight.
 */
final class HardeningSupport {

    static final String TOKEN = "s.hardening-token-0042";
    static final String SECRET = "/v1/secret/data/app";
    /** Requests in flight in each burst. */
    static final int IN_FLIGHT = 32;

    static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(800);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
    /**
     * What a completion may lag behind its deadline on a loaded 2-core machine: the timer thread runs
     * late, the I/O reactor notices closes once per select interval.
     */
    static final Duration SLACK = Duration.ofMillis(1500);

    private static final AtomicInteger NAMES = new AtomicInteger();

    private HardeningSupport() {
    }

    /** A cluster with one secret and journals long enough for a few bursts. */
    static SimulatedVaultCluster cluster(int nodes) {
        SimulatedVaultCluster c = SimulatedVaultCluster.builder().nodes(nodes).journalLimit(50_000).start();
        c.put("app", Map.of("password", "hunter2"));
        return c;
    }

    /**
     * Short timeouts, few connections (so that a burst makes requests wait for connections too), probes far
     * apart so that a fault is met by requests before the monitor notices it.
     */
    static PoolConfigBuilder config(List<URI> nodes) {
        return PoolConfig.builder()
                .name("hardening-" + NAMES.incrementAndGet())
                .nodeUris(nodes)
                .size(4)
                .maxOverflow(2)
                .ioThreads(1)
                .timeout(Duration.ofSeconds(1))
                .borrowTimeout(Duration.ofSeconds(2))
                .attemptTimeout(ATTEMPT_TIMEOUT)
                .requestTimeout(REQUEST_TIMEOUT)
                .healthCheckInterval(Duration.ofSeconds(30))
                .healthCheckTimeout(Duration.ofSeconds(1))
                .shutdownTimeout(Duration.ofSeconds(2))
                .retryBackoff(Duration.ofMillis(10))
                .maxRetryBackoff(Duration.ofMillis(100));
    }

    static VaultRequest read() {
        return VaultRequest.get(SECRET).token(TOKEN).build();
    }

    static VaultRequest read(String path) {
        return VaultRequest.get(path).token(TOKEN).build();
    }

    static VaultRequest write(String value) {
        return VaultRequest.builder("POST", SECRET).token(TOKEN).body("{\"data\":{\"password\":\"" + value + "\"}}").build();
    }

    /** One request of a burst: its future, when it was sent, its deadline, when and how often it completed. */
    static final class Tracked {
        final CompletableFuture<VaultResponse> future;
        final long startNanos = System.nanoTime();
        final Duration deadline;
        final AtomicLong doneNanos = new AtomicLong();
        final AtomicInteger completions = new AtomicInteger();

        Tracked(ConnectionPool pool, VaultRequest request, Duration poolDeadline) {
            Duration d = request.timeout().orElse(poolDeadline);
            // a test waits a minute at most, whatever the deadline (some tests use durations of centuries)
            this.deadline = d.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : d;
            CompletableFuture<VaultResponse> f;
            try {
                f = pool.requestAsync(request);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(new AssertionError("requestAsync threw instead of failing its future", e));
            }
            this.future = f;
            f.whenComplete((r, e) -> {
                doneNanos.compareAndSet(0, System.nanoTime());
                completions.incrementAndGet();
            });
        }

        long tookMillis() {
            return TimeUnit.NANOSECONDS.toMillis(doneNanos.get() - startNanos);
        }
    }

    /** What a burst ended in. */
    record Result(Map<String, Long> outcomes, long slowestMillis, List<Throwable> failures, List<VaultResponse> responses,
                  Map<String, String> samples) {

        long count(String outcome) {
            return outcomes.getOrDefault(outcome, 0L);
        }

        @Override
        public String toString() {
            return outcomes + ", slowest " + slowestMillis + " ms" + (samples.isEmpty() ? "" : ", e.g. " + samples);
        }
    }

    /** Sends {@code n} requests at once. */
    static List<Tracked> burst(ConnectionPool pool, int n, IntFunction<VaultRequest> requests) {
        List<Tracked> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(new Tracked(pool, requests.apply(i), pool.config().requestTimeout()));
        }
        return all;
    }

    /**
     * Waits for every request of a burst and checks the contract: each completed exactly once, within
     * its deadline plus {@link #SLACK}, with a response or a typed {@link VaultPoolException}.
     */
    static Result awaitAll(List<Tracked> burst) {
        Map<String, Long> outcomes = new TreeMap<>();
        List<Throwable> failures = new ArrayList<>();
        List<VaultResponse> responses = new ArrayList<>();
        Map<String, String> samples = new TreeMap<>();
        long slowest = 0;
        for (Tracked t : burst) {
            long budget = t.deadline.plus(SLACK).toNanos() - (System.nanoTime() - t.startNanos);
            VaultResponse r = null;
            Throwable e = null;
            try {
                r = t.future.get(Math.max(budget, 1), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException hang) {
                throw new AssertionError("a request did not complete within its deadline " + t.deadline.toMillis()
                        + " ms + slack " + SLACK.toMillis() + " ms: outcomes so far " + outcomes);
            } catch (ExecutionException | CompletionException failed) {
                e = failed.getCause();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AssertionError(interrupted);
            }
            if (t.completions.get() == 0) {
                // the future's dependents run just after its waiters wake up
                await().atMost(Duration.ofSeconds(1)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                        .until(() -> t.completions.get() > 0);
            }
            assertThat(t.completions.get()).as("completions of one request").isEqualTo(1);
            assertThat(t.tookMillis()).as("time to complete, deadline %s ms", t.deadline.toMillis())
                    .isLessThanOrEqualTo(t.deadline.plus(SLACK).toMillis());
            slowest = Math.max(slowest, t.tookMillis());
            String outcome;
            if (e != null) {
                assertThat(e).as("a failure is one of the pool's typed exceptions").isInstanceOf(VaultPoolException.class);
                failures.add(e);
                outcome = e.getClass().getSimpleName() + (e instanceof VaultTransportException v ? "(" + v.kind() + ")" : "");
                samples.putIfAbsent(outcome, e.getMessage());
            } else {
                responses.add(r);
                outcome = "HTTP " + r.status();
            }
            outcomes.merge(outcome, 1L, Long::sum);
        }
        return new Result(outcomes, slowest, failures, responses, samples);
    }

    /**
     * Waits (bounded) until the pool is quiescent and checks that nothing leaked: no leased connection, no
     * request waiting, no try in flight, and total = active + idle on every node.
     */
    static PoolStats assertQuiescent(ConnectionPool pool) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            PoolStats s = pool.stats();
            assertThat(s.activeConnections()).as("leased connections after quiescence: %s", s).isZero();
            assertThat(s.pendingRequests()).as("requests waiting after quiescence: %s", s).isZero();
            assertThat(s.totalConnections()).as("total = active + idle: %s", s)
                    .isEqualTo(s.activeConnections() + s.idleConnections());
            for (NodeStats n : s.nodes()) {
                assertThat(n.inFlightRequests()).as("tries in flight on %s", n.node()).isZero();
                assertThat(n.activeConnections()).as("leased on %s", n.node()).isZero();
                assertThat(n.totalConnections()).as("connections of %s", n.node()).isLessThanOrEqualTo(n.maxConnections());
            }
        });
        return pool.stats();
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
