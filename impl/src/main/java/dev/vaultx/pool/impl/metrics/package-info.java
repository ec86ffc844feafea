/**
 * The names of the Dropwizard metrics a pool registers when it is given a
 * {@code MetricRegistry}; see {@link dev.vaultx.pool.impl.metrics.MetricNames}.
 */
package dev.vaultx.pool.impl.metrics;
