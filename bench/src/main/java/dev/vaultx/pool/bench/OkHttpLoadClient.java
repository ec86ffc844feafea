package dev.vaultx.pool.bench;

import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** (d') OkHttp 5: dispatcher maxRequests(PerHost) = the concurrency, idle pool of nodes x concurrency, round-robin. */
final class OkHttpLoadClient implements LoadClient {

    private final OkHttpClient client;
    private final Request[] requests;
    private final RoundRobin rr;

    OkHttpLoadClient(Settings s) {
        this.rr = new RoundRobin(s.nodes());
        Dispatcher d = new Dispatcher();
        d.setMaxRequests(s.concurrency() * rr.size());
        d.setMaxRequestsPerHost(s.perNode());
        this.client = new OkHttpClient.Builder()
                .dispatcher(d)
                .connectionPool(new ConnectionPool(s.perNode() * rr.size(), 5, TimeUnit.MINUTES))
                .protocols(List.of(Protocol.HTTP_1_1))
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .readTimeout(30, TimeUnit.SECONDS)
                .build();
        this.requests = new Request[rr.size()];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = new Request.Builder().url(rr.node(i) + PATH).header("X-Vault-Token", TOKEN).header("X-Vault-Request", "true").get().build();
        }
    }

    @Override
    public void send(Done done) {
        int i = rr.nextIndex();
        client.newCall(requests[i]).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                done.failed(e);
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (ResponseBody body = response.body()) {
                    done.completed(response.code(), body.bytes().length, i);
                } catch (IOException e) {
                    done.failed(e);
                }
            }
        });
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
