package dev.vaultx.pool.jmx.internal;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.PoolControl.DrainResult;
import dev.vaultx.pool.PoolHealth;
import dev.vaultx.pool.jmx.PoolMBeans;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Waits for the futures of {@link dev.vaultx.pool.PoolControl} on behalf of a JMX caller (who can only
 * block) and sums the outcome up in one line a JConsole user can read.
 *
 * <p>This class is thread-safe (stateless).
 */
final class Summaries {

    /** The longest drain a JMX call may wait for: an RMI call has no timeout of its own. */
    static final long MAX_TIMEOUT_MILLIS = 3_600_000L;

    /** How long {@code checkHealthNow} waits for the probes. */
    static final long HEALTH_WAIT_MILLIS = 10_000L;

    /** Added to a drain's timeout before we stop waiting for the pool to complete the future itself. */
    private static final long GRACE_MILLIS = 5_000L;

    private Summaries() {
    }

    static String await(String node, CompletableFuture<DrainResult> drain, long timeoutMillis) {
        try {
            return summary(drain.get(timeoutMillis + GRACE_MILLIS, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return node + ": drain still running after " + (timeoutMillis + GRACE_MILLIS) + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return node + ": interrupted while waiting for the drain (it continues)";
        } catch (ExecutionException e) {
            throw new IllegalStateException(node + ": drain failed: " + e.getCause(), e.getCause());
        }
    }

    static String awaitAll(CompletableFuture<List<DrainResult>> drains, long timeoutMillis) {
        try {
            List<String> lines = new ArrayList<>();
            for (DrainResult r : drains.get(timeoutMillis + GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                lines.add(summary(r));
            }
            return String.join("; ", lines);
        } catch (TimeoutException e) {
            return "drain of all nodes still running after " + (timeoutMillis + GRACE_MILLIS) + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while waiting for the drain of all nodes (it continues)";
        } catch (ExecutionException e) {
            throw new IllegalStateException("drain of all nodes failed: " + e.getCause(), e.getCause());
        }
    }

    static String summary(DrainResult r) {
        String node = PoolMBeans.hostPort(r.node());
        long millis = r.waited().toMillis();
        if (r.completed()) {
            return "drained " + node + " in " + millis + " ms";
        }
        return node + ": " + r.stillBusy() + (r.stillBusy() == 1 ? " connection" : " connections") + " still busy after "
                + millis + " ms";
    }

    /** @param lastKnown the health to report when the probes do not answer in time */
    static String awaitHealth(CompletableFuture<PoolHealth> probes, Supplier<PoolHealth> lastKnown) {
        try {
            return describe(probes.get(HEALTH_WAIT_MILLIS, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return describe(lastKnown.get()) + " (probes still running after " + HEALTH_WAIT_MILLIS + " ms)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return describe(lastKnown.get()) + " (interrupted while probing)";
        } catch (ExecutionException e) {
            return describe(lastKnown.get()) + " (probing failed: " + e.getCause() + ")";
        }
    }

    /** E.g. {@code UP (active: 127.0.0.1:8200)} or {@code DEGRADED (active: none; not serving: 127.0.0.1:8201 SEALED)}. */
    static String describe(PoolHealth h) {
        StringBuilder sb = new StringBuilder(h.status().name()).append(" (active: ")
                .append(h.activeNode() == null ? "none" : PoolMBeans.hostPort(h.activeNode()));
        List<String> down = new ArrayList<>();
        for (NodeHealth n : h.nodes()) {
            if (!n.usable()) {
                down.add(PoolMBeans.hostPort(n.node()) + " " + n.role()
                        + (n.circuitState() != CircuitState.CLOSED ? ", breaker " + n.circuitState() : "")
                        + (n.draining() ? ", draining" : ""));
            }
        }
        if (!down.isEmpty()) {
            sb.append("; not serving: ").append(String.join("; ", down));
        }
        return sb.append(')').toString();
    }
}
