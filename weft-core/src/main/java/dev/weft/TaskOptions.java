package dev.weft;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How a task is scheduled: its priority, an optional deadline, an optional name.
 *
 * <p>Immutable: each method returns a new instance, so options can be shared between spawns.
 * <pre>{@code
 * runtime.spawn(TaskOptions.priority(Priority.HIGH).deadline(Instant.now().plusMillis(5))
 *         .name("quote"), f);
 * }</pre>
 *
 * <p>Among ready tasks, a higher priority runs first; within a priority, tasks with a deadline run
 * before tasks without, earliest deadline first; ties run in spawn order.
 */
public final class TaskOptions {

    private static final TaskOptions[] DEFAULTS = new TaskOptions[Priority.values().length];

    static {
        for (Priority p : Priority.values()) {
            DEFAULTS[p.ordinal()] = new TaskOptions(p, null, null);
        }
    }

    private final Priority priority;
    private final Instant deadline;
    private final String name;

    private TaskOptions(Priority priority, Instant deadline, String name) {
        this.priority = priority;
        this.deadline = deadline;
        this.name = name;
    }

    /**
     * Returns options with the given priority, no deadline and no name.
     *
     * @param priority the priority
     * @return the options
     */
    public static TaskOptions priority(Priority priority) {
        return DEFAULTS[Objects.requireNonNull(priority, "priority").ordinal()];
    }

    /**
     * Returns a copy of these options with a deadline: the instant by which the task should have
     * started.
     *
     * @param deadline the deadline
     * @return the new options
     */
    public TaskOptions deadline(Instant deadline) {
        return new TaskOptions(priority, Objects.requireNonNull(deadline, "deadline"), name);
    }

    /**
     * Returns a copy of these options with a name, shown in the task's {@code toString} and in the
     * messages about it (its cancellation, a misuse of its handle, a checked failure it wraps).
     *
     * @param name the name, not blank
     * @return the new options
     * @throws IllegalArgumentException if the name is blank
     */
    public TaskOptions name(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("task name must not be blank, was '" + name + "'");
        }
        return new TaskOptions(priority, deadline, name);
    }

    /**
     * Returns the priority.
     *
     * @return the priority
     */
    public Priority priority() {
        return priority;
    }

    /**
     * Returns the deadline, if any.
     *
     * @return the deadline, or empty
     */
    public Optional<Instant> deadline() {
        return Optional.ofNullable(deadline);
    }

    /**
     * Returns the name, if any.
     *
     * @return the name, or empty
     */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    @Override
    public String toString() {
        return "TaskOptions[priority=" + priority
                + (deadline == null ? "" : ", deadline=" + deadline)
                + (name == null ? "" : ", name=" + name) + "]";
    }
}
