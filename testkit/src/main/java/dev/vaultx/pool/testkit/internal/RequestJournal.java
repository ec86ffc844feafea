package dev.vaultx.pool.testkit.internal;

import dev.vaultx.pool.testkit.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The request journal of one node: an exact request counter plus a bounded window of the most recent
 * requests (oldest dropped first). When recording is off, only the counter runs. Thread-safe.
 */
public final class RequestJournal {

    private final boolean enabled;
    private final int limit;
    private final ConcurrentLinkedDeque<RecordedRequest> entries = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();
    private final LongAdder count = new LongAdder();

    /**
     * Creates a journal.
     *
     * @param enabled whether requests are recorded (the counter always runs)
     * @param limit the most requests kept; older ones are dropped
     */
    public RequestJournal(boolean enabled, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("journal limit must be >= 1: " + limit);
        }
        this.enabled = enabled;
        this.limit = limit;
    }

    /** @return whether requests are recorded */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Counts a request and, when enabled, records it.
     *
     * @param request makes the record; only called when recording is on
     */
    public void record(Supplier<RecordedRequest> request) {
        count.increment();
        if (!enabled) {
            return;
        }
        entries.addLast(request.get());
        if (size.incrementAndGet() > limit && entries.pollFirst() != null) {
            size.decrementAndGet();
        }
    }

    /** @return the requests kept, oldest first */
    public List<RecordedRequest> snapshot() {
        return new ArrayList<>(entries);
    }

    /** @return all requests counted since creation or the last {@link #clear()} */
    public long count() {
        return count.sum();
    }

    /**
     * Counts the kept requests whose path starts with a prefix.
     *
     * @param pathPrefix e.g. {@code /v1/secret}
     * @return the number of kept requests that match
     * @throws IllegalStateException when recording is off
     */
    public long count(String pathPrefix) {
        if (!enabled) {
            throw new IllegalStateException("the request journal is disabled (journal(false))");
        }
        return entries.stream().filter(r -> r.path().startsWith(pathPrefix)).count();
    }

    /** Forgets all requests and resets the counter. */
    public void clear() {
        while (entries.pollFirst() != null) {
            size.decrementAndGet();
        }
        count.reset();
    }
}
