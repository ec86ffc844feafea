package dev.vaultx.pool.impl.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The replication states ({@code X-Vault-Index} values) the pool has seen, for read-your-writes, merged exactly as
 * Vault's Go client merges them: {@code hashicorp/vault} {@code api/client.go}, functions
 * {@code MergeReplicationStates}, {@code compareReplicationStates} and {@code ParseReplicationState}, and the
 * client's {@code replicationStateStore} ({@code recordState} on every response with a non-empty
 * {@code X-Vault-Index}; {@code requireState} adds each state as its own {@code X-Vault-Index} header line).
 *
 * <p>A state is the standard base64 of {@code v1:<clusterId>:<localIndex>:<replicatedIndex>:<hmac hex>}. Merging a
 * new state into the kept ones (at most two kept; more, or none, and the new one alone is kept):
 * <ul>
 *   <li>a kept state that is newer or equal in both indexes stays and makes the new one redundant;</li>
 *   <li>a kept state older or equal in both is replaced by the new one;</li>
 *   <li>neither (one index higher, the other lower): both are kept;</li>
 *   <li>a state that does not parse, or one of another cluster: the new state alone is kept (so an unparseable value
 *       from a server replaces what was kept, as in the Go client).</li>
 * </ul>
 * The result is trimmed, deduplicated and sorted (Go's {@code strutil.RemoveDuplicates}). So two writes answered out
 * of order never move the kept state backwards.
 *
 * <p>The states are one immutable list behind an {@link AtomicReference}: merging is a pure function, retried on a
 * lost race, so no lock is needed (the Go client holds a mutex for the same step).
 *
 * <p>This class is thread-safe.
 */
final class ReplicationStates {

    /** The response and request header that carries a replication state. */
    static final String HEADER = "X-Vault-Index";

    private final AtomicReference<List<String>> states = new AtomicReference<>(List.of());

    /**
     * Merges a state a server returned into the kept ones.
     *
     * @param state the {@code X-Vault-Index} response header value; {@code null} or empty is ignored
     */
    void record(String state) {
        if (state == null || state.isEmpty()) {
            return;
        }
        states.updateAndGet(old -> merge(old, state));
    }

    /** @return the kept states (immutable, at most a few), each to be sent as its own header line; empty for none */
    List<String> current() {
        return states.get();
    }

    /**
     * Go's {@code MergeReplicationStates(old, new)}.
     *
     * @param old the kept states
     * @param next the new state
     * @return the states to keep (immutable)
     */
    static List<String> merge(List<String> old, String next) {
        if (old.isEmpty() || old.size() > 2) {
            return List.of(next);
        }
        List<String> merged = new ArrayList<>(old.size() * 2);
        for (String o : old) {
            int c = compare(o, next);
            if (c == INCOMPARABLE) {
                return List.of(next);
            }
            if (c > 0) {
                merged.add(o);
            } else if (c < 0) {
                merged.add(next);
            } else {
                merged.add(o);
                merged.add(next);
            }
        }
        TreeSet<String> distinct = new TreeSet<>(); // strutil.RemoveDuplicates: trimmed, no empty ones, sorted
        for (String s : merged) {
            String t = s.trim();
            if (!t.isEmpty()) {
                distinct.add(t);
            }
        }
        return List.copyOf(distinct);
    }

    /** What {@link #compare} returns where Go's {@code compareReplicationStates} returns an error. */
    static final int INCOMPARABLE = Integer.MIN_VALUE;

    /**
     * Go's {@code compareReplicationStates(s1, s2)}.
     *
     * @return 1 if {@code s1} is newer or equal in both indexes, -1 if older or equal in both, 0 if neither;
     *         {@link #INCOMPARABLE} if either does not parse or they are of different clusters
     */
    static int compare(String s1, String s2) {
        WalState w1 = parse(s1);
        WalState w2 = parse(s2);
        if (w1 == null || w2 == null || !w1.clusterId.equals(w2.clusterId)) {
            return INCOMPARABLE;
        }
        int local = Long.compareUnsigned(w1.localIndex, w2.localIndex);
        int replicated = Long.compareUnsigned(w1.replicatedIndex, w2.replicatedIndex);
        if (local >= 0 && replicated >= 0) {
            return 1;
        }
        if (local <= 0 && replicated <= 0) {
            return -1;
        }
        return 0;
    }

    /** A parsed state: Go's {@code WALState}; the indexes are unsigned 64-bit. */
    record WalState(String clusterId, long localIndex, long replicatedIndex) {
    }

    /**
     * Go's {@code ParseReplicationState(raw, nil)} (no HMAC key, so the HMAC is only checked to be hex).
     *
     * @return the state, or {@code null} where Go returns an error
     */
    static WalState parse(String raw) {
        byte[] cooked = decodeStdBase64(raw);
        if (cooked == null) {
            return null;
        }
        String s = new String(cooked, StandardCharsets.ISO_8859_1); // byte for char, as Go's string(cooked)
        int last = s.lastIndexOf(':');
        if (last < 0 || !isHex(s.substring(last + 1))) {
            return null;
        }
        String[] pieces = s.substring(0, last).split(":", -1);
        if (pieces.length != 4 || !pieces[0].equals("v1") || pieces[1].isEmpty()) {
            return null;
        }
        Long local = parseUint(pieces[2]);
        Long replicated = parseUint(pieces[3]);
        if (local == null || replicated == null) {
            return null;
        }
        return new WalState(pieces[1], local, replicated);
    }

    /** Go's {@code base64.StdEncoding.DecodeString}: padding required; CR and LF are ignored. */
    private static byte[] decodeStdBase64(String raw) {
        String s = raw.indexOf('\r') < 0 && raw.indexOf('\n') < 0 ? raw : raw.replace("\r", "").replace("\n", "");
        if (s.length() % 4 != 0) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Go's {@code hex.DecodeString} succeeds: an even number of hex digits (none is fine). */
    private static boolean isHex(String s) {
        if (s.length() % 2 != 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    /** Go's {@code strconv.ParseUint(s, 10, 64)}: decimal digits only, no sign, at most 2^64-1. */
    private static Long parseUint(String s) {
        if (s.isEmpty()) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException tooLarge) {
            return null;
        }
    }
}
