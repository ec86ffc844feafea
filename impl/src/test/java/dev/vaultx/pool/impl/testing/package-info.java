/** Test support of the impl module: a fake ticker that tests move by hand, and the check that goes with it. */
package dev.vaultx.pool.impl.testing;
