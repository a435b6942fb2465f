/**
 * Tasks: a spawned future, its state machine, its waker and its join handle, in one object
 * ({@link dev.weft.task.Task}); the bits and transitions of its state word
 * ({@link dev.weft.task.TaskState}); the tasks a runtime must find to cancel them outside its
 * run queues ({@link dev.weft.task.TaskRegistry}); what a task holds until it ends, such as its
 * armed timers ({@link dev.weft.task.TaskResource}, {@link dev.weft.task.ResourceHolder}), and
 * futures that give back what they hold when a combinator drops them
 * ({@link dev.weft.task.Droppable}).
 *
 * <p>This package knows nothing of threads or queues: a task talks to its runtime only through
 * {@link dev.weft.task.TaskScheduler}. It never imports {@code dev.weft.sched}.
 *
 * <h2>Invariants (DESIGN.md section 3, items 1 to 3)</h2>
 * <ol>
 *   <li>Never polled by two threads at once: polling requires the RUNNING bit, set only by a CAS
 *       that saw it clear.</li>
 *   <li>No lost wakeup: a wake during a poll sets NOTIFIED, which the poller's release CAS sees;
 *       wakes before the next poll schedule the task once (only the wake that sets NOTIFIED
 *       schedules).</li>
 *   <li>A wake after completion or abort does nothing: COMPLETE freezes the state word.</li>
 * </ol>
 * Waking and polling allocate nothing: a task is its own waker and context. A task's held
 * resources are released before its completion is published, so whoever sees it ended sees its
 * timers gone.
 */
package dev.weft.task;
