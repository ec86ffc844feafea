package dev.vaultx.pool.impl.internal;

import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.Timer;
import dev.failsafe.CircuitBreaker;
import dev.vaultx.pool.BalancingStrategy;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.bench.RawBodyConsumer;
import dev.vaultx.pool.impl.internal.metrics.BucketReservoir;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.AsyncPushConsumer;
import org.apache.hc.core5.http.nio.HandlerFactory;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The pool's per-request hot path, piece by piece, without the network. In the package of the
 * pool's internals so that package-private classes are reachable (same package name on the
 * classpath). Average time per operation, nanoseconds.
 *
 * <pre>java -cp ... org.openjdk.jmh.Main HotPathBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class HotPathBenchmark {

    static final String TOKEN = "hvs.CAESIJlU9-bench-token-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS";
    static final String PATH = "/v1/secret/data/app";
    static final byte[] BODY = new byte[390];

    PoolRuntime rt;
    Balancer roundRobin;
    Balancer vaultAware;
    Balancer vaultAwareStandbys;
    NodeState node;
    CircuitBreaker<Object> failsafe;
    Timer timer;
    Timer bucketTimer;
    VaultRequest read;
    StubEndpoint endpoint;
    BasicHttpResponse head;
    EntityDetails entity;
    java.util.concurrent.ScheduledThreadPoolExecutor plainTimer;

    @Setup(Level.Trial)
    public void setup() {
        PoolConfig config = PoolConfig.builder().name("jmh")
                .nodes("http://127.0.0.1:18201", "http://127.0.0.1:18202", "http://127.0.0.1:18203")
                .prewarm(false).ioThreads(1).build();
        rt = new PoolRuntime(config, Ticker.SYSTEM);
        rt.nodes.get(0).role = NodeRole.ACTIVE;
        rt.nodes.get(1).role = NodeRole.PERFORMANCE_STANDBY;
        rt.nodes.get(2).role = NodeRole.PERFORMANCE_STANDBY;
        roundRobin = new Balancer(rt.nodes, BalancingStrategy.ROUND_ROBIN, false);
        vaultAware = new Balancer(rt.nodes, BalancingStrategy.VAULT_AWARE, false);
        vaultAwareStandbys = new Balancer(rt.nodes, BalancingStrategy.VAULT_AWARE, true);
        node = rt.nodes.get(0);
        failsafe = CircuitBreaker.builder().withFailureRateThreshold(50, 20, Duration.ofSeconds(10))
                .withSuccessThreshold(3).withDelay(Duration.ofSeconds(5)).build();
        timer = new Timer(LockFreeExponentiallyDecayingReservoir.builder().build());
        bucketTimer = new Timer(new BucketReservoir());
        read = VaultRequest.get(PATH).token(TOKEN).build();
        endpoint = new StubEndpoint();
        head = new BasicHttpResponse(200);
        head.addHeader("Server", "nginx");
        head.addHeader("Date", "Wed, 01 May 2024 12:00:00 GMT");
        head.addHeader("Content-Type", "application/json");
        head.addHeader("Content-Length", String.valueOf(BODY.length));
        head.addHeader("Connection", "keep-alive");
        head.addHeader("Cache-Control", "no-store");
        entity = new BasicEntityDetails(BODY.length, ContentType.APPLICATION_JSON);
        plainTimer = new java.util.concurrent.ScheduledThreadPoolExecutor(1);
        plainTimer.setRemoveOnCancelPolicy(true);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        // the transport's I/O reactor is left to die with the fork: closing it logs ClosedSelectorException noise
        rt.scheduler.shutdownNow();
        plainTimer.shutdownNow();
    }

    // ---------------------------------------------------------------- node choice

    @Benchmark
    public NodeState balancerRoundRobin() {
        return roundRobin.choose(read, null);
    }

    @Benchmark
    public NodeState balancerVaultAwareActiveOnly() {
        return vaultAware.choose(read, null);
    }

    @Benchmark
    public NodeState balancerVaultAwareReadFromStandbys() {
        return vaultAwareStandbys.choose(read, null);
    }

    @Benchmark
    @Threads(2)
    public NodeState balancerRoundRobin2Threads() {
        return roundRobin.choose(read, null);
    }

    // ---------------------------------------------------------------- breaker permit

    @Benchmark
    public boolean breakerPermitNodeBreaker() {
        BreakerPermit permit = node.breaker.tryAcquire();
        permit.success();
        return permit != null;
    }

    @Benchmark
    @Threads(2)
    public boolean breakerPermitNodeBreaker2Threads() {
        BreakerPermit permit = node.breaker.tryAcquire();
        permit.success();
        return permit != null;
    }

    @Benchmark
    public boolean breakerPermitFailsafeDirect() {
        boolean ok = failsafe.tryAcquirePermit();
        failsafe.recordSuccess();
        return ok;
    }

    /** {@code isUsable()} is asked for every node on every choice: the breaker's isOpen() per node. */
    @Benchmark
    public boolean nodeIsUsable() {
        return node.isUsable();
    }

    // ---------------------------------------------------------------- statistics

    /** The counters one successful request updates in RequestExecution / ConnectionLease, in order. */
    @Benchmark
    public void statsCountersPerRequest() {
        rt.totalRequests.increment();
        rt.active.incrementAndGet();
        rt.pending.incrementAndGet();
        node.beginWait();
        node.leased(10, () -> 0L);
        rt.pending.decrementAndGet();
        node.endWait();
        node.inFlight.incrementAndGet();
        node.tries.increment();
        node.inFlight.decrementAndGet();
        node.released(before -> { });
        rt.active.decrementAndGet();
    }

    @Benchmark
    @Threads(2)
    public void statsCountersPerRequest2Threads() {
        statsCountersPerRequest();
    }

    /** A Dropwizard timer update with Dropwizard's lock-free decaying reservoir (the tracker's until BucketReservoir). */
    @Benchmark
    public void statsDropwizardTimer() {
        timer.update(1234567, TimeUnit.NANOSECONDS);
    }

    /** A Dropwizard timer update with the BucketReservoir, as the metrics tracker does per request (three times). */
    @Benchmark
    public void statsBucketTimer() {
        bucketTimer.update(1234567, TimeUnit.NANOSECONDS);
    }

    // ---------------------------------------------------------------- timers per request

    /**
     * What the pool used to pay per request on its timer: a deadline task and an attemptTimeout task, both scheduled
     * and cancelled, on a ScheduledThreadPoolExecutor with removeOnCancel. Now it pays nothing here: the
     * TimeoutSweeper looks through the live requests every 10 ms instead.
     */
    @Benchmark
    public boolean timersScheduleAndCancelTwo() {
        ScheduledFuture<?> deadline = plainTimer.schedule(HotPathBenchmark::noop, 60, TimeUnit.SECONDS);
        ScheduledFuture<?> attempt = plainTimer.schedule(HotPathBenchmark::noop, 15, TimeUnit.SECONDS);
        return attempt.cancel(false) & deadline.cancel(false);
    }

    // ---------------------------------------------------------------- the requests under way, for close()

    /** LiveRequests (a ConcurrentHashMap key set): one add and one remove per request, two threads. */
    @Benchmark
    @Threads(2)
    public Entry liveRequestsAddRemove() {
        Entry e = new Entry();
        live.add(e);
        live.remove(e);
        return e;
    }

    static final class Entry extends LiveRequests.Entry {
        @Override
        void abortOnClose() {
        }

        @Override
        boolean isDue(long now) {
            return false;
        }

        @Override
        void onTimeout(long now) {
        }
    }

    final LiveRequests live = new LiveRequests();

    static void noop() {
    }

    // ---------------------------------------------------------------- the request's gate

    final SerialGate gate = new SerialGate();
    long gateSteps;

    /** A request's two hot steps (connection granted, response) entered through its SerialGate, uncontended: no allocation. */
    @Benchmark
    public long serialGateTwoUncontendedSteps() {
        for (int i = 0; i < 2; i++) {
            if (gate.tryEnter()) {
                try {
                    gateSteps++;
                } finally {
                    gate.exit();
                }
            }
        }
        return gateSteps;
    }

    // ---------------------------------------------------------------- request building

    @Benchmark
    public VaultRequest requestBuilder() {
        return VaultRequest.get(PATH).token(TOKEN).build();
    }

    /** HttpTransport.send up to the endpoint: BasicHttpRequest, headers, producer, consumer, exchange handler, request head produced. */
    @Benchmark
    public Object transportRequestConstruction() {
        return rt.transport.send(endpoint, node, read, read.path(), NOOP_CALLBACK);
    }

    /** What the raw client builds per request (its equivalent of the previous benchmark). */
    @Benchmark
    public Object rawRequestConstruction() throws Exception {
        org.apache.hc.core5.http.message.BasicHttpRequest r = new org.apache.hc.core5.http.message.BasicHttpRequest("GET", node.host, PATH);
        r.addHeader("X-Vault-Token", TOKEN);
        org.apache.hc.core5.http.nio.support.BasicRequestProducer p = new org.apache.hc.core5.http.nio.support.BasicRequestProducer(r, null);
        p.sendRequest(NOOP_CHANNEL, null);
        return p;
    }

    // ---------------------------------------------------------------- response side

    /** VaultResponseConsumer on a 390-byte body with nginx's 6 headers, then Outcome.of: what the pool does per response. */
    @Benchmark
    public Object responseConsumeAndClassify() throws Exception {
        VaultResponseConsumer c = new VaultResponseConsumer(node.uri, 8 << 20);
        Object[] out = new Object[1];
        c.consumeResponse(head, entity, null, new FutureCallback<>() {
            @Override
            public void completed(VaultResponse r) {
                out[0] = r;
            }

            @Override
            public void failed(Exception ex) {
            }

            @Override
            public void cancelled() {
            }
        });
        c.consume(ByteBuffer.wrap(BODY));
        c.streamEnd(null);
        return Outcome.of((VaultResponse) out[0]);
    }

    /** The raw client's streaming consumer on the same response (status + body array only). */
    @Benchmark
    public Object responseConsumeRaw() throws Exception {
        return RawBodyConsumer.consumeForBenchmark(head, BODY);
    }

    static final FutureCallback<VaultResponse> NOOP_CALLBACK = new FutureCallback<>() {
        @Override
        public void completed(VaultResponse result) {
        }

        @Override
        public void failed(Exception ex) {
        }

        @Override
        public void cancelled() {
        }
    };

    static final RequestChannel NOOP_CHANNEL = new RequestChannel() {
        @Override
        public void sendRequest(HttpRequest request, EntityDetails entityDetails, HttpContext context) {
        }
    };

    /** An endpoint that produces the request head into a no-op channel and sends nothing. */
    static final class StubEndpoint extends AsyncClientEndpoint {
        @Override
        public void execute(AsyncClientExchangeHandler handler, HandlerFactory<AsyncPushConsumer> push, HttpContext context) {
            try {
                handler.produceRequest(NOOP_CHANNEL, context);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void releaseAndReuse() {
        }

        @Override
        public void releaseAndDiscard() {
        }

        @Override
        public boolean isConnected() {
            return true;
        }
    }

    static {
        java.util.Arrays.fill(BODY, (byte) 'x');
    }

}
