/**
 * A simulated HashiCorp Vault (or OpenBao) cluster on WireMock, for tests, benchmarks and demos.
 *
 * <p>Start with {@link dev.vaultx.pool.testkit.SimulatedVaultCluster#start(int)}: every node listens on
 * its own 127.0.0.1 port, answers {@code /v1/sys/health} exactly like Vault (status table, override
 * parameters, JSON body), forwards or redirects API requests from standbys, serves KV v2 data under
 * {@code /v1/secret/} shared by the whole cluster, and takes injected faults
 * ({@link dev.vaultx.pool.testkit.SimulatedVaultNode#stop()},
 * {@link dev.vaultx.pool.testkit.SimulatedVaultNode#blackhole()},
 * {@link dev.vaultx.pool.testkit.SimulatedVaultNode#failWith(int, int)}, ...).
 *
 * <pre>{@code
 * try (SimulatedVaultCluster cluster = SimulatedVaultCluster.start(3)) {
 *     cluster.put("app/db", Map.of("password", "s3cr3t"));
 *     List<URI> urls = cluster.urls();          // give these to the pool
 *     cluster.node(0).stop();                   // the active node dies
 *     cluster.electLeader(1);                   // node 1 takes over
 * }
 * }</pre>
 */
package dev.vaultx.pool.testkit;
