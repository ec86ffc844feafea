package dev.vaultx.pool.impl.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LongSummaryStatistics;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Backoff}: exponential delays with full jitter, and {@code Retry-After} parsing. */
class BackoffTest {

    private static final long MS = 1_000_000L;
    private static final Duration BASE = Duration.ofMillis(50);
    private static final Duration MAX = Duration.ofSeconds(1);
    /** A fixed wall clock for HTTP dates: 2025-01-15T12:00:00Z. */
    private static final Instant NOW = Instant.parse("2025-01-15T12:00:00Z");

    private static LongSummaryStatistics sample(Duration base, Duration max, int retry) {
        return LongStream.range(0, 2_000).map(i -> Backoff.delayNanos(base, max, retry)).summaryStatistics();
    }

    @ParameterizedTest(name = "retry {0}: delay in [0, {1} ms]")
    @CsvSource({
            "1, 50",
            "2, 100",
            "3, 200",
            "4, 400",
            "5, 800",
            "6, 1000",
            "7, 1000",
            "20, 1000",
            "1000, 1000",
    })
    void delayIsDrawnBetweenZeroAndTheDoubledBaseCappedAtMax(int retry, long capMillis) {
        LongSummaryStatistics s = sample(BASE, MAX, retry);

        assertThat(s.getMin()).isGreaterThanOrEqualTo(0);
        assertThat(s.getMax()).isLessThanOrEqualTo(capMillis * MS);
        // full jitter: the draws spread over the whole range
        assertThat(s.getMax()).isGreaterThan(capMillis * MS * 9 / 10);
        assertThat(s.getMin()).isLessThan(capMillis * MS / 10);
        assertThat(s.getAverage()).isBetween(capMillis * MS * 0.4, capMillis * MS * 0.6);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void retryNumbersBelowOneAreTreatedAsTheFirst(int retry) {
        LongSummaryStatistics s = sample(BASE, MAX, retry);

        assertThat(s.getMin()).isGreaterThanOrEqualTo(0);
        assertThat(s.getMax()).isLessThanOrEqualTo(50 * MS);
    }

    @Test
    void zeroBaseOrZeroMaxMeansNoDelay() {
        assertThat(sample(Duration.ZERO, MAX, 3).getMax()).isZero();
        assertThat(sample(BASE, Duration.ZERO, 3).getMax()).isZero();
    }

    @Test
    void maxBelowBaseCapsEveryDelay() {
        assertThat(sample(Duration.ofSeconds(2), Duration.ofMillis(100), 1).getMax()).isLessThanOrEqualTo(100 * MS);
    }

    @Test
    void largeBaseDoesNotOverflowIntoNoDelay() {
        // 1 h << 19 overflows a long of nanoseconds only past ~4.9 h: a sane base must stay capped at max
        LongSummaryStatistics s = sample(Duration.ofHours(1), Duration.ofHours(2), 20);

        assertThat(s.getMax()).isLessThanOrEqualTo(Duration.ofHours(2).toNanos()).isGreaterThan(Duration.ofHours(1).toNanos());
    }

    @ParameterizedTest(name = "Retry-After: \"{0}\" -> {1} s")
    @CsvSource(delimiter = '|', value = {
            "0|0",
            "1|1",
            "120|120",
            "' 7 '|7",
            "86400|86400",
            "86401|86400",
            "9999999999|86400",
    })
    void deltaSecondsAreParsedAndCappedAtADay(String header, long seconds) {
        assertThat(Backoff.retryAfterNanos(header, NOW.toEpochMilli())).isEqualTo(Duration.ofSeconds(seconds).toNanos());
    }

    @Test
    void httpDateInTheFutureIsTheTimeUntilThen() {
        String in30s = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(NOW.plusSeconds(30), ZoneOffset.UTC));

        assertThat(in30s).endsWith("GMT");
        assertThat(Backoff.retryAfterNanos(in30s, NOW.toEpochMilli())).isEqualTo(Duration.ofSeconds(30).toNanos());
    }

    @Test
    void httpDateAsVaultSendsItIsParsed() {
        assertThat(Backoff.retryAfterNanos("Wed, 15 Jan 2025 12:01:00 GMT", NOW.toEpochMilli()))
                .isEqualTo(Duration.ofMinutes(1).toNanos());
    }

    @Test
    void httpDateInThePastMeansRetryNow() {
        assertThat(Backoff.retryAfterNanos("Wed, 21 Oct 2015 07:28:00 GMT", NOW.toEpochMilli())).isZero();
    }

    @Test
    void httpDateFarInTheFutureIsCappedAtADay() {
        assertThat(Backoff.retryAfterNanos("Fri, 15 Jan 2100 12:00:00 GMT", NOW.toEpochMilli()))
                .isEqualTo(Duration.ofDays(1).toNanos());
    }

    @ParameterizedTest(name = "Retry-After: \"{0}\" is unreadable")
    @ValueSource(strings = {"-1", "-120", "soon", "1.5", "5s", "0x10", "Wed, 99 Foo 2025 12:00:00 GMT",
            "2025-01-15T12:01:00Z", "Wed, 15 Jan 2025"})
    void negativeOrGarbageIsUnreadable(String header) {
        assertThat(Backoff.retryAfterNanos(header, NOW.toEpochMilli())).isEqualTo(-1);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\t"})
    void absentIsUnreadable(String header) {
        assertThat(Backoff.retryAfterNanos(header, NOW.toEpochMilli())).isEqualTo(-1);
    }
}
