package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.impl.AsyncHttpConnectionPool;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Reads internals of a running pool for the benchmark reports (same package name as the pool's
 * internals, on the classpath). Not used on any measured path.
 */
public final class PoolInternals {

    private PoolInternals() {
    }

    /** @return tasks queued in the pool's timer (deadlines, attempt timeouts, lease expiries, probes), or -1 */
    public static int timerQueueSize(AsyncHttpConnectionPool pool) {
        try {
            java.lang.reflect.Field f = AsyncHttpConnectionPool.class.getDeclaredField("core");
            f.setAccessible(true);
            PoolCore core = (PoolCore) f.get(pool);
            return core.runtime().scheduler instanceof ScheduledThreadPoolExecutor
                    ? ((ScheduledThreadPoolExecutor) core.runtime().scheduler).getQueue().size() : -1;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }
}
