package dev.spoor.stack.cli;

import dev.spoor.stack.LocalStack;
import dev.spoor.stack.ServiceStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "status", description = {
    "One row per service: state (healthy, unhealthy, stopped, died), pid, port, uptime, data size.",
    "Exit status 3 when a service died (its pid file names a process that is gone)."})
final class StatusCommand implements Callable<Integer> {
  @ParentCommand
  StackCli parent;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    List<ServiceStatus> rows = parent.stack().status();
    List<List<String>> table = new ArrayList<>();
    table.add(List.of("SERVICE", "STATE", "PID", "PORT", "UPTIME", "DATA", "LOG"));
    for (ServiceStatus row : rows) {
      table.add(List.of(row.service(), row.stateLabel(),
          row.pid().map(String::valueOf).orElse("-"),
          String.valueOf(row.port()),
          row.uptime().map(StatusCommand::uptime).orElse("-"),
          LocalStack.human(row.dataBytes()),
          row.log().toString()));
    }
    print(spec.commandLine().getOut(), table);
    boolean died = rows.stream().anyMatch(r -> r.state() == dev.spoor.stack.process.ProcessState.DIED);
    return died ? 3 : 0;
  }

  static String uptime(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m" + s % 60 + "s";
    }
    return s / 3600 + "h" + (s % 3600) / 60 + "m";
  }

  /** Prints rows as left-aligned columns. */
  static void print(PrintWriter out, List<List<String>> table) {
    int columns = table.get(0).size();
    int[] width = new int[columns];
    for (List<String> row : table) {
      for (int c = 0; c < columns; c++) {
        width[c] = Math.max(width[c], row.get(c).length());
      }
    }
    for (List<String> row : table) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        String cell = row.get(c);
        line.append(cell);
        if (c < columns - 1) {
          line.append(" ".repeat(width[c] - cell.length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }
}
