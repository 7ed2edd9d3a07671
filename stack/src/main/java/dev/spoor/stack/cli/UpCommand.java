package dev.spoor.stack.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "up", description = {
    "Start services and wait until each is healthy (already running: left alone).",
    "SERVICE: kafka, hbase, trino, spark (master + worker), spark-master, spark-worker, all.",
    "Default: kafka hbase trino."})
final class UpCommand implements Callable<Integer> {
  @ParentCommand
  StackCli parent;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "SERVICE", arity = "0..*")
  List<String> services = new ArrayList<>();

  @Override
  public Integer call() {
    parent.stack().up(services, line -> spec.commandLine().getOut().println(line));
    return 0;
  }
}
