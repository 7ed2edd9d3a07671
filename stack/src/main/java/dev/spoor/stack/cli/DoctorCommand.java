package dev.spoor.stack.cli;

import dev.spoor.stack.doctor.Check;
import dev.spoor.stack.doctor.Doctor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "doctor", description = {
    "Check prerequisites (JDKs, tools, free ports, free disk, Debian packages) and say how to fix each.",
    "Exit status 1 when a check fails."})
final class DoctorCommand implements Callable<Integer> {
  @ParentCommand
  StackCli parent;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    List<Check> checks = new Doctor(parent.stack()).run();
    List<List<String>> table = new ArrayList<>();
    table.add(List.of("CHECK", "RESULT", "DETAIL", "FIX"));
    for (Check check : checks) {
      table.add(List.of(check.name(), check.outcome().name(), check.detail(), check.fix()));
    }
    StatusCommand.print(spec.commandLine().getOut(), table);
    return checks.stream().anyMatch(c -> c.outcome() == Check.Outcome.FAIL) ? 1 : 0;
  }
}
