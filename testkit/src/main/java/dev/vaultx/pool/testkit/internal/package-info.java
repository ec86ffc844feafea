/**
 * Internals of the simulated Vault cluster: per-node state, fault plans, the Vault request
 * semantics (health, standby forwarding, KV v2) and the WireMock glue. Not API: these types may
 * change at any time and are not exported from the OSGi bundle.
 */
package dev.vaultx.pool.testkit.internal;
