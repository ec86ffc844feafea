package dev.vaultx.pool.impl.internal;

/**
 * A small set of nodes as a bit mask over their index (a pool has at most 64 nodes). Not
 * thread-safe; owned by one request.
 */
final class NodeSet {

    private long bits;

    void add(NodeState n) {
        bits |= 1L << n.index;
    }

    boolean contains(NodeState n) {
        return (bits & (1L << n.index)) != 0;
    }

    boolean isEmpty() {
        return bits == 0;
    }
}
