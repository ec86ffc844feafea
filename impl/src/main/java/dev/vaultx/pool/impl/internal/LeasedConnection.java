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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link PooledConnection}: one leased connection, one exchange at a time, no retries. A failed
 * exchange breaks the connection; it is closed on return. Each exchange is a try of the node's breaker:
 * the first uses the permit the lease was admitted with, each later one takes its own, and one the breaker
 * refuses (open, or half-open with its trials taken) fails at once with {@code NoAvailableNodeException}.
 * A lease returned without an exchange gives its permit back unused.
 *
 * <p>This class is thread-safe.
 */
public final class LeasedConnection implements PooledConnection {

    private final PoolRuntime rt;
    private final ConnectionLease lease;
    /** The permit the lease was admitted with, until the first exchange (or the return) takes it. */
    private final AtomicReference<BreakerPermit> leasePermit;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile boolean broken;
    /** Set once the caller returns the lease: an exchange failing after that failed because of the return. */
    private volatile boolean returning;

    LeasedConnection(PoolRuntime rt, ConnectionLease lease, BreakerPermit permit) {
        this.rt = rt;
        this.lease = lease;
        this.leasePermit = new AtomicReference<>(permit);
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
        BreakerPermit lent = leasePermit.getAndSet(null);
        BreakerPermit permit = lent != null ? node.renew(lent) : node.admit();
        if (permit == null) {
            busy.set(false);
            return CompletableFuture.failedFuture(rt.noNode(request.isRead(), null));
        }
        CompletableFuture<VaultResponse> result = new CompletableFuture<>();
        node.inFlight.incrementAndGet();
        node.tries.increment();
        // the first of response, failure, cancellation and the exchange's deadline settles it; the others are ignored
        AtomicReference<Future<VaultResponse>> exchange = new AtomicReference<>();
        SweptDeadline settled = watch(request, node, permit, exchange, result);
        exchange.set(rt.transport.send(lease.endpoint, node, request, request.path(), new FutureCallback<>() {
            @Override
            public void completed(VaultResponse response) {
                if (!settled.settle()) {
                    return;
                }
                node.inFlight.decrementAndGet();
                boolean failure = Outcome.of(response).countsAgainstNode();
                node.record(permit, failure ? NodeBreaker.FAILURE : NodeBreaker.SUCCESS, failure);
                busy.set(false);
                result.complete(response);
            }

            @Override
            public void failed(Exception ex) {
                if (!settled.settle()) {
                    return;
                }
                node.inFlight.decrementAndGet();
                broken = true;
                FailureKind kind = Failures.kindOf(ex, false);
                // a response too large is the node's answer (its body is over this pool's limit): a success. A request
                // refused before sending, a TLS setup failure, or a lease returned in the middle of its exchange
                // (which closes the connection) say nothing of the node
                int outcome = kind == FailureKind.RESPONSE_TOO_LARGE ? NodeBreaker.SUCCESS
                        : kind == FailureKind.TLS || kind == FailureKind.REQUEST_INVALID || returning ? NodeBreaker.NEUTRAL
                        : NodeBreaker.FAILURE;
                node.record(permit, outcome, kind != FailureKind.REQUEST_INVALID);
                busy.set(false);
                result.completeExceptionally(new VaultTransportException(rt.name, node.uri, kind,
                        kind + " on " + node.uri + " (" + Failures.describe(ex) + ")", Failures.cause(ex)));
            }

            @Override
            public void cancelled() {
                if (!settled.settle()) {
                    return;
                }
                node.inFlight.decrementAndGet();
                permit.neutral();
                broken = true;
                busy.set(false);
                result.completeExceptionally(new PoolClosedException(rt.name));
            }
        }));
        return result;
    }

    /**
     * Ends an exchange that has no response after {@code attemptTimeout}, or the request's own timeout if that
     * is shorter, with a {@code RESPONSE_TIMEOUT}: the deadline is listed for the pool's {@link TimeoutSweeper}
     * (which expires it up to one tick late). The connection's socket timeout alone does not: a server that
     * sends a byte now and then (a header trickle) resets it forever. The connection is broken afterwards.
     */
    private SweptDeadline watch(VaultRequest request, NodeState node, BreakerPermit permit,
                                   AtomicReference<Future<VaultResponse>> exchange,
                                   CompletableFuture<VaultResponse> result) {
        long nanos = Math.min(Durations.nanos(rt.config.attemptTimeout()),
                request.timeout().map(Durations::nanos).orElse(Long.MAX_VALUE));
        long now = rt.ticker.nanoTime();
        long deadline = nanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos;
        SweptDeadline d = new SweptDeadline(rt.executions, deadline, () -> {
            node.inFlight.decrementAndGet();
            node.record(permit, NodeBreaker.FAILURE, true);
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
        });
        rt.executions.add(d);
        if (!rt.timeouts.ensureRunning()) {
            rt.executions.remove(d); // the pool is closing: the connection's socket timeout still applies
        }
        return d;
    }

    @Override
    public VaultResponse execute(VaultRequest request) {
        return Blocking.await(rt.name, executeAsync(request));
    }

    @Override
    public void close() {
        returning = true;
        BreakerPermit unused = leasePermit.getAndSet(null);
        if (unused != null) {
            unused.neutral(); // returned without an exchange: the lease said nothing of the node
        }
        lease.release(!broken && !busy.get());
    }

    @Override
    public String toString() {
        return "PooledConnection{pool=" + rt.name + ", node=" + node() + (lease.isReleased() ? ", returned" : "") + "}";
    }
}
