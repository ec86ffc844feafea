package dev.vaultx.pool.impl.internal.metrics;

import com.codahale.metrics.Clock;
import com.codahale.metrics.EWMA;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MovingAverages;
import com.codahale.metrics.Timer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Dropwizard's 1, 5 and 15-minute moving averages, fed from the meter's own count at each 5-second tick instead
 * of on every event. Dropwizard's {@code ExponentialMovingAverages} adds every event to three more
 * {@code LongAdder}s (one per average) which its next tick sums; the events since the last tick are exactly the
 * change of the meter's count, so this reads that instead. The rates are the same as Dropwizard's (the events
 * of a tick land in the same interval), and a timer update costs three {@code LongAdder} additions fewer: the
 * request path updates three timers per request.
 *
 * <p>This class is thread-safe: one tick at a time wins a compare-and-set, as in Dropwizard.
 */
final class TickedRates implements MovingAverages {

    private static final long TICK_INTERVAL = TimeUnit.SECONDS.toNanos(5);

    private final Clock clock;
    private final AtomicLong lastTick;
    /** The meter's count at the last tick; written by the tick's winner only. */
    private final AtomicLong lastCount = new AtomicLong();
    private final EWMA m1 = EWMA.oneMinuteEWMA();
    private final EWMA m5 = EWMA.fiveMinuteEWMA();
    private final EWMA m15 = EWMA.fifteenMinuteEWMA();
    private volatile LongSupplier count = () -> 0;

    private TickedRates(Clock clock) {
        this.clock = clock;
        this.lastTick = new AtomicLong(clock.getTick());
    }

    /** @return a Dropwizard timer with these rates and the given reservoir's histogram */
    static Timer timer(com.codahale.metrics.Reservoir reservoir, Clock clock) {
        return new Timer(meter(clock), new com.codahale.metrics.Histogram(reservoir), clock);
    }

    /** @return a Dropwizard meter with these rates */
    static Meter meter(Clock clock) {
        TickedRates rates = new TickedRates(clock);
        Meter m = new Meter(rates, clock);
        rates.count = m::getCount;
        return m;
    }

    @Override
    public void tickIfNecessary() {
        long oldTick = lastTick.get();
        long newTick = clock.getTick();
        long age = newTick - oldTick;
        if (age > TICK_INTERVAL) {
            long newIntervalStartTick = newTick - age % TICK_INTERVAL;
            if (lastTick.compareAndSet(oldTick, newIntervalStartTick)) {
                long now = count.getAsLong();
                long events = now - lastCount.getAndSet(now);
                m1.update(events);
                m5.update(events);
                m15.update(events);
                for (long i = age / TICK_INTERVAL; i > 0; i--) {
                    m1.tick();
                    m5.tick();
                    m15.tick();
                }
            }
        }
    }

    @Override
    public void update(long n) {
        // counted by the meter itself: the next tick reads the change of its count
    }

    @Override
    public double getM1Rate() {
        return m1.getRate(TimeUnit.SECONDS);
    }

    @Override
    public double getM5Rate() {
        return m5.getRate(TimeUnit.SECONDS);
    }

    @Override
    public double getM15Rate() {
        return m15.getRate(TimeUnit.SECONDS);
    }
}
