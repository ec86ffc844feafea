package dev.vaultx.pool.bench;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.async.MinimalHttpAsyncClient;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;


/**
 * (b) raw HttpAsyncClient 5, tuned per PERF-FACTS: {@code createMinimal} (no exec chain), LAX pool
 * policy, LIFO reuse, maxPerRoute = the concurrency, maxTotal = nodes x maxPerRoute, TCP_NODELAY,
 * the same I/O thread count as the pool, a streaming consumer that copies the body into one
 * byte array (what a caller needs; no header map), round-robin over the nodes.
 */
final class RawAsyncLoadClient implements LoadClient {

    private final PoolingAsyncClientConnectionManager manager;
    private final MinimalHttpAsyncClient client;
    private final HttpHost[] hosts;
    private final RoundRobin rr;

    RawAsyncLoadClient(Settings s) {
        this(s, s.perNode());
    }

    /**
     * @param perNode connections per node: the concurrency (the headline baseline: no request ever waits for a
     *                connection), or the pool's default {@code size + maxOverflow} (15), so that requests queue in
     *                the connection manager as they do in the pool at its defaults
     */
    RawAsyncLoadClient(Settings s, int perNode) {
        this.rr = new RoundRobin(s.nodes());
        this.hosts = s.nodes().stream().map(u -> new HttpHost(u.getScheme(), u.getHost(), u.getPort())).toArray(HttpHost[]::new);
        this.manager = PoolingAsyncClientConnectionManagerBuilder.create()
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                .setConnPoolPolicy(PoolReusePolicy.LIFO)
                .setMaxConnPerRoute(perNode)
                .setMaxConnTotal(perNode * hosts.length)
                .setTlsStrategy(s.caFile() == null ? null : org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder.create()
                        .setSslContext(Tls.trusting(s.caFile())).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofSeconds(10)).setSocketTimeout(Timeout.ofSeconds(30)).build())
                .build();
        IOReactorConfig reactor = IOReactorConfig.custom()
                .setIoThreadCount(s.ioThreads())
                .setSoTimeout(Timeout.ofSeconds(30))
                .setTcpNoDelay(true)
                .build();
        this.client = HttpAsyncClients.createMinimal(H2Config.DEFAULT, Http1Config.DEFAULT, reactor, manager);
        this.client.start();
    }

    @Override
    public void send(Done done) {
        int i = rr.nextIndex();
        HttpHost host = hosts[i];
        BasicHttpRequest request = new BasicHttpRequest("GET", host, PATH);
        request.addHeader("X-Vault-Request", "true");
        request.addHeader("X-Vault-Token", TOKEN);
        client.execute(new BasicRequestProducer(request, null), new RawBodyConsumer(), new FutureCallback<RawBodyConsumer.Response>() {
            @Override
            public void completed(RawBodyConsumer.Response r) {
                done.completed(r.status(), r.body().length, i);
            }

            @Override
            public void failed(Exception ex) {
                done.failed(ex);
            }

            @Override
            public void cancelled() {
                done.failed(new java.util.concurrent.CancellationException());
            }
        });
    }

    @Override
    public void close() {
        client.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
        manager.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
    }

}
