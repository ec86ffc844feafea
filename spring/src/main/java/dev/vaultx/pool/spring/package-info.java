/**
 * Spring integration of vaultx-pool: {@link dev.vaultx.pool.spring.VaultPoolRequestFactory}, a Spring
 * {@code ClientHttpRequestFactory} that sends every request of Spring Vault's {@code VaultTemplate} (or of
 * any {@code RestTemplate}/{@code RestClient} pointed at Vault) through a {@link dev.vaultx.pool.ConnectionPool},
 * so it gets the pool's role-aware routing, retries, circuit breakers and failover.
 *
 * <p>Needs Spring Framework 7 ({@code spring-web}); Spring Vault 4 is what it is tested with.
 */
package dev.vaultx.pool.spring;
