/** Test support of the jmx module: a simulated cluster plus a loopback RMI connector and a connected client. */
package dev.vaultx.pool.jmx.testing;
