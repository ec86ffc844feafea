package dev.vaultx.pool.cli;

import dev.vaultx.pool.PoolConfigBuilder;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * Pool sizing options of the commands that start a pool on real nodes. Unset options keep the pool's defaults. The
 * connection options (TLS, namespace) are {@link VaultOptions}.
 */
final class PoolOptions {

    @Option(names = "--size", paramLabel = "N", description = "Connections kept per node (pool default: 10).")
    Integer size;

    @Option(names = "--max-overflow", paramLabel = "N",
            description = "Extra connections per node when all are busy (pool default: 5).")
    Integer maxOverflow;

    @Option(names = "--request-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Overall deadline of one request, retries included, e.g. 10s (pool default: 60s).")
    Duration requestTimeout;

    /** Applies the options that were given. */
    PoolConfigBuilder apply(PoolConfigBuilder b) {
        if (size != null) {
            b.size(size);
        }
        if (maxOverflow != null) {
            b.maxOverflow(maxOverflow);
        }
        if (requestTimeout != null) {
            b.requestTimeout(requestTimeout);
        }
        return b;
    }
}
