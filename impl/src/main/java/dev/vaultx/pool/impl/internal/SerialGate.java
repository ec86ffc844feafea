package dev.vaultx.pool.impl.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * Runs steps one at a time, in the order they arrive, on whichever thread arrives while no step runs
 * (an "actor" without a thread of its own). A step submitted while another runs, on any thread or from
 * inside that step, is queued and run by the thread already inside, after the running step; so steps
 * never overlap, and a step never runs inside another (no re-entrance).
 *
 * <p>Cost: uncontended, {@link #tryEnter()} / {@link #exit()} are one compare-and-set and one decrement,
 * with no allocation; a queued step costs a node on a lock-free stack (Treiber), which the thread inside
 * reverses into arrival order when it drains. {@code wip} is non-zero while a thread is inside; steps
 * counted in it while that thread runs make it drain again before it leaves (the "missed" loop of
 * RxJava's queue-drain).
 *
 * <p>This class is thread-safe. A step that throws is logged; the steps after it still run.
 */
class SerialGate {

    private static final Logger LOG = LoggerFactory.getLogger(SerialGate.class);

    private static final AtomicIntegerFieldUpdater<SerialGate> WIP =
            AtomicIntegerFieldUpdater.newUpdater(SerialGate.class, "wip");
    private static final AtomicReferenceFieldUpdater<SerialGate, Node> PUSHED =
            AtomicReferenceFieldUpdater.newUpdater(SerialGate.class, Node.class, "pushed");

    private static final class Node {
        final Runnable step;
        Node next;

        Node(Runnable step) {
            this.step = step;
        }
    }

    private volatile int wip;
    /** Steps pushed and not yet taken by the drainer, newest first. */
    private volatile Node pushed;
    /** Steps taken by the drainer, oldest first; read and written only by the thread inside. */
    private Node batch;

    /**
     * Enters the gate if no step runs or waits: the caller then runs its step directly and must call
     * {@link #exit()} after it (in a {@code finally}). The allocation-free path for the usual, uncontended case.
     *
     * @return {@code true} if the caller is now inside
     */
    final boolean tryEnter() {
        return wip == 0 && WIP.compareAndSet(this, 0, 1);
    }

    /** Leaves the gate after {@link #tryEnter()}, first running the steps queued meanwhile. */
    final void exit() {
        if (WIP.decrementAndGet(this) != 0) {
            drain();
        }
    }

    /** Runs the step now on this thread if the gate is free, else queues it behind the running one. */
    final void execute(Runnable step) {
        push(step);
        if (WIP.getAndIncrement(this) == 0) {
            drain();
        }
    }

    /**
     * Queues the step; if the gate is free, the queue is drained on {@code executor} instead of this thread (for a
     * caller that must not run steps itself, such as the pool's timer). Runs it here if the executor refuses.
     */
    final void executeOn(Executor executor, Runnable step) {
        push(step);
        if (WIP.getAndIncrement(this) == 0) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException shutDown) {
                drain();
            }
        }
    }

    private void push(Runnable step) {
        Node n = new Node(step);
        Node head;
        do {
            head = pushed;
            n.next = head;
        } while (!PUSHED.compareAndSet(this, head, n));
    }

    /**
     * Runs queued steps until none is left and no more were counted meanwhile; called by the one thread inside.
     * It empties the queue on each pass rather than taking one step per count: a step another thread pushed but
     * has not counted yet may be taken early, and a later pass must still find the steps that were counted.
     * Were it to stop on the count alone, a step counted by one thread could be left queued while the gate looks
     * free, and that thread's next step, entering directly, would overtake it.
     */
    private void drain() {
        int missed = 1;
        for (;;) {
            Runnable step;
            while ((step = poll()) != null) {
                try {
                    step.run();
                } catch (RuntimeException | Error e) {
                    onStepFailed(e);
                }
            }
            missed = WIP.addAndGet(this, -missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /** A step threw; logged by default. */
    void onStepFailed(Throwable e) {
        LOG.warn("a serialised step failed", e);
    }

    /** @return the oldest queued step, or {@code null} if none is queued */
    private Runnable poll() {
        Node b = batch;
        if (b == null) {
            Node stack = PUSHED.getAndSet(this, null);
            // reverse: the stack is newest first
            while (stack != null) {
                Node next = stack.next;
                stack.next = b;
                b = stack;
                stack = next;
            }
            if (b == null) {
                return null;
            }
        }
        batch = b.next;
        return b.step;
    }
}
