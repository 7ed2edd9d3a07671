package dev.spoor.stack.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "down", description = {
    "Stop services: SIGTERM, then SIGKILL after 30 s; children go with them. Default: all."})
final class DownCommand implements Callable<Integer> {
  @ParentCommand
  StackCli parent;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "SERVICE", arity = "0..*")
  List<String> services = new ArrayList<>();

  @Override
  public Integer call() {
    parent.stack().down(services, line -> spec.commandLine().getOut().println(line));
    return 0;
  }
}
