package dev.vaultx.pool.micrometer;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.FailureKind;
import dev.vaultx.pool.metrics.PoolMetricsTracker;
import dev.vaultx.pool.metrics.RequestOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The Micrometer tracker of one pool in one registry ({@link MicrometerTrackerFactory}): a {@link PoolMeterBinder}
 * for what the api shows, and the meters of the pool's events. The request timer and the failure counter of each
 * outcome and kind are registered at their first use (a pool that never timed out shows no
 * {@code kind="request_timeout"} series) and then kept in an array, so that an event costs an array read and a
 * meter update; the others are registered at once.
 *
 * <p>This class is thread-safe: registration and {@link #close()} are serialized on {@code this}; a meter first
 * needed after {@code close()} is not registered (the event is dropped).
 */
final class MicrometerTracker implements PoolMetricsTracker {

    private static final int OUTCOMES = RequestOutcome.values().length;
    private static final int SLOTS = OUTCOMES + FailureKind.values().length;

    private final MeterRegistry registry;
    private final Tags poolTags;
    private final PoolMeterBinder binder;
    private final AtomicReferenceArray<Timer> requests = new AtomicReferenceArray<>(SLOTS);
    private final AtomicReferenceArray<Counter> failures = new AtomicReferenceArray<>(SLOTS);
    private final Timer leaseWait;
    private final Counter retries;
    private final Counter retriesRejected;
    private final Timer[] tries;
    /** Guarded by {@code this}. */
    private final List<Meter> meters = new ArrayList<>();
    /** Guarded by {@code this}. */
    private boolean closed;

    MicrometerTracker(ConnectionPool pool, MeterRegistry registry) {
        this.registry = registry;
        this.poolTags = Tags.of(MeterNames.TAG_POOL, pool.name());
        this.binder = new PoolMeterBinder(pool);
        try {
            binder.bindTo(registry);
            synchronized (this) {
                leaseWait = add(timer(MeterNames.LEASE_WAIT, poolTags, "time a try waited for a connection"));
                retries = add(Counter.builder(MeterNames.RETRIES).tags(poolTags).description("retries sent").register(registry));
                retriesRejected = add(Counter.builder(MeterNames.RETRIES_REJECTED).tags(poolTags)
                        .description("retries refused by the retry budget").register(registry));
                tries = new Timer[pool.config().nodes().size()];
                for (int i = 0; i < tries.length; i++) {
                    Tags t = poolTags.and(MeterNames.TAG_NODE, PoolMeterBinder.hostPort(pool.config().nodes().get(i)));
                    tries[i] = add(timer(MeterNames.NODE_TRY_DURATION, t, "tries on the node that got a connection"));
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private Timer timer(String name, Tags tags, String description) {
        return Timer.builder(name).tags(tags).description(description).publishPercentileHistogram().register(registry);
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    /** @return the slot of an outcome: its ordinal, or after all outcomes the transport kind's ordinal */
    private static int slot(RequestOutcome outcome, FailureKind kind) {
        return outcome == RequestOutcome.TRANSPORT && kind != null ? OUTCOMES + kind.ordinal() : outcome.ordinal();
    }

    /** @return the value of the tag {@code kind}: {@code none}, the outcome's name or the transport kind's, lower case */
    static String kindTag(RequestOutcome outcome, FailureKind kind) {
        if (outcome == RequestOutcome.SUCCESS) {
            return MeterNames.KIND_NONE;
        }
        return (outcome == RequestOutcome.TRANSPORT && kind != null ? kind.name() : outcome.name()).toLowerCase(Locale.ROOT);
    }

    @Override
    public void requestCompleted(long nanos, RequestOutcome outcome, FailureKind kind) {
        int slot = slot(outcome, kind);
        Timer t = requests.get(slot);
        if (t == null && (t = registerRequestMeters(slot, outcome, kind)) == null) {
            return;
        }
        t.record(nanos, TimeUnit.NANOSECONDS);
        if (outcome.isFailure()) {
            failures.get(slot).increment();
        }
    }

    /** @return the slot's timer, registered now with its failure counter; {@code null} once closed */
    private synchronized Timer registerRequestMeters(int slot, RequestOutcome outcome, FailureKind kind) {
        if (closed) {
            return null;
        }
        Timer t = requests.get(slot);
        if (t != null) {
            return t;
        }
        String k = kindTag(outcome, kind);
        if (outcome.isFailure()) {
            failures.set(slot, add(Counter.builder(MeterNames.REQUEST_FAILURES).tags(poolTags).tag(MeterNames.TAG_KIND, k)
                    .description("failed requests by kind").register(registry)));
        }
        t = add(Timer.builder(MeterNames.REQUEST_DURATION).tags(poolTags)
                .tag(MeterNames.TAG_OUTCOME, outcome.isFailure() ? MeterNames.OUTCOME_FAILURE : MeterNames.OUTCOME_SUCCESS)
                .tag(MeterNames.TAG_KIND, k).description("requests from acceptance to completion, retries included")
                .publishPercentileHistogram().register(registry));
        requests.set(slot, t); // after the counter: a reader that sees the timer sees the counter
        return t;
    }

    @Override
    public void tryCompleted(int node, long nanos, boolean failed) {
        if (nanos >= 0) {
            tries[node].record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void leaseWaited(long nanos) {
        leaseWait.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void retried() {
        retries.increment();
    }

    @Override
    public void retryRejected() {
        retriesRejected.increment();
    }

    /** Removes every meter of the pool from the registry: the binder's and this tracker's. Idempotent. */
    @Override
    public void close() {
        List<Meter> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(meters);
            meters.clear();
        }
        all.forEach(registry::remove);
        binder.close();
    }

    @Override
    public String toString() {
        return "MicrometerTracker(" + poolTags + ", " + registry.getClass().getSimpleName() + ")";
    }
}
