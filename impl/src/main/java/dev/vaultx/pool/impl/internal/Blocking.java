package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.VaultPoolException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Blocking waits on the pool's futures, rethrowing the pool's own exceptions unwrapped. */
public final class Blocking {

    private Blocking() {
    }

    /**
     * Waits for a future of the pool. The future always completes within its request's deadline, so
     * no timeout is needed here.
     *
     * @throws VaultPoolException the failure the future completed with
     */
    public static <T> T await(String pool, CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(false);
            throw new VaultPoolException(pool, "interrupted while waiting for a response", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new VaultPoolException(pool, "request failed", cause);
        }
    }
}
