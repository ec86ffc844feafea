package dev.vaultx.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"500ms,PT0.5S", "30s,PT30S", "1.5s,PT1.5S", "5m,PT5M", "1h,PT1H", "1d,PT24H", "250us,PT0.00025S",
            "10ns,PT0.00000001S", "' 10S ',PT10S", "PT20S,PT20S", "pt2m,PT2M", "0,PT0S", "0s,PT0S"})
    void readsANumberWithAUnitOrIso8601(String text, String iso) {
        assertThat(PoolConfigReader.parseDuration("d", text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "1", "500", "1.5", "-30", "007"})
    void refusesABareNumberBecauseItsUnitWouldBeAGuess(String bare) {
        assertThatThrownBy(() -> PoolConfigReader.parseDuration("vaultx.pool.timeout", bare))
                .isInstanceOf(PoolConfigException.class)
                .hasMessage("vaultx.pool.timeout: " + bare + " (expected: a duration with a unit, e.g. 30s, 500ms)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "s", "1.s", "-1s", "10 seconds", "1w", "PT", "PTxS"})
    void refusesTextThatIsNoDurationNamingTheKey(String bad) {
        assertThatThrownBy(() -> PoolConfigReader.parseDuration("--duration", bad))
                .isInstanceOf(PoolConfigException.class)
                .hasMessageStartingWith("--duration: " + bad + " (expected: a duration with a unit, e.g. 30s, 500ms");
    }

    @ParameterizedTest
    @CsvSource({"PT0.5S,500ms", "PT20S,20s", "PT1.5S,1.5s", "PT2M,2m", "PT1H,1h", "PT90S,90s", "PT0S,0s"})
    void formatsWhatItReads(String iso, String text) {
        Duration d = Duration.parse(iso);
        assertThat(PoolConfigReader.formatDuration(d)).isEqualTo(text);
        assertThat(PoolConfigReader.parseDuration("d", text)).isEqualTo(d);
    }
}
