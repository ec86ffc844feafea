package dev.vaultx.pool.testkit.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The faults currently injected into one node. All fields are independent and may be changed from
 * any thread while requests are served; counted faults are consumed atomically. Thread-safe.
 */
public final class FaultPlan {

    /** A fault answered for the next {@code remaining} requests ({@code < 0}: until cleared). */
    private static final class Counted {
        final int status;
        final String text;
        final AtomicInteger remaining;

        Counted(int status, String text, int count) {
            this.status = status;
            this.text = text;
            this.remaining = new AtomicInteger(count);
        }

        boolean tryConsume() {
            while (true) {
                int left = remaining.get();
                if (left < 0) {
                    return true;
                }
                if (left == 0) {
                    return false;
                }
                if (remaining.compareAndSet(left, left - 1)) {
                    return true;
                }
            }
        }
    }

    /** What an API request should get instead of normal handling. */
    public record Injected(int status, String text) {
    }

    private volatile TransportFault transport = TransportFault.NONE;
    private volatile long slowMillis;
    private volatile URI redirect;
    private volatile String healthBody;
    private final AtomicReference<Counted> failWith = new AtomicReference<>();
    private final AtomicReference<Counted> rateLimit = new AtomicReference<>();
    private final AtomicReference<SlowPath> slowPath = new AtomicReference<>();

    /**
     * Sets the transport fault (replacing any other transport fault).
     *
     * @param fault the fault, {@link TransportFault#NONE} to clear
     */
    public void transport(TransportFault fault) {
        this.transport = Objects.requireNonNull(fault, "fault");
    }

    /** @return the current transport fault */
    public TransportFault transport() {
        return transport;
    }

    /**
     * Delays every response.
     *
     * @param delay the delay, zero to clear
     */
    public void slow(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay: " + delay);
        }
        this.slowMillis = delay.toMillis();
    }

    /** @return the extra delay of every response in milliseconds */
    public long slowMillis() {
        return slowMillis;
    }

    /**
     * Delays the responses to requests whose path starts with a prefix (one prefix at a time).
     *
     * @param pathPrefix e.g. {@code /v1/secret/data/a}
     * @param delay the delay, zero to clear
     */
    public void slowPath(String pathPrefix, Duration delay) {
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay: " + delay);
        }
        slowPath.set(delay.isZero() ? null : new SlowPath(pathPrefix, delay.toMillis()));
    }

    /**
     * @param path a request's path
     * @return the extra delay of the response to it in milliseconds: the node's and the path's
     */
    public long slowMillis(String path) {
        SlowPath p = slowPath.get();
        return slowMillis + (p != null && path.startsWith(p.prefix) ? p.millis : 0);
    }

    /** A delay for the responses on some paths. */
    private record SlowPath(String prefix, long millis) {
    }

    /**
     * Makes the next {@code count} API requests fail.
     *
     * @param status the status to answer
     * @param message the error message, or {@code null} for an empty {@code errors} array
     * @param count how many; {@code < 0} until cleared, {@code 0} clears
     */
    public void failWith(int status, String message, int count) {
        failWith.set(count == 0 ? null : new Counted(status, message, count));
    }

    /**
     * Rate-limits the next {@code count} API requests with 429.
     *
     * @param count how many; {@code < 0} until cleared, {@code 0} clears
     * @param retryAfter the {@code Retry-After} value, or {@code null} for none
     */
    public void rateLimit(int count, String retryAfter) {
        rateLimit.set(count == 0 ? null : new Counted(429, retryAfter, count));
    }

    /**
     * Consumes one rate-limit rejection if one is pending.
     *
     * @return the rejection (text = {@code Retry-After} or {@code null}), or {@code null} when none is pending
     */
    public Injected nextRateLimit() {
        return consume(rateLimit);
    }

    /**
     * Consumes one injected failure if one is pending.
     *
     * @return the failure (text = message), or {@code null} when none is pending
     */
    public Injected nextFailure() {
        return consume(failWith);
    }

    private static Injected consume(AtomicReference<Counted> ref) {
        Counted c = ref.get();
        if (c == null || !c.tryConsume()) {
            return null;
        }
        return new Injected(c.status, c.text);
    }

    /**
     * Redirects API requests with 307.
     *
     * @param base the target base URI, or {@code null} to clear
     */
    public void redirect(URI base) {
        this.redirect = base;
    }

    /** @return the redirect base, or {@code null} */
    public URI redirect() {
        return redirect;
    }

    /**
     * Replaces the JSON body of {@code GET /v1/sys/health}.
     *
     * @param raw the raw body, or {@code null} to clear
     */
    public void healthBody(String raw) {
        this.healthBody = raw;
    }

    /** @return the raw health body override, or {@code null} */
    public String healthBody() {
        return healthBody;
    }

    /** Clears every fault. */
    public void clear() {
        transport = TransportFault.NONE;
        slowMillis = 0;
        slowPath.set(null);
        redirect = null;
        healthBody = null;
        failWith.set(null);
        rateLimit.set(null);
    }
}
