package dev.vaultx.pool.impl.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class NodeSlotsTest {

    /** A waiter that can be claimed once, as the transport's are. */
    static final class TestWaiter implements NodeSlots.Waiter {
        final AtomicBoolean claimed = new AtomicBoolean();

        @Override
        public boolean claim() {
            return claimed.compareAndSet(false, true);
        }
    }

    @Test
    void takesFreeSlotsThenQueues() {
        NodeSlots slots = new NodeSlots();
        assertThat(slots.acquireOrQueue(new TestWaiter(), 2)).isTrue();
        assertThat(slots.acquireOrQueue(new TestWaiter(), 2)).isTrue();
        assertThat(slots.acquireOrQueue(new TestWaiter(), 2)).as("third of two").isFalse();
        assertThat(slots.inUse()).isEqualTo(2);
        assertThat(slots.queued()).isEqualTo(1);
    }

    @Test
    void aReleasedSlotGoesToTheFirstWaiterInArrivalOrder() {
        NodeSlots slots = new NodeSlots();
        slots.acquireOrQueue(new TestWaiter(), 1);
        TestWaiter first = new TestWaiter();
        TestWaiter second = new TestWaiter();
        slots.acquireOrQueue(first, 1);
        slots.acquireOrQueue(second, 1);

        assertThat(slots.passOn(1)).isSameAs(first);
        assertThat(slots.inUse()).as("the slot changed hands").isEqualTo(1);
        assertThat(slots.passOn(1)).isSameAs(second);
        assertThat(slots.passOn(1)).as("nobody waits: the slot is freed").isNull();
        assertThat(slots.inUse()).isZero();
    }

    @Test
    void aNewcomerQueuesBehindWaitersEvenWhenASlotIsFree() {
        NodeSlots slots = new NodeSlots();
        slots.acquireOrQueue(new TestWaiter(), 1);
        slots.acquireOrQueue(new TestWaiter(), 1);
        // the limit grew, but waiters were not served yet: a newcomer must not overtake them
        assertThat(slots.acquireOrQueue(new TestWaiter(), 2)).isFalse();
        assertThat(slots.queued()).isEqualTo(2);
    }

    @Test
    void waitersThatGaveUpAreSkipped() {
        NodeSlots slots = new NodeSlots();
        slots.acquireOrQueue(new TestWaiter(), 1);
        TestWaiter gaveUp = new TestWaiter();
        TestWaiter waiting = new TestWaiter();
        slots.acquireOrQueue(gaveUp, 1);
        slots.acquireOrQueue(waiting, 1);
        assertThat(gaveUp.claim()).as("it expired and claimed itself").isTrue();

        assertThat(slots.passOn(1)).isSameAs(waiting);
    }

    @Test
    void aSlotAboveTheLimitIsFreedNotPassedOn() {
        NodeSlots slots = new NodeSlots();
        slots.acquireOrQueue(new TestWaiter(), 2);
        slots.acquireOrQueue(new TestWaiter(), 2);
        TestWaiter waiter = new TestWaiter();
        slots.acquireOrQueue(waiter, 2);

        assertThat(slots.passOn(1)).as("shrunk to 1 with 2 in use").isNull();
        assertThat(slots.inUse()).isEqualTo(1);
        assertThat(slots.passOn(1)).as("at the limit again: the waiter gets it").isSameAs(waiter);
    }

    @Test
    void growingServesWaitersUpToTheNewLimit() {
        NodeSlots slots = new NodeSlots();
        slots.acquireOrQueue(new TestWaiter(), 1);
        TestWaiter a = new TestWaiter();
        TestWaiter b = new TestWaiter();
        TestWaiter c = new TestWaiter();
        slots.acquireOrQueue(a, 1);
        slots.acquireOrQueue(b, 1);
        slots.acquireOrQueue(c, 1);

        assertThat(slots.grow(3)).containsExactly(a, b);
        assertThat(slots.inUse()).isEqualTo(3);
        assertThat(slots.queued()).isEqualTo(1);
    }

    @Test
    void closingClaimsEveryWaiterOnce() {
        NodeSlots slots = new NodeSlots();
        slots.acquireOrQueue(new TestWaiter(), 1);
        TestWaiter a = new TestWaiter();
        TestWaiter gone = new TestWaiter();
        slots.acquireOrQueue(a, 1);
        slots.acquireOrQueue(gone, 1);
        gone.claim();

        assertThat(slots.claimAll()).containsExactly(a);
        assertThat(slots.queued()).isZero();
    }

    private static final java.util.function.Predicate<Object> KEEPABLE = c -> true;

    /** @return a ticker standing at {@code nanos} */
    private static Ticker at(long nanos) {
        return () -> nanos;
    }

    @Test
    void aHealthyConnectionReturnedWhileNobodyWaitsIsKeptAndTakenLastInFirstOut() {
        NodeSlots slots = new NodeSlots();
        slots.acquireOrQueue(new TestWaiter(), 3);
        slots.acquireOrQueue(new TestWaiter(), 3);

        assertThat(slots.release(3, "a", at(10), KEEPABLE)).isSameAs(NodeSlots.KEPT);
        assertThat(slots.release(3, "b", at(20), KEEPABLE)).isSameAs(NodeSlots.KEPT);

        assertThat(slots.inUse()).isZero();
        assertThat(slots.keptCount()).isEqualTo(2);
        assertThat(slots.takeKept().connection()).isEqualTo("b");
        assertThat(slots.takeKept().connection()).isEqualTo("a");
        assertThat(slots.takeKept()).isNull();
    }

    @Test
    void aReturnedConnectionGoesToAWaiterBeforeBeingKept() {
        NodeSlots slots = new NodeSlots();
        slots.acquireOrQueue(new TestWaiter(), 1);
        TestWaiter waiter = new TestWaiter();
        slots.acquireOrQueue(waiter, 1);

        assertThat(slots.release(1, "a", at(10), KEEPABLE)).isSameAs(waiter);
        assertThat(slots.keptCount()).isZero();
        assertThat(slots.inUse()).isEqualTo(1);
    }

    @Test
    void connectionsBeyondTheLimitOrThatCannotBePassivatedAreNotKept() {
        NodeSlots slots = new NodeSlots();
        for (int i = 0; i < 3; i++) {
            assertThat(slots.acquireOrQueue(new TestWaiter(), 3)).isTrue();
        }
        assertThat(slots.release(3, "a", at(10), KEEPABLE)).isSameAs(NodeSlots.KEPT);

        // shrunk to 1: one connection in a slot and one kept is already more than the node may hold
        assertThat(slots.release(1, "b", at(20), KEEPABLE)).isNull();
        assertThat(slots.release(3, "c", at(30), c -> false)).as("a connection gone before it was kept").isNull();
        assertThat(slots.keptCount()).isEqualTo(1);
        assertThat(slots.inUse()).isZero();
    }

    @Test
    void aConnectionThatMayNotBeReusedIsNeverKept() {
        NodeSlots slots = new NodeSlots();
        slots.acquireOrQueue(new TestWaiter(), 2);
        assertThat(slots.release(2, null, at(10), KEEPABLE)).isNull();
        assertThat(slots.keptCount()).isZero();
    }

    @Test
    void theIdlestKeptConnectionsAreTakenOldestFirstUpToACutoff() {
        NodeSlots slots = new NodeSlots();
        for (int i = 0; i < 3; i++) {
            slots.acquireOrQueue(new TestWaiter(), 3);
        }
        slots.release(3, "a", at(10), KEEPABLE);
        slots.release(3, "b", at(20), KEEPABLE);
        slots.release(3, "c", at(30), KEEPABLE);

        assertThat(slots.takeIdlest(10, 20, false)).containsExactly("a", "b");
        assertThat(slots.takeIdlest(10, 20, false)).isEmpty();
        assertThat(slots.takeIdlest(10, 0, true)).containsExactly("c");
        assertThat(slots.keptCount()).isZero();
    }
}
