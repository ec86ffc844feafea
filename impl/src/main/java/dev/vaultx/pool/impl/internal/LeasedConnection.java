package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.FailureKind;
import dev.vaultx.pool.PoolClosedException;
import dev.vaultx.pool.PooledConnection;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.VaultTransportException;
import org.apache.hc.core5.concurrent.FutureCallback;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

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
        rt.transport.send(lease.endpoint, node, request, request.path(), new FutureCallback<>() {
            @Override
            public void completed(VaultResponse response) {
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
                node.inFlight.decrementAndGet();
                node.failedTries.increment();
                broken = true;
                FailureKind kind = Failures.kindOf(ex, false);
                if (kind != FailureKind.TLS) {
                    node.breaker.recordFailure();
                }
                busy.set(false);
                result.completeExceptionally(new VaultTransportException(rt.name, node.uri, kind,
                        kind + " on " + node.uri + " (" + Failures.describe(ex) + ")", Failures.unwrap(ex)));
            }

            @Override
            public void cancelled() {
                node.inFlight.decrementAndGet();
                broken = true;
                busy.set(false);
                result.completeExceptionally(new PoolClosedException(rt.name));
            }
        });
        return result;
    }

    @Override
    public VaultResponse execute(VaultRequest request) {
        return Blocking.await(rt.name, executeAsync(request));
    }

    @Override
    public void close() {
        lease.release(!broken && !busy.get());
    }

    @Override
    public String toString() {
        return "PooledConnection{pool=" + rt.name + ", node=" + node() + (lease.isReleased() ? ", returned" : "") + "}";
    }
}
