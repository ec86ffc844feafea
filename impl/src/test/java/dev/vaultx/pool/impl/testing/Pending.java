package dev.vaultx.pool.impl.testing;

import java.time.Duration;
import java.util.concurrent.Future;

import static org.awaitility.Awaitility.await;

/**
 * The check that goes with a {@link FakeTicker}: something that waits on the pool's ticker is still waiting after
 * real time passed (many sweeps and timer ticks of the pool) while the ticker stood still.
 */
public final class Pending {

    /** How long real time is let pass: twenty sweeps of the pool's timeout sweeper. */
    public static final Duration WATCH = Duration.ofMillis(200);

    private Pending() {
    }

    /** Asserts that {@code future} stays not done for {@link #WATCH} of real time. */
    public static void staysPending(Future<?> future) {
        await().during(WATCH).atMost(WATCH.plusSeconds(5)).until(() -> !future.isDone());
    }
}
