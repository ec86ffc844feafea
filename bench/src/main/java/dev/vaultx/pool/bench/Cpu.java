package dev.vaultx.pool.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** Process CPU time and bytes allocated by all live threads, for per-request costs. */
final class Cpu {

    private Cpu() {
    }

    /** @return CPU time of the whole JVM process (all threads, user + system), nanoseconds */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** @return bytes allocated so far by the threads alive now (threads that died are not counted) */
    static long allocatedBytes() {
        ThreadMXBean t = ManagementFactory.getThreadMXBean();
        if (!(t instanceof com.sun.management.ThreadMXBean)) {
            return -1;
        }
        com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean) t;
        long sum = 0;
        for (long b : sun.getThreadAllocatedBytes(t.getAllThreadIds())) {
            if (b > 0) {
                sum += b;
            }
        }
        return sum;
    }

    /** @return collections and collection time so far, summed over all collectors: {count, millis} */
    static long[] gc() {
        long n = 0;
        long ms = 0;
        for (var g : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, g.getCollectionCount());
            ms += Math.max(0, g.getCollectionTime());
        }
        return new long[] {n, ms};
    }
}
