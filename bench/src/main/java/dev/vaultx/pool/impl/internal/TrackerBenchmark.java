package dev.vaultx.pool.impl.internal;

import com.codahale.metrics.MetricRegistry;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.internal.metrics.DropwizardMetricsTracker;
import dev.vaultx.pool.impl.internal.metrics.MetricsTracker;
import dev.vaultx.pool.micrometer.MicrometerTrackerFactory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What the metrics cost one successful request (a lease wait, a try, the request's end: the three tracker calls of
 * the request path), by tracker: the built-in Dropwizard tracker alone, the pool's fan-out with no public tracker
 * attached (the default), and with the Micrometer tracker on a Prometheus registry. The fan-outs are those of real
 * pools (started against 127.0.0.1 ports nothing listens on, never sent a request), reached by reflection.
 * Average time per request, nanoseconds.
 *
 * <pre>java -cp ... org.openjdk.jmh.Main TrackerBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class TrackerBenchmark {

    private static final long LEASE_NANOS = 2_000;
    private static final long TRY_NANOS = 180_000;
    private static final long REQUEST_NANOS = 185_000;

    MetricsTracker dropwizard;
    AsyncHttpConnectionPool plainPool;
    AsyncHttpConnectionPool micrometerPool;
    MetricsTracker fanOutNone;
    MetricsTracker fanOutMicrometer;

    @Setup(Level.Trial)
    public void setup() throws ReflectiveOperationException {
        PoolConfig config = config("jmh-plain");
        dropwizard = new DropwizardMetricsTracker(new MetricRegistry(), "jmh-dropwizard", config.nodes(), () -> null,
                i -> dev.vaultx.pool.CircuitState.CLOSED);
        plainPool = AsyncHttpConnectionPool.builder(config).metricRegistry(new MetricRegistry()).start();
        micrometerPool = AsyncHttpConnectionPool.builder(config("jmh-micrometer")).metricRegistry(new MetricRegistry())
                .metricsTrackerFactory(new MicrometerTrackerFactory(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)))
                .start();
        fanOutNone = trackerOf(plainPool);
        fanOutMicrometer = trackerOf(micrometerPool);
    }

    private static PoolConfig config(String name) {
        return PoolConfig.builder().name(name)
                .nodes("http://127.0.0.1:18211", "http://127.0.0.1:18212", "http://127.0.0.1:18213")
                .prewarm(false).ioThreads(1).build();
    }

    private static MetricsTracker trackerOf(AsyncHttpConnectionPool pool) throws ReflectiveOperationException {
        java.lang.reflect.Field f = AsyncHttpConnectionPool.class.getDeclaredField("core");
        f.setAccessible(true);
        return ((PoolCore) f.get(pool)).runtime().metrics;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        plainPool.close();
        micrometerPool.close();
        dropwizard.close();
    }

    private static void request(MetricsTracker t) {
        t.leaseWaited(LEASE_NANOS);
        t.tryCompleted(0, TRY_NANOS, false);
        t.requestCompleted(REQUEST_NANOS, null);
    }

    @Benchmark
    public void dropwizardAlone() {
        request(dropwizard);
    }

    @Benchmark
    public void fanOutNoTrackerAttached() {
        request(fanOutNone);
    }

    @Benchmark
    public void fanOutWithMicrometer() {
        request(fanOutMicrometer);
    }
}
