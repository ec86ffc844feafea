package dev.vaultx.pool.testkit;

import static dev.vaultx.pool.testkit.TestHttp.get;
import static dev.vaultx.pool.testkit.TestHttp.getWithToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {

    private SimulatedVaultCluster cluster;
    private SimulatedVaultNode active;

    @BeforeEach
    void start() {
        cluster = SimulatedVaultCluster.start(2);
        active = cluster.node(0);
        cluster.put("app", Map.of("k", "v"));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** A fresh client, so no pooled connection hides what the node does to new connections. */
    private static HttpResponse<String> fresh(HttpRequest request) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void stoppedNodeRefusesConnectionsAndStartsAgainOnTheSamePort() throws Exception {
        URI before = active.uri();

        active.stop();

        assertThat(active.isRunning()).isFalse();
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", before.getPort()), 1000);
            }
        }).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> fresh(TestHttp.request(before, "/v1/sys/health").build()))
                .isInstanceOf(ConnectException.class);

        active.start();

        assertThat(active.uri()).isEqualTo(before);
        assertThat(fresh(TestHttp.request(before, "/v1/sys/health").build()).statusCode()).isEqualTo(200);
        assertThat(getWithToken(before, "/v1/secret/data/app").statusCode()).isEqualTo(200);
    }

    @Test
    void restartKeepsPortRoleAndJournal() throws Exception {
        get(active.uri(), "/v1/sys/health");
        int port = active.port();

        active.restart();

        assertThat(active.port()).isEqualTo(port);
        assertThat(fresh(TestHttp.request(active.uri(), "/v1/sys/health").build()).statusCode()).isEqualTo(200);
        assertThat(active.requestCount("/v1/sys/health")).isEqualTo(2);
    }

    @Test
    void blackholedNodeTimesOutClientsAndCloseStaysPrompt() {
        active.blackhole();
        HttpRequest request = TestHttp.request(active.uri(), "/v1/sys/health").timeout(Duration.ofMillis(300)).build();

        long t0 = System.nanoTime();
        assertThatThrownBy(() -> fresh(request)).isInstanceOf(HttpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(2)).until(() -> active.requestCount("/v1/sys/health") == 1);

        // Leave a few requests hanging, then close: must not wait for them.
        for (int i = 0; i < 5; i++) {
            TestHttp.client().sendAsync(TestHttp.request(active.uri(), "/v1/secret/data/app").build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> active.requestCount("/v1/secret") == 5);
        long c0 = System.nanoTime();
        cluster.close();
        assertThat(Duration.ofNanos(System.nanoTime() - c0)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void clearFaultsHealsABlackholedNodeForNewRequests() throws Exception {
        active.blackhole();
        assertThatThrownBy(() -> fresh(TestHttp.request(active.uri(), "/v1/sys/health")
                .timeout(Duration.ofMillis(200)).build())).isInstanceOf(HttpTimeoutException.class);

        active.clearFaults();

        assertThat(fresh(TestHttp.request(active.uri(), "/v1/sys/health").build()).statusCode()).isEqualTo(200);
    }

    @Test
    void slowNodeDelaysEveryResponseIncludingHealth() {
        active.slow(Duration.ofMillis(300));

        long t0 = System.nanoTime();
        HttpResponse<String> response = get(active.uri(), "/v1/sys/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThatThrownBy(() -> fresh(TestHttp.request(active.uri(), "/v1/secret/data/app")
                .timeout(Duration.ofMillis(100)).build())).isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void resetNodeResetsConnections() {
        active.reset();

        assertThatThrownBy(() -> fresh(TestHttp.request(active.uri(), "/v1/sys/health").build()))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> fresh(TestHttp.request(active.uri(), "/v1/secret/data/app").build()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void garbageNodeSendsNoHttp() {
        active.garbage();

        assertThatThrownBy(() -> fresh(TestHttp.request(active.uri(), "/v1/sys/health").build()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void truncatedBodyBreaksApiResponsesButNotHealth() throws Exception {
        active.truncateBody();

        assertThatThrownBy(() -> fresh(TestHttp.request(active.uri(), "/v1/secret/data/app")
                .header("X-Vault-Token", "t").build())).isInstanceOf(IOException.class);
        assertThat(fresh(TestHttp.request(active.uri(), "/v1/sys/health").build()).statusCode()).isEqualTo(200);
    }

    @Test
    void failWithTwice500ThenSucceeds() {
        active.failWith(500, 2);

        HttpResponse<String> first = getWithToken(active.uri(), "/v1/secret/data/app");
        HttpResponse<String> second = getWithToken(active.uri(), "/v1/secret/data/app");
        HttpResponse<String> third = getWithToken(active.uri(), "/v1/secret/data/app");

        assertThat(first.statusCode()).isEqualTo(500);
        assertThat(first.body()).isEqualToIgnoringWhitespace("{\"errors\":[\"internal error\"]}");
        assertThat(second.statusCode()).isEqualTo(500);
        assertThat(third.statusCode()).isEqualTo(200);
    }

    @Test
    void failWithDoesNotTouchSysHealth() {
        active.failWith(503, -1);

        assertThat(get(active.uri(), "/v1/sys/health").statusCode()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            assertThat(getWithToken(active.uri(), "/v1/secret/data/app").statusCode()).isEqualTo(503);
        }
        active.clearFaults();
        assertThat(getWithToken(active.uri(), "/v1/secret/data/app").statusCode()).isEqualTo(200);
    }

    @Test
    void rateLimitAnswers429WithRetryAfter() {
        active.rateLimit(1, "2");

        HttpResponse<String> limited = getWithToken(active.uri(), "/v1/secret/data/app");
        HttpResponse<String> next = getWithToken(active.uri(), "/v1/secret/data/app");

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(limited.body()).isEqualToIgnoringWhitespace(
                "{\"errors\":[\"request path \\\"secret/data/app\\\": rate limit quota exceeded\"]}");
        assertThat(next.statusCode()).isEqualTo(200);
    }

    @Test
    void rateLimitWithoutRetryAfterSendsNoHeaderAndSparesSysHealth() {
        cluster.node(1).rateLimit(-1, null);

        HttpResponse<String> limited = getWithToken(cluster.node(1).uri(), "/v1/secret/data/app");

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isEmpty();
        assertThat(get(cluster.node(1).uri(), "/v1/sys/health").statusCode()).isEqualTo(429);
        assertThat(get(cluster.node(1).uri(), "/v1/sys/health?standbyok=true").statusCode()).isEqualTo(200);
    }

    @Test
    void redirectToAnswers307WithPathAndQuery() {
        active.redirectTo(URI.create("http://127.0.0.1:1/"));

        HttpResponse<String> response = getWithToken(active.uri(), "/v1/secret/data/app?version=1");

        assertThat(response.statusCode()).isEqualTo(307);
        assertThat(response.headers().firstValue("Location")).hasValue("http://127.0.0.1:1/v1/secret/data/app?version=1");
        assertThat(get(active.uri(), "/v1/sys/health").statusCode()).isEqualTo(200);
    }

    @Test
    void healthBodyOverrideServesInvalidJsonWithTheRoleStatus() {
        cluster.node(1).healthBody("{not json");

        HttpResponse<String> response = get(cluster.node(1).uri(), "/v1/sys/health");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.body()).isEqualTo("{not json");
    }

    @Test
    void faultsCanChangeWhileRequestsAreInFlight() {
        CompletableFuture<HttpResponse<String>> slow = TestHttp.client().sendAsync(
                TestHttp.request(active.slow(Duration.ofMillis(200)).uri(), "/v1/sys/health").build(),
                HttpResponse.BodyHandlers.ofString());
        active.clearFaults();

        assertThat(slow.join().statusCode()).isEqualTo(200);
        assertThat(get(active.uri(), "/v1/sys/health").statusCode()).isEqualTo(200);
    }
}
