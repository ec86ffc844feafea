package dev.vaultx.pool.cli;

import dev.vaultx.pool.NoAvailableNodeException;
import dev.vaultx.pool.PoolClosedException;
import dev.vaultx.pool.PoolExhaustedException;
import dev.vaultx.pool.RequestTimeoutException;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.VaultTransportException;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the outcomes of requests driven through a pool: successes, failures by kind, answers per
 * node, latencies. This class is thread-safe.
 */
final class Outcomes {

    private final LongAdder succeeded = new LongAdder();
    private final Map<String, LongAdder> failuresByKind = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> perNode = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> statusCodes = new ConcurrentHashMap<>();
    private final LatencyRecorder latencies = new LatencyRecorder();
    private final List<String> configured = new ArrayList<>();

    /** Lists the configured nodes so that each appears in {@link #perNode()}, with 0 if it served nothing. */
    Outcomes(Iterable<URI> nodes) {
        for (URI n : nodes) {
            perNode.put(n.toString(), new LongAdder());
            configured.add(n.toString());
        }
    }

    /**
     * Records one finished request.
     *
     * @param response the response, or {@code null} when the request failed with {@code error}
     * @param error the failure, or {@code null}
     * @param nanos how long the request took
     * @return {@code true} if it counts as a success (a 2xx response)
     */
    boolean record(VaultResponse response, Throwable error, long nanos) {
        latencies.record(nanos);
        if (error == null && response != null) {
            statusCodes.computeIfAbsent(response.status(), k -> new LongAdder()).increment();
            if (response.node() != null) {
                perNode.computeIfAbsent(response.node().toString(), k -> new LongAdder()).increment();
            }
            if (response.isSuccess()) {
                succeeded.increment();
                return true;
            }
            failuresByKind.computeIfAbsent("HTTP_" + response.status(), k -> new LongAdder()).increment();
            return false;
        }
        failuresByKind.computeIfAbsent(kind(error), k -> new LongAdder()).increment();
        return false;
    }

    /** @return the failure kind of a request that got no response: a {@code FailureKind} or the pool's exception */
    static String kind(Throwable error) {
        Throwable t = unwrap(error);
        if (t instanceof VaultTransportException v) {
            return v.kind() == null ? "TRANSPORT" : v.kind().name();
        }
        if (t instanceof RequestTimeoutException) {
            return "REQUEST_TIMEOUT";
        }
        if (t instanceof PoolExhaustedException) {
            return "POOL_EXHAUSTED";
        }
        if (t instanceof NoAvailableNodeException) {
            return "NO_AVAILABLE_NODE";
        }
        if (t instanceof PoolClosedException) {
            return "POOL_CLOSED";
        }
        return t == null ? "UNKNOWN" : t.getClass().getSimpleName();
    }

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    long succeeded() {
        return succeeded.sum();
    }

    long failed() {
        return failuresByKind.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long requests() {
        return succeeded() + failed();
    }

    /** @return failures by kind, sorted by kind */
    Map<String, Long> failuresByKind() {
        Map<String, Long> m = new TreeMap<>();
        failuresByKind.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** @return responses by status code, sorted */
    Map<Integer, Long> statusCodes() {
        Map<Integer, Long> m = new TreeMap<>();
        statusCodes.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** @return responses per node URL, in configuration order first */
    Map<String, Long> perNode() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String n : configured) {
            m.put(n, perNode.get(n).sum());
        }
        new TreeMap<>(perNode).forEach((k, v) -> m.putIfAbsent(k, v.sum()));
        return m;
    }

    LatencyRecorder latencies() {
        return latencies;
    }
}
