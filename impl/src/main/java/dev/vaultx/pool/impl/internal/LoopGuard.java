package dev.vaultx.pool.impl.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a loop that must never stop (health probing, idle maintenance, a metrics tracker's calls) alive through any {@link Throwable},
 * {@link Error}s included: the loop catches, hands the failure here, and goes on at its next turn. Each distinct
 * cause (its class and where it was thrown) is logged once at ERROR, with its stack trace; the same cause again
 * is logged at DEBUG only, so a piece that fails on every tick does not flood the log. At most
 * {@value #MAX_CAUSES} distinct causes are remembered; beyond that, new ones are logged at DEBUG too.
 *
 * <p>This class is thread-safe.
 */
public final class LoopGuard {

    static final int MAX_CAUSES = 32;
    private static final Logger LOG = LoggerFactory.getLogger(LoopGuard.class);

    private final String pool;
    private final String loop;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    /**
     * @param pool the pool's name, for the log
     * @param loop what the loop does, e.g. {@code "health probing"}
     */
    public LoopGuard(String pool, String loop) {
        this.pool = pool;
        this.loop = loop;
    }

    /**
     * Logs a failure of one turn of the loop: at ERROR the first time for its cause, at DEBUG afterwards.
     *
     * @return whether it was logged at ERROR
     */
    public boolean failed(Throwable t) {
        String cause = causeOf(t);
        if (seen.size() < MAX_CAUSES && seen.add(cause)) {
            LOG.error("{} - {} failed; it goes on (further failures of this cause are logged at DEBUG only)", pool, loop, t);
            return true;
        }
        LOG.debug("{} - {} failed again: {}", pool, loop, cause, t);
        return false;
    }

    private static String causeOf(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        return t.getClass().getName() + (trace.length > 0 ? " at " + trace[0] : "");
    }
}
