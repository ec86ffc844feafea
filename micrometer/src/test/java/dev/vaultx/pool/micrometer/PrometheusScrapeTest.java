package dev.vaultx.pool.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.vaultx.pool.PoolClosedException;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultTransportException;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A Prometheus registry scraped after traffic: every line parses, names do not collide, and closing removes all. */
class PrometheusScrapeTest {

    private static final String TOKEN = "s.micrometer-token-22ab";
    /** A sample line of the text format: name, optional labels, value. */
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|summary|histogram|untyped|info|stateset|unknown)");

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;
    private PrometheusMeterRegistry registry;
    /** Where the pool's tracker ({@link MicrometerTrackerFactory}) registers; {@link #registry} is for the binder tests. */
    private PrometheusMeterRegistry tracked;

    @BeforeEach
    void start() {
        cluster = SimulatedVaultCluster.builder().nodes(3).token(TOKEN).start();
        cluster.put("app", Map.of("k", "v"));
        tracked = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        pool = AsyncHttpConnectionPool.builder(PoolConfig.builder().name("metered").nodeUris(cluster.urls())
                .size(2).maxOverflow(1).ioThreads(1).maxRetries(0).healthCheckInterval(Duration.ofSeconds(60))
                .circuitBreakerDelay(Duration.ofSeconds(60)).build())
                .metricsTrackerFactory(new MicrometerTrackerFactory(tracked)).start();
        pool.awaitReady(Duration.ofSeconds(5));
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    @AfterEach
    void stop() {
        if (pool != null) {
            pool.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A scrape in the Prometheus text format, checked line by line: every line parses, one TYPE per family, no collision. */
    static final class Scrape {
        final Map<String, String> types = new HashMap<>();
        final Map<String, Double> samples = new HashMap<>();

        static Scrape parse(String scrape) {
            Scrape s = new Scrape();
            List<String> unparsed = new ArrayList<>();
            for (String line : scrape.split("\n")) {
                if (line.isBlank() || line.startsWith("# HELP")) {
                    continue;
                }
                Matcher type = TYPE.matcher(line);
                if (type.matches()) {
                    assertThat(s.types.put(type.group(1), type.group(2))).as("a second # TYPE for %s", type.group(1)).isNull();
                    continue;
                }
                Matcher sample = SAMPLE.matcher(line);
                if (!sample.matches()) {
                    unparsed.add(line);
                    continue;
                }
                s.samples.put(sample.group(1) + "{" + (sample.group(3) == null ? "" : sample.group(3)) + "}",
                        Double.parseDouble(sample.group(4)));
            }
            assertThat(unparsed).as("lines that do not parse").isEmpty();
            // no family is another's name plus _total (a gauge "x" beside a counter "x", exposed as "x_total")
            for (String name : s.types.keySet()) {
                assertThat(s.types).as("family %s", name).doesNotContainKey(name + "_total");
                if (name.endsWith("_total")) {
                    assertThat(s.types.get(name)).as("family %s", name).isEqualTo("counter");
                }
            }
            return s;
        }

        /** @return the sum of the samples of {@code name} whose labels contain every one of {@code labels} */
        double sum(String name, String... labels) {
            return samples.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(name + "{") && List.of(labels).stream().allMatch(e.getKey()::contains))
                    .mapToDouble(Map.Entry::getValue).sum();
        }
    }

    private static VaultRequest read() {
        return VaultRequest.get("/v1/secret/data/app").token(TOKEN).build();
    }

    private void traffic(int reads) {
        for (int i = 0; i < reads; i++) {
            assertThat(pool.request(read()).status()).isEqualTo(200);
        }
    }

    @Test
    void scrapeAfterTrafficParsesWithoutNameCollisionsAndCountsTheRequests() {
        PoolMeterBinder.bind(pool, registry);
        traffic(20);
        cluster.node(0).failWith(500, 1);
        assertThat(pool.request(VaultRequest.get("/v1/secret/data/app").token(TOKEN).build()).status()).isEqualTo(500);

        String scrape = registry.scrape();
        Scrape parsed = Scrape.parse(scrape);
        Map<String, String> types = parsed.types;
        Map<String, Double> samples = parsed.samples;
        System.out.println("measured: one scrape of one 3-node pool: " + types.size() + " metric families, " + samples.size() + " samples");

        assertThat(types).containsEntry("vaultx_pool_requests_total", "counter")
                .containsEntry("vaultx_pool_requests_failed_total", "counter")
                .containsEntry("vaultx_pool_connections", "gauge")
                .containsEntry("vaultx_pool_connections_active", "gauge")
                .containsEntry("vaultx_pool_connections_idle", "gauge")
                .containsEntry("vaultx_pool_requests_pending", "gauge")
                .containsEntry("vaultx_pool_node_tries_total", "counter")
                .containsEntry("vaultx_pool_node_circuit_state", "gauge")
                .containsEntry("vaultx_pool_node_circuit_opened_total", "counter")
                .containsEntry("vaultx_pool_node_latency_seconds", "gauge");
        assertThat(samples).containsEntry("vaultx_pool_requests_total{pool=\"metered\"}", 21.0)
                .containsEntry("vaultx_pool_requests_failed_total{pool=\"metered\"}", 1.0)
                .containsEntry("vaultx_pool_health{pool=\"metered\"}", 0.0);
        String node0 = "node=\"127.0.0.1:" + cluster.node(0).port() + "\",pool=\"metered\"";
        assertThat(samples).containsEntry("vaultx_pool_node_tries_total{" + node0 + "}", 21.0)
                .containsEntry("vaultx_pool_node_tries_failed_total{" + node0 + "}", 1.0)
                .containsEntry("vaultx_pool_node_active{" + node0 + "}", 1.0)
                .containsEntry("vaultx_pool_node_connections_max{" + node0 + "}", 3.0)
                .containsEntry("vaultx_pool_node_connections_closed_total{" + node0 + "}", 0.0);
        assertThat(samples.get("vaultx_pool_node_connections_opened_total{" + node0 + "}")).as("at least the prewarm's")
                .isGreaterThanOrEqualTo(samples.get("vaultx_pool_node_connections{" + node0 + "}")).isPositive();
        assertThat(samples.get("vaultx_pool_node_latency_seconds{" + node0 + ",quantile=\"0.5\"}")).isBetween(0.0, 1.0);
        assertThat(scrape).doesNotContain(TOKEN);
    }

    @Test
    void theTrackersRequestTimerCountsEveryRequestByOutcomeAndKindAndFailuresByKind() {
        traffic(20);
        cluster.node(0).failWith(500, 1);
        assertThat(pool.request(read()).status()).isEqualTo(500);
        cluster.node(0).stop();
        // the read must open a connection (refused): an idle one may still be served while the node's server stops
        pool.control().evictIdle();
        VaultTransportException stopped = catchThrowableOfType(VaultTransportException.class, () -> pool.request(read()));
        assertThat(stopped).as("the active node is stopped and no retry is allowed").isNotNull();
        String transportKind = stopped.kind().name().toLowerCase(Locale.ROOT);

        String scrape = tracked.scrape();
        assertThat(scrape).doesNotContain(TOKEN);
        Scrape s = Scrape.parse(scrape);

        String metered = "pool=\"metered\"";
        assertThat(s.types).containsEntry("vaultx_pool_request_duration_seconds", "histogram")
                .containsEntry("vaultx_pool_request_failures_total", "counter")
                .containsEntry("vaultx_pool_node_try_duration_seconds", "histogram")
                .containsEntry("vaultx_pool_lease_wait_seconds", "histogram")
                .containsEntry("vaultx_pool_retries_total", "counter")
                // the binder's meters come with the tracker
                .containsEntry("vaultx_pool_requests_total", "counter")
                .containsEntry("vaultx_pool_node_circuit_state", "gauge");
        assertThat(s.sum("vaultx_pool_request_duration_seconds_count", metered)).as("every request once").isEqualTo(22.0);
        assertThat(s.sum("vaultx_pool_request_duration_seconds_count", metered, "outcome=\"success\"", "kind=\"none\"")).isEqualTo(20.0);
        assertThat(s.sum("vaultx_pool_request_duration_seconds_count", metered, "outcome=\"failure\"", "kind=\"http_5xx\"")).isEqualTo(1.0);
        assertThat(s.sum("vaultx_pool_request_duration_seconds_count", metered, "outcome=\"failure\"",
                "kind=\"" + transportKind + "\"")).isEqualTo(1.0);
        assertThat(s.samples).containsEntry("vaultx_pool_request_failures_total{kind=\"http_5xx\"," + metered + "}", 1.0)
                .containsEntry("vaultx_pool_request_failures_total{kind=\"" + transportKind + "\"," + metered + "}", 1.0);
        assertThat(s.sum("vaultx_pool_request_failures_total", metered)).as("only the two failures").isEqualTo(2.0);
        assertThat(s.samples).as("a kind that never happened has no series")
                .doesNotContainKey("vaultx_pool_request_failures_total{kind=\"request_timeout\"," + metered + "}");

        String node0 = "node=\"127.0.0.1:" + cluster.node(0).port() + "\"";
        assertThat(s.sum("vaultx_pool_node_try_duration_seconds_count", node0)).as("tries on node 0 that got a connection")
                .isBetween(21.0, 22.0);
        assertThat(s.samples.get("vaultx_pool_node_try_duration_seconds_bucket{" + node0 + "," + metered + ",le=\"+Inf\"}"))
                .as("a latency histogram").isEqualTo(s.sum("vaultx_pool_node_try_duration_seconds_count", node0));
        assertThat(s.samples.keySet().stream().filter(k -> k.startsWith("vaultx_pool_node_try_duration_seconds_bucket{")
                && k.contains(node0))).as("buckets of node 0").hasSizeGreaterThan(10);
        assertThat(s.sum("vaultx_pool_lease_wait_seconds_count", metered)).isGreaterThanOrEqualTo(21.0);
        System.out.println("measured: one scrape with the tracker, one 3-node pool: " + s.types.size() + " metric families, "
                + s.samples.size() + " samples");
    }

    /**
     * A second tracker for the pool in the same registry (say, a composite registry and its child both offered) would
     * share the first one's meters: every event counted twice, and closing it would remove them. It records nothing.
     */
    @Test
    void aSecondTrackerForThePoolInTheSameRegistryNeitherCountsTwiceNorRemovesTheFirstOnesMeters() throws Exception {
        AutoCloseable second = pool.addMetricsTracker(new MicrometerTrackerFactory(tracked));
        traffic(5);
        assertThat(Scrape.parse(tracked.scrape()).sum("vaultx_pool_request_duration_seconds_count", "pool=\"metered\""))
                .as("each request once").isEqualTo(5.0);

        second.close();

        traffic(1);
        assertThat(Scrape.parse(tracked.scrape()).sum("vaultx_pool_request_duration_seconds_count", "pool=\"metered\""))
                .as("the first tracker's meters are still there").isEqualTo(6.0);
    }

    @Test
    void theTrackersMetersAreRemovedWhenThePoolClosesAndARequestAfterwardsRegistersNone() {
        traffic(3);
        assertThat(tracked.scrape()).contains("vaultx_pool_request_duration_seconds_count");

        pool.close();

        assertThat(tracked.getMeters()).isEmpty();
        assertThat(tracked.scrape()).doesNotContain("vaultx_");
        assertThatThrownBy(() -> pool.request(read())).isInstanceOf(PoolClosedException.class);
        assertThat(tracked.getMeters()).as("a request refused by the closed pool").isEmpty();
    }

    @Test
    void everyMeterIsRemovedWhenThePoolCloses() {
        PoolMeterBinder binder = PoolMeterBinder.bind(pool, registry);
        traffic(3);
        int bound = binder.meters(registry).size();
        assertThat(registry.getMeters()).hasSize(bound);

        pool.close();

        assertThat(registry.getMeters()).isEmpty();
        assertThat(registry.scrape()).doesNotContain("vaultx_");
        assertThat(binder.meters(registry)).isEmpty();
        System.out.println("measured: " + bound + " meters for one 3-node pool, 0 after close");
    }

    @Test
    void closingTheBinderRemovesItsMetersAndLaterBindingsRegisterNothing() {
        PoolMeterBinder binder = PoolMeterBinder.bind(pool, registry);
        PrometheusMeterRegistry second = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        binder.bindTo(second);
        assertThat(second.getMeters()).isNotEmpty();

        binder.close();
        binder.bindTo(registry);

        assertThat(registry.getMeters()).isEmpty();
        assertThat(second.getMeters()).isEmpty();
        assertThat(pool.isClosed()).isFalse();
    }

    @Test
    void twoPoolsInOneRegistryAreToldApartByTheirPoolTag() {
        try (AsyncHttpConnectionPool other = AsyncHttpConnectionPool.start(PoolConfig.builder().name("other")
                .nodeUris(cluster.urls()).size(1).ioThreads(1).build())) {
            PoolMeterBinder.bind(pool, registry);
            PoolMeterBinder.bind(other, registry);
            traffic(2);

            String scrape = registry.scrape();

            assertThat(scrape).contains("vaultx_pool_requests_total{pool=\"metered\"} 2.0")
                    .contains("vaultx_pool_requests_total{pool=\"other\"} 0.0");
            other.close();
            assertThat(registry.scrape()).doesNotContain("pool=\"other\"").contains("pool=\"metered\"");
        }
    }

    @Test
    void countsABreakerOpeningAndShowsTheOpenState() {
        PoolMeterBinder.bind(pool, registry);
        String node2 = "node=\"127.0.0.1:" + cluster.node(2).port() + "\",pool=\"metered\"";

        cluster.node(2).seal();
        pool.control().checkHealthNow();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(registry.scrape())
                .contains("vaultx_pool_node_circuit_opened_total{" + node2 + "} 1.0")
                .contains("vaultx_pool_node_circuit_state{" + node2 + "} 2.0")
                .contains("vaultx_pool_node_usable{" + node2 + "} 0.0")
                .contains("vaultx_pool_health{pool=\"metered\"} 1.0"));
    }
}
