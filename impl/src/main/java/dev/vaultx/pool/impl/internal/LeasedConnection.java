package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.FailureKind;
import dev.vaultx.pool.PoolClosedException;
import dev.vaultx.pool.PooledConnection;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.VaultTransportException;
import org.apache.hc.core5.concurrent.FutureCallback;

import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link PooledConnection}: one leased connection, one exchange at a time, no retries. A failed
 * exchange breaks the connection; it is closed on return.
 *
 * <p>This class is thread-safe.
 */
public final class LeasedConnection implements PooledConnection {

    private final PoolRuntime rt;
    private final ConnectionLease lease;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile boolean broken;
    /** Set once the caller returns the lease: an exchange failing after that failed because of the return. */
    private volatile boolean returning;

    LeasedConnection(PoolRuntime rt, ConnectionLease lease) {
        this.rt = rt;
        this.lease = lease;
    }

    @Override
    public URI node() {
        return lease.node.uri;
    }

    @Override
    public boolean isOpen() {
        return !lease.isReleased() && !broken && !rt.isClosed() && lease.endpoint.isConnected();
    }

    @Override
    public CompletableFuture<VaultResponse> executeAsync(VaultRequest request) {
        if (lease.isReleased()) {
            throw new IllegalStateException(rt.name + " - connection to " + node() + " was already returned");
        }
        if (rt.isClosed()) {
            return CompletableFuture.failedFuture(new PoolClosedException(rt.name));
        }
        if (broken || !lease.endpoint.isConnected()) {
            return CompletableFuture.failedFuture(new VaultTransportException(rt.name, node(), FailureKind.CONNECTION_RESET,
                    "connection to " + node() + " is closed; return it and lease another", null));
        }
        if (!busy.compareAndSet(false, true)) {
            throw new IllegalStateException(rt.name + " - connection to " + node() + " is busy with another exchange");
        }
        NodeState node = lease.node;
        CompletableFuture<VaultResponse> result = new CompletableFuture<>();
        node.inFlight.incrementAndGet();
        node.tries.increment();
        // the first of response, failure, cancellation and the exchange's own timer settles it; the others are ignored
        AtomicBoolean settled = new AtomicBoolean();
        AtomicReference<Future<VaultResponse>> exchange = new AtomicReference<>();
        ScheduledFuture<?> timer = scheduleTimeout(request, node, settled, exchange, result);
        exchange.set(rt.transport.send(lease.endpoint, node, request, request.path(), new FutureCallback<>() {
            @Override
            public void completed(VaultResponse response) {
                if (!settle(settled, timer)) {
                    return;
                }
                node.inFlight.decrementAndGet();
                if (Outcome.of(response).countsAgainstNode()) {
                    node.failedTries.increment();
                    node.breaker.recordFailure();
                } else {
                    node.breaker.recordSuccess();
                }
                busy.set(false);
                result.complete(response);
            }

            @Override
            public void failed(Exception ex) {
                if (!settle(settled, timer)) {
                    return;
                }
                node.inFlight.decrementAndGet();
                broken = true;
                FailureKind kind = Failures.kindOf(ex, false);
                if (kind == FailureKind.REQUEST_INVALID) {
                    node.breaker.recordNeutral(); // the request's fault, not the node's
                } else {
                    node.failedTries.increment();
                }
                if (kind == FailureKind.RESPONSE_TOO_LARGE) {
                    node.breaker.recordSuccess(); // the node answered; the body is over this pool's limit
                } else if (kind != FailureKind.TLS && kind != FailureKind.REQUEST_INVALID && !returning) {
                    // (a lease returned in the middle of its exchange closes the connection: not the node's fault)
                    node.breaker.recordFailure();
                }
                busy.set(false);
                result.completeExceptionally(new VaultTransportException(rt.name, node.uri, kind,
                        kind + " on " + node.uri + " (" + Failures.describe(ex) + ")", Failures.cause(ex)));
            }

            @Override
            public void cancelled() {
                if (!settle(settled, timer)) {
                    return;
                }
                node.inFlight.decrementAndGet();
                broken = true;
                busy.set(false);
                result.completeExceptionally(new PoolClosedException(rt.name));
            }
        }));
        return result;
    }

    private static boolean settle(AtomicBoolean settled, ScheduledFuture<?> timer) {
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        return true;
    }

    /**
     * Ends an exchange that has no response after {@code attemptTimeout}, or the request's own timeout if that
     * is shorter. The connection's socket timeout alone does not: a server that sends a byte now and then (a
     * header trickle) resets it forever. The connection is broken afterwards.
     */
    private ScheduledFuture<?> scheduleTimeout(VaultRequest request, NodeState node, AtomicBoolean settled,
                                               AtomicReference<Future<VaultResponse>> exchange,
                                               CompletableFuture<VaultResponse> result) {
        long nanos = Math.min(Durations.nanos(rt.config.attemptTimeout()),
                request.timeout().map(Durations::nanos).orElse(Long.MAX_VALUE));
        try {
            return rt.later(() -> {
                if (!settled.compareAndSet(false, true)) {
                    return;
                }
                node.inFlight.decrementAndGet();
                node.failedTries.increment();
                node.breaker.recordFailure();
                broken = true;
                Future<VaultResponse> f = exchange.get();
                if (f != null) {
                    f.cancel(true);
                }
                busy.set(false);
                long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
                result.completeExceptionally(new VaultTransportException(rt.name, node.uri, FailureKind.RESPONSE_TIMEOUT,
                        FailureKind.RESPONSE_TIMEOUT + " on " + node.uri + " (no response within " + ms + "ms)",
                        new SocketTimeoutException("no response within " + ms + "ms")));
            }, nanos);
        } catch (RejectedExecutionException closing) {
            return null; // the pool is closing: the connection's socket timeout still applies
        }
    }

    @Override
    public VaultResponse execute(VaultRequest request) {
        return Blocking.await(rt.name, executeAsync(request));
    }

    @Override
    public void close() {
        returning = true;
        lease.release(!broken && !busy.get());
    }

    @Override
    public String toString() {
        return "PooledConnection{pool=" + rt.name + ", node=" + node() + (lease.isReleased() ? ", returned" : "") + "}";
    }
}
