package dev.vaultx.pool.itest.ee;

import java.lang.management.ManagementFactory;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/** What the container's JVM holds of one pool: its MBeans and its threads. */
record ServerState(int mbeans, int poolThreads) {

    /** @return the state in this JVM (the container's when called inside it, or in Weld embedded) */
    static ServerState of(String pool) {
        try {
            ObjectName pattern = new ObjectName("dev.vaultx:type=ConnectionPool,name=" + ObjectName.quote(pool) + ",*");
            int mbeans = ManagementFactory.getPlatformMBeanServer().queryNames(pattern, null).size();
            String prefix = "vaultx-pool-" + pool + "-";
            int threads = (int) Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
            return new ServerState(mbeans, threads);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** @return {@code mbeans=4 poolThreads=1} */
    String format() {
        return "mbeans=" + mbeans + " poolThreads=" + poolThreads;
    }

    static ServerState parse(String text) {
        String[] parts = text.trim().split("[ =]");
        return new ServerState(Integer.parseInt(parts[1]), Integer.parseInt(parts[3]));
    }
}
