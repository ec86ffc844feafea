package dev.vaultx.pool.impl.internal;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/** Retry delays: exponential backoff with full jitter, and {@code Retry-After} parsing. Stateless. */
final class Backoff {

    private Backoff() {
    }

    /**
     * @param base the first retry's delay
     * @param max the cap
     * @param retry the retry number, from 1
     * @return a delay drawn uniformly from {@code [0, min(max, base * 2^(retry-1))]}, in nanoseconds
     */
    static long delayNanos(Duration base, Duration max, int retry) {
        long cap = Math.min(max.toNanos(), base.toNanos() << Math.min(Math.max(retry - 1, 0), 20));
        if (cap <= 0) {
            return 0;
        }
        return ThreadLocalRandom.current().nextLong(cap + 1);
    }

    /**
     * Parses {@code Retry-After} as delta-seconds or an HTTP-date (RFC 1123), as Vault sends either.
     *
     * @param value the header value, or {@code null}
     * @param nowMillis the current wall-clock time, for an HTTP-date
     * @return the wait in nanoseconds (0 for a date in the past), or -1 if absent or unreadable
     */
    static long retryAfterNanos(String value, long nowMillis) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? -1 : Duration.ofSeconds(Math.min(seconds, 86_400)).toNanos();
        } catch (NumberFormatException notSeconds) {
            try {
                long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
                return Duration.ofMillis(Math.max(0, Math.min(at - nowMillis, 86_400_000L))).toNanos();
            } catch (DateTimeParseException notDate) {
                return -1;
            }
        }
    }
}
