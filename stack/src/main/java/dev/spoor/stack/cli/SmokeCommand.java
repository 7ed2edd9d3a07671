package dev.spoor.stack.cli;

import dev.spoor.stack.LocalStack;
import dev.spoor.stack.smoke.SmokeChecks;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "smoke", description = {
    "Round trips through a running stack over real connections: Kafka produce/consume,",
    "HBase put/get, Trino JDBC query. With --up, brings kafka, hbase and trino up first."})
final class SmokeCommand implements Callable<Integer> {
  @ParentCommand
  StackCli parent;

  @Spec
  CommandSpec spec;

  @Option(names = "--up", description = "start the default services first")
  boolean up;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    LocalStack stack = parent.stack();
    if (up) {
      stack.up(List.of(), out::println);
    }
    SmokeChecks checks = new SmokeChecks(stack.config());
    out.println("kafka: " + checks.kafka());
    out.println("hbase: " + checks.hbase());
    out.println("trino: " + checks.trino());
    out.println("smoke checks passed");
    return 0;
  }
}
