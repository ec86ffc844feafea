/**
 * The pool's metrics tracker: a small interface the request path calls, with no-op defaults, and
 * its Dropwizard implementation. Not an API.
 */
package dev.vaultx.pool.impl.internal.metrics;
