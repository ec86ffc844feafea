/**
 * MicroProfile Health for the pools of the vaultx-pool CDI integration: one {@code @Readiness} check per
 * pool ({@link dev.vaultx.pool.mphealth.PoolReadinessCheck}), added by the portable extension
 * {@link dev.vaultx.pool.mphealth.ReadinessExtension} only where the MicroProfile Health API is present,
 * so the jar is harmless in a server without it.
 */
package dev.vaultx.pool.mphealth;
