package dev.vaultx.pool.impl.internal.metrics;

import dev.vaultx.pool.FailureKind;
import dev.vaultx.pool.metrics.RequestOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class TrackerFanOutTest {

    @ParameterizedTest
    @EnumSource(FailureKind.class)
    void everyTransportKindNameBecomesTransportWithItsKind(FailureKind kind) {
        TrackerFanOut.Kind k = TrackerFanOut.kindOf(kind.name().toLowerCase(Locale.ROOT));

        assertThat(k.outcome()).isEqualTo(RequestOutcome.TRANSPORT);
        assertThat(k.kind()).isEqualTo(kind);
    }

    @Test
    void thePoolsOwnKindNamesBecomeTheirOutcomes() {
        assertThat(TrackerFanOut.kindOf(null)).isEqualTo(new TrackerFanOut.Kind(RequestOutcome.SUCCESS, null));
        assertThat(TrackerFanOut.kindOf("http_5xx").outcome()).isEqualTo(RequestOutcome.HTTP_5XX);
        assertThat(TrackerFanOut.kindOf("pool_exhausted").outcome()).isEqualTo(RequestOutcome.POOL_EXHAUSTED);
        assertThat(TrackerFanOut.kindOf("no_available_node").outcome()).isEqualTo(RequestOutcome.NO_AVAILABLE_NODE);
        assertThat(TrackerFanOut.kindOf("request_timeout").outcome()).isEqualTo(RequestOutcome.REQUEST_TIMEOUT);
        assertThat(TrackerFanOut.kindOf("pool_closed").outcome()).isEqualTo(RequestOutcome.POOL_CLOSED);
        assertThat(TrackerFanOut.kindOf("other").outcome()).isEqualTo(RequestOutcome.OTHER);
        assertThat(TrackerFanOut.kindOf("something_new")).isEqualTo(new TrackerFanOut.Kind(RequestOutcome.OTHER, null));
    }
}
