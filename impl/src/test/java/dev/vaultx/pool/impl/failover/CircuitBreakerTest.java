package dev.vaultx.pool.impl.failover;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.RequestTimeoutException;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import dev.vaultx.pool.impl.testing.FakeTicker;
import dev.vaultx.pool.impl.testing.Pending;
import dev.vaultx.pool.testkit.RecordedRequest;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import dev.vaultx.pool.testkit.SimulatedVaultNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static dev.vaultx.pool.impl.failover.FailoverSupport.IN_FLIGHT;
import static dev.vaultx.pool.impl.failover.FailoverSupport.nodeHealth;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Per-node breakers: a failing node's breaker opens alone, and half-open admits only its bounded trials. */
class CircuitBreakerTest {

    private static final int TRIALS = 2;

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;
    private SustainedLoad load;
    private final FailoverSupport.BreakerLog breakers = new FailoverSupport.BreakerLog();

    @BeforeEach
    void startCluster() {
        cluster = FailoverSupport.cluster(3);
    }

    @AfterEach
    void stop() {
        Closing.closeAll(load, pool, cluster);
    }

    @Test
    void fiveHundredBurstOpensOnlyThatNodesBreakerAndHalfOpenAdmitsOnlyItsTrials() {
        pool = AsyncHttpConnectionPool.start(FailoverSupport.config(cluster).circuitBreakerHalfOpenRequests(TRIALS).build());
        FailoverSupport.awaitSettled(pool, cluster.node(0).uri());
        pool.addListener(breakers);
        SimulatedVaultNode node0 = cluster.node(0);
        URI uri0 = node0.uri();
        load = SustainedLoad.start(pool, IN_FLIGHT, FailoverSupport::read);
        await().atMost(Duration.ofSeconds(5)).until(() -> load.successes() > 200);

        node0.failWith(500, -1);
        await().atMost(Duration.ofSeconds(3)).until(() -> breakers.of(uri0).stream().anyMatch(t -> t.to() == CircuitState.OPEN));
        // while node 0 keeps failing, its breaker cycles OPEN -> HALF_OPEN -> OPEN; watch a few cycles
        await().atMost(Duration.ofSeconds(5)).until(() -> halfOpenEpisodes(uri0).size() >= 4);
        Instant failingUntil = Instant.now();
        node0.clearFaults();
        await().atMost(Duration.ofSeconds(3)).until(() -> nodeHealth(pool, 0).circuitState() == CircuitState.CLOSED);
        long successes = load.successes();
        long fromNode0 = load.successesFrom(uri0);
        await().atMost(Duration.ofSeconds(5)).until(() -> load.successes() > successes + 200
                && load.successesFrom(uri0) > fromNode0 + 100);
        SustainedLoad.Result result = load.stop();

        List<Instant[]> episodes = halfOpenEpisodes(uri0);
        List<RecordedRequest> received = node0.requests();
        List<Long> trialsPerEpisode = new ArrayList<>();
        for (Instant[] e : episodes) {
            if (!e[1].isBefore(failingUntil)) {
                break; // the fault was cleared during or before this episode: its trials succeed and close the breaker
            }
            trialsPerEpisode.add(received.stream()
                    .filter(r -> r.path().startsWith(FailoverSupport.API))
                    .filter(r -> !r.time().isBefore(e[0]) && !r.time().isAfter(e[1]))
                    .count());
        }
        System.out.printf("measured: 500 burst on node 0: transitions %s; API requests reaching node 0 per half-open episode %s; %s%n",
                breakers.of(uri0).stream().map(t -> t.to().toString()).toList(), trialsPerEpisode, result);
        assertThat(result.failures()).as("failed reads: %s", result).isEmpty();
        assertThat(trialsPerEpisode).isNotEmpty().allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(TRIALS));
        assertThat(trialsPerEpisode.stream().mapToLong(Long::longValue).sum()).as("trials sent while half-open").isPositive();
        assertThat(breakers.of(cluster.node(1).uri())).as("breaker changes of node 1").isEmpty();
        assertThat(breakers.of(cluster.node(2).uri())).as("breaker changes of node 2").isEmpty();
        assertThat(pool.health().nodes()).allSatisfy(h -> assertThat(h.circuitState()).isEqualTo(CircuitState.CLOSED));
    }

    /**
     * 64 in flight: 48 requests and 16 {@code getConnection} users (lease, one read, return). A lease is a try of its
     * node's breaker like a request: before, leases took no permit and recorded their exchanges anyway, each
     * recorded result handing the half-open state another trial.
     */
    @Test
    void halfOpenAdmitsOnlyItsTrialsAt64InFlightWithGetConnectionUsers() throws Exception {
        pool = AsyncHttpConnectionPool.start(FailoverSupport.config(cluster).circuitBreakerHalfOpenRequests(TRIALS).build());
        FailoverSupport.awaitSettled(pool, cluster.node(0).uri());
        pool.addListener(breakers);
        SimulatedVaultNode node0 = cluster.node(0);
        URI uri0 = node0.uri();
        load = SustainedLoad.start(pool, 48, FailoverSupport::read);
        java.util.concurrent.atomic.AtomicBoolean leasing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.LongAdder exchanges = new java.util.concurrent.atomic.LongAdder();
        List<Thread> leasers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Thread t = new Thread(() -> {
                while (leasing.get()) {
                    try (dev.vaultx.pool.PooledConnection c = pool.getConnection(Duration.ofSeconds(2))) {
                        c.execute(FailoverSupport.read());
                        exchanges.increment();
                    } catch (RuntimeException refusedOrFailed) {
                        // a lease refused (no node) or an exchange failed: the next one is tried at once
                    }
                }
            }, "leaser-" + i);
            t.setDaemon(true);
            t.start();
            leasers.add(t);
        }
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> load.successes() > 200 && exchanges.sum() > 100);
            // slow failures: a half-open episode lasts until the first trial's answer, 100 ms, and tries sent while
            // CLOSED answer late, perhaps in the next half-open episode
            node0.slow(Duration.ofMillis(100)).failWith(500, -1);
            await().atMost(Duration.ofSeconds(3)).until(() -> breakers.of(uri0).stream().anyMatch(t -> t.to() == CircuitState.OPEN));
            await().atMost(Duration.ofSeconds(8)).until(() -> halfOpenEpisodes(uri0).size() >= 6);
        } finally {
            leasing.set(false);
            for (Thread t : leasers) {
                t.join(5_000);
            }
        }
        Instant failingUntil = Instant.now();
        node0.clearFaults();
        SustainedLoad.Result result = load.stop();

        List<Long> trialsPerEpisode = new ArrayList<>();
        List<RecordedRequest> received = node0.requests();
        for (Instant[] e : halfOpenEpisodes(uri0)) {
            if (!e[1].isBefore(failingUntil)) {
                break;
            }
            trialsPerEpisode.add(received.stream()
                    .filter(r -> r.path().startsWith(FailoverSupport.API))
                    .filter(r -> !r.time().isBefore(e[0]) && !r.time().isAfter(e[1]))
                    .count());
        }
        System.out.printf("measured: slow 500s on node 0 at 64 in flight (48 requests, 16 getConnection users): API requests"
                + " reaching node 0 per half-open episode %s (limit %d); %s%n", trialsPerEpisode, TRIALS, result);
        assertThat(trialsPerEpisode).hasSizeGreaterThanOrEqualTo(4).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(TRIALS));
    }

    /**
     * The breaker's delay is measured on the pool's ticker: while it stands still the open breaker stays open
     * however much real time passes; moved on by exactly {@code circuitBreakerDelay}, without sleeping, it lets the
     * next request through to the node as its half-open trial.
     */
    @Test
    void openBreakerLetsTheNextRequestThroughAsItsTrialOnceThePoolsTickerPassesTheDelay() {
        FakeTicker ticker = new FakeTicker();
        pool = AsyncHttpConnectionPool.builder(FailoverSupport.config(cluster)
                .healthCheckInterval(Duration.ofMinutes(30))
                .healthCheckTimeout(Duration.ofMinutes(1))
                .circuitBreakerFailureThreshold(1)
                .circuitBreakerHalfOpenRequests(1)
                .build()).ticker(ticker).start();
        FailoverSupport.awaitSettled(pool, cluster.node(0).uri());
        pool.addListener(breakers);
        SimulatedVaultNode node0 = cluster.node(0);
        URI uri0 = node0.uri();
        // node 0's probes get no answer: a healthy probe half-opens an open breaker at once, and this is about the delay
        node0.slowPath("/v1/sys/health", Duration.ofHours(1));
        node0.failWith(500, 1);

        assertThat(pool.request(FailoverSupport.read()).node()).as("retried elsewhere").isNotEqualTo(uri0);
        assertThat(nodeHealth(pool, 0).circuitState()).isEqualTo(CircuitState.OPEN);
        assertThat(FailoverSupport.apiRequests(node0)).isEqualTo(1);

        ticker.advance(FailoverSupport.BREAKER_DELAY.minusNanos(1));
        await().during(Pending.WATCH).atMost(Pending.WATCH.plusSeconds(5))
                .until(() -> nodeHealth(pool, 0).circuitState() == CircuitState.OPEN);
        assertThat(pool.request(FailoverSupport.read()).node()).as("one nanosecond short of the delay").isNotEqualTo(uri0);
        assertThat(FailoverSupport.apiRequests(node0)).isEqualTo(1);

        ticker.advanceNanos(1);
        VaultResponse trial = pool.request(FailoverSupport.read());

        assertThat(trial.node()).as("the trial").isEqualTo(uri0);
        assertThat(FailoverSupport.apiRequests(node0)).isEqualTo(2);
        // listeners are told on the pool's workers, after the fact
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(breakers.of(uri0))
                .extracting(FailoverSupport.BreakerLog.Transition::to)
                .containsExactly(CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.CLOSED));
    }

    /** @return [start, end] of each HALF_OPEN period of a node's breaker ({@code end} is now if it is still half-open) */
    private List<Instant[]> halfOpenEpisodes(URI node) {
        List<FailoverSupport.BreakerLog.Transition> log = breakers.of(node);
        List<Instant[]> episodes = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).to() == CircuitState.HALF_OPEN) {
                Instant end = i + 1 < log.size() ? log.get(i + 1).at() : Instant.now();
                episodes.add(new Instant[] {log.get(i).at(), end});
            }
        }
        return episodes;
    }

    @Test
    void halfOpenTrialCutShortByItsDeadlineDoesNotUseUpTheTrialPermits() {
        pool = AsyncHttpConnectionPool.start(FailoverSupport.config(cluster)
                .healthCheckInterval(Duration.ofSeconds(30)) // no probe interferes
                .circuitBreakerFailureThreshold(1)
                .circuitBreakerHalfOpenRequests(TRIALS)
                .circuitBreakerDelay(Duration.ofMillis(300))
                .attemptTimeout(Duration.ofSeconds(2))
                .healthCheckTimeout(Duration.ofSeconds(2))
                .build());
        FailoverSupport.awaitSettled(pool, cluster.node(0).uri());
        FailoverSupport.awaitStartupProbesDone(pool, cluster);
        SimulatedVaultNode node0 = cluster.node(0);

        node0.failWith(500, 1);
        assertThat(pool.request(FailoverSupport.read()).status()).isEqualTo(200); // retried on a standby
        assertThat(nodeHealth(pool, 0).circuitState()).isEqualTo(CircuitState.OPEN);
        // slow, not dead: its probe still answers (and may half-open the breaker), but a request with a short
        // deadline does not get its response in time
        node0.slow(Duration.ofMillis(800));
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(nodeHealth(pool, 0).usable())
                .as("%s", nodeHealth(pool, 0)).isTrue());
        // the trials take every half-open permit and wait until their deadline ends them
        VaultRequest shortRead = FailoverSupport.read().toBuilder().timeout(Duration.ofMillis(250)).build();
        List<CompletableFuture<VaultResponse>> trials = new ArrayList<>();
        for (int i = 0; i < TRIALS; i++) {
            trials.add(pool.requestAsync(shortRead));
        }
        for (CompletableFuture<VaultResponse> trial : trials) {
            assertThatThrownBy(trial::join).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(RequestTimeoutException.class);
        }
        assertThat(FailoverSupport.apiRequests(node0)).isEqualTo(1 + TRIALS);

        node0.clearFaults();
        // the node is well again: new trials must be admitted and close the breaker
        await().atMost(Duration.ofSeconds(4)).until(() -> {
            VaultResponse r = pool.request(FailoverSupport.read());
            return r.node().equals(node0.uri()) && nodeHealth(pool, 0).circuitState() == CircuitState.CLOSED;
        });
    }
}
