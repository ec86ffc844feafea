package dev.vaultx.pool.bench;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seconds-long smoke of the load harness (not a benchmark, no timing asserted): every Java
 * client runs a short closed loop against three in-JVM stand-in nodes on 127.0.0.1 and must
 * complete requests without errors. The real runs are bench/run.sh.
 */
class BenchSmokeTest {

    static final List<StandInNode> NODES = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        for (int i = 0; i < 3; i++) {
            NODES.add(new StandInNode(i == 0, 0));
        }
    }

    @AfterAll
    static void stop() {
        NODES.forEach(StandInNode::close);
    }

    @Test
    void everyClientCompletesRequests() throws Exception {
        List<URI> uris = NODES.stream().map(StandInNode::uri).toList();
        for (String client : List.of("pool", "pool-sized", "raw", "jdk", "jetty", "okhttp")) {
            LoadMain.Result r = LoadMain.run(client, new LoadClient.Settings(uris, 4, 1, "ROUND_ROBIN"), 0.2, 0.3,
                    ServerStatus.of(null));
            assertTrue(r.requests > 0, client + " completed no request");
            assertEquals(0, r.errors, client + ": " + r.firstError);
            assertEquals(0, r.non2xx, client + " got non-2xx or short bodies");
        }
    }

    @Test
    void histogramQuantilesAreCloseToExact() {
        Histogram h = new Histogram();
        for (long v = 1; v <= 100_000; v++) {
            h.record(v * 1000);
        }
        long p50 = h.quantile(0.5);
        long p99 = h.quantile(0.99);
        assertTrue(Math.abs(p50 - 50_000_000L) < 50_000_000L * 0.04, "p50 " + p50);
        assertTrue(Math.abs(p99 - 99_000_000L) < 99_000_000L * 0.04, "p99 " + p99);
    }
}
