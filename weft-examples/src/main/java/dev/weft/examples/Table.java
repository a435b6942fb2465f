package dev.weft.examples;

import dev.weft.RuntimeMetrics;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A two-or-more-column text table with a header, left-aligned first column, right-aligned others.
 */
final class Table {

    private final List<String[]> rows = new ArrayList<>();
    private final String[] header;

    Table(String... header) {
        this.header = header;
    }

    /**
     * The "what happened" table every section of the tour opens with: how tasks ended, and polls.
     *
     * @param m the runtime's metrics
     * @return the table, for the section to add its own rows
     */
    static Table whatHappened(RuntimeMetrics m) {
        return new Table("what happened", "count")
                .row("tasks spawned", m.tasksSpawned())
                .row("  completed", m.tasksCompleted())
                .row("  failed", m.tasksFailed())
                .row("  cancelled", m.tasksCancelled())
                .row("polls", m.polls())
                .row("  of which after a wake", m.wakes());
    }

    Table row(Object... cells) {
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = cells[i] instanceof Long || cells[i] instanceof Integer
                    ? String.format("%,d", ((Number) cells[i]).longValue())
                    : String.valueOf(cells[i]);
        }
        rows.add(row);
        return this;
    }

    void print(PrintStream out, String indent) {
        int[] widths = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            widths[i] = header[i].length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        printRow(out, indent, header, widths);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            rule.append(i == 0 ? "" : "  ").append("-".repeat(widths[i]));
        }
        out.println(indent + rule);
        for (String[] row : rows) {
            printRow(out, indent, row, widths);
        }
    }

    private static void printRow(PrintStream out, String indent, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder(indent);
        for (int i = 0; i < cells.length; i++) {
            String format = i == 0 ? "%-" + widths[i] + "s" : "  %" + widths[i] + "s";
            line.append(String.format(format, cells[i]));
        }
        out.println(line);
    }
}
