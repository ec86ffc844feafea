package dev.vaultx.pool.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** (c) the JDK's {@code java.net.http.HttpClient}, HTTP/1.1, default executor, round-robin; requests prebuilt per node. */
final class JdkLoadClient implements LoadClient {

    private final HttpClient client;
    private final HttpRequest[] requests;
    private final RoundRobin rr;

    JdkLoadClient(Settings s) {
        this.rr = new RoundRobin(s.nodes());
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.requests = new HttpRequest[rr.size()];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = HttpRequest.newBuilder(URI.create(rr.node(i) + PATH)).header("X-Vault-Token", TOKEN).header("X-Vault-Request", "true")
                    .timeout(Duration.ofSeconds(30)).GET().build();
        }
    }

    @Override
    public void send(Done done) {
        int i = rr.nextIndex();
        client.sendAsync(requests[i], HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, e) -> {
            if (e != null) {
                done.failed(e);
            } else {
                done.completed(r.statusCode(), r.body().length, i);
            }
        });
    }

    @Override
    public void close() {
        // Java 17's HttpClient has no close(); its threads are daemons
    }
}
