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
}
