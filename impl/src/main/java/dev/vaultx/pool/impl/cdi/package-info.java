/**
 * The CDI integration: {@link dev.vaultx.pool.impl.cdi.VaultPoolExtension} defines an
 * application-scoped {@link dev.vaultx.pool.ConnectionPool} bean per injected pool name, configured
 * through MicroProfile Config or system properties and environment variables. Needs the CDI API at
 * run time only where it is used; the rest of the module runs without it.
 */
package dev.vaultx.pool.impl.cdi;
