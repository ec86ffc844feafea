/**
 * TLS for the simulated Vault cluster: {@link dev.vaultx.pool.testkit.tls.TestPki} makes a throw-away
 * certificate authority with server and client certificates (PEM, PKCS#12 and JKS files in a directory),
 * and {@link dev.vaultx.pool.testkit.tls.HttpsOptions} tells
 * {@link dev.vaultx.pool.testkit.SimulatedVaultCluster.Builder#https(HttpsOptions)} how nodes serve HTTPS
 * (server certificate, client-certificate authentication, HTTP/2 by ALPN).
 *
 * <pre>{@code
 * TestPki pki = TestPki.shared();
 * try (SimulatedVaultCluster cluster = SimulatedVaultCluster.builder().nodes(3).https(pki).start()) {
 *     PoolConfig config = PoolConfig.builder().nodeUris(cluster.urls())
 *             .tlsCaFile(pki.caCertificatePem()).build();
 * }
 * }</pre>
 */
package dev.vaultx.pool.testkit.tls;
