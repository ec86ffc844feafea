/**
 * TLS of a pool: the JDK {@link javax.net.ssl.SSLContext} built once from the pool's TLS keys (CA bundle
 * or truststore, client certificate and key or keystore), and the HttpClient 5 TLS strategy and
 * {@code TlsConfig} (TLS 1.3 and 1.2 only, host name verification, HTTP version by ALPN) that both of the
 * pool's transports (requests and health probes) use. PEM is read with the JDK alone. Not an API:
 * anything here may change in any release.
 */
package dev.vaultx.pool.impl.internal.tls;
