/** Test support of the impl module: a fake ticker that tests move by hand. */
package dev.vaultx.pool.impl.testing;
