package dev.vaultx.pool.impl;

/** Test teardown: closes what a test started. Stateless. */
public final class Closing {

    private Closing() {
    }

    /**
     * Closes what a test started, in the order given, skipping {@code null}s (what the test never got to
     * start); a failure is thrown after everything was closed.
     *
     * @throws IllegalStateException if closing any of them failed (the others' failures suppressed in it)
     */
    public static void closeAll(AutoCloseable... started) {
        RuntimeException failure = null;
        for (AutoCloseable c : started) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing " + c.getClass().getSimpleName() + " failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
