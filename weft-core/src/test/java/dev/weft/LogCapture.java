package dev.weft;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What a {@link System.Logger} reports while this is open, through its default backend
 * ({@code java.util.logging}, a logger of the same name): for tests of what the runtime reports.
 */
@SuppressWarnings("exports") // a test helper in a package the module exports
public final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogCapture(String name) {
        this.logger = Logger.getLogger(name);
        logger.addHandler(this);
    }

    /**
     * Starts capturing what the logger named after {@code source} reports.
     *
     * @param source the class whose name is the logger's
     * @return the capture, to close when done
     */
    public static LogCapture of(Class<?> source) {
        return of(source.getName());
    }

    /**
     * Starts capturing what the logger named {@code name} reports.
     *
     * @param name the logger's name
     * @return the capture, to close when done
     */
    public static LogCapture of(String name) {
        return new LogCapture(name);
    }

    /**
     * The records so far.
     *
     * @return the records, in order
     */
    public List<LogRecord> records() {
        return records;
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    /** Stops capturing. */
    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
