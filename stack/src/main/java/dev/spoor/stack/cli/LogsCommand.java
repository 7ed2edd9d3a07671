package dev.spoor.stack.cli;

import dev.spoor.stack.LocalStack;
import dev.spoor.stack.StackException;
import dev.spoor.stack.process.LogTail;
import dev.spoor.stack.process.ServiceProcess;
import dev.spoor.stack.service.ServiceLauncher;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "logs", description = "Print the end of a service's log; -f follows it until Ctrl-C.")
final class LogsCommand implements Callable<Integer> {
  @ParentCommand
  StackCli parent;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "SERVICE", description = "kafka, hbase, trino, spark-master, spark-worker")
  String service;

  @Option(names = {"-n", "--lines"}, defaultValue = "100", description = "lines to print (default 100)")
  int lines;

  @Option(names = {"-f", "--follow"}, description = "keep printing what the service writes")
  boolean follow;

  @Override
  public Integer call() throws IOException, InterruptedException {
    LocalStack stack = parent.stack();
    List<ServiceLauncher> selected = stack.select(List.of(service));
    if (selected.size() != 1) {
      throw new StackException("logs takes one service, not '" + service + "'");
    }
    ServiceProcess process = stack.process(selected.get(0));
    Path log = process.logFile();
    if (!Files.isRegularFile(log)) {
      throw new StackException(service + " has no log yet (" + log + "); start it with: bin/spoor up "
          + service);
    }
    PrintWriter out = spec.commandLine().getOut();
    LogTail.lastLines(log, lines).forEach(out::println);
    out.flush();
    if (follow) {
      follow(log, out);
    }
    return 0;
  }

  private static void follow(Path log, PrintWriter out) throws IOException, InterruptedException {
    long position = Files.size(log);
    while (!Thread.currentThread().isInterrupted()) {
      long size = Files.size(log);
      if (size < position) {
        position = 0; // truncated or replaced
      }
      if (size > position) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
          file.seek(position);
          byte[] chunk = new byte[(int) Math.min(size - position, 1 << 20)];
          file.readFully(chunk);
          position += chunk.length;
          out.print(new String(chunk, StandardCharsets.UTF_8));
          out.flush();
        }
      } else {
        Thread.sleep(250);
      }
    }
  }
}
