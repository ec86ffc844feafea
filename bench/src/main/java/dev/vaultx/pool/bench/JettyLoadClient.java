package dev.vaultx.pool.bench;

import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpMethod;

import java.util.concurrent.TimeUnit;

/** (d) Jetty HttpClient 12 (HTTP/1.1): maxConnectionsPerDestination = the concurrency, buffering listener, round-robin. */
final class JettyLoadClient implements LoadClient {

    private final HttpClient client;
    private final String[] urls;
    private final RoundRobin rr;

    JettyLoadClient(Settings s) throws Exception {
        this.rr = new RoundRobin(s.nodes());
        this.client = new HttpClient();
        client.setMaxConnectionsPerDestination(s.perNode());
        client.setMaxRequestsQueuedPerDestination(Math.max(1024, s.concurrency() * 4));
        client.setConnectTimeout(10_000);
        client.setFollowRedirects(false);
        client.start();
        this.urls = new String[rr.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = rr.node(i) + PATH;
        }
    }

    @Override
    public void send(Done done) {
        int i = rr.nextIndex();
        client.newRequest(urls[i]).method(HttpMethod.GET).headers(h -> h.put("X-Vault-Token", TOKEN).put("X-Vault-Request", "true"))
                .timeout(30, TimeUnit.SECONDS)
                .send(new BufferingResponseListener(1 << 20) {
                    @Override
                    public void onComplete(Result result) {
                        if (result.isFailed()) {
                            done.failed(result.getFailure());
                        } else {
                            done.completed(result.getResponse().getStatus(), getContent().length, i);
                        }
                    }
                });
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }
}
