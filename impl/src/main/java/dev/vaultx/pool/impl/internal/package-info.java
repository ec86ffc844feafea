/**
 * Internals of the HttpAsyncClient 5 pool: the transport, per-node state and breakers, the
 * balancer, the request flow with retries, health probing and maintenance. Not an API: anything
 * here may change in any release.
 */
package dev.vaultx.pool.impl.internal;
