/**
 * Not an API: helpers that both the configuration checks of {@code vaultx-pool-api} and the transport of
 * {@code vaultx-pool-impl} need, so they live once, here (api depends on nothing of ours, impl on api). Today
 * that is the PEM reader, {@link dev.vaultx.pool.internal.Pem}. Anything here may change in any release.
 *
 * <p>In OSGi the package is exported with the mandatory attribute {@code vaultx.internal=true}: only a bundle
 * that asks for it by that attribute (the pool's own bundle does) is wired to it, so nobody depends on it by
 * accident. On the class path and the module path (automatic module {@code dev.vaultx.pool.api}) it is
 * visible like any package; do not use it.
 */
package dev.vaultx.pool.internal;
