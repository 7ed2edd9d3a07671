package dev.spoor.stack.cli;

import dev.spoor.config.InvalidConfigException;
import dev.spoor.stack.LocalStack;
import dev.spoor.stack.StackException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/spoor} verbs of the local stack: {@code up}, {@code down}, {@code status}, {@code logs},
 * {@code doctor} and {@code smoke}. Errors a person can fix are printed as one message without a stack
 * trace and exit with status 1 (2 for bad configuration or usage).
 */
@Command(name = "spoor", mixinStandardHelpOptions = true, versionProvider = StackCli.Version.class,
    description = "Spoor's local stack of real engines: Kafka, HBase, Trino and a Spark standalone cluster.",
    subcommands = {UpCommand.class, DownCommand.class, StatusCommand.class, LogsCommand.class,
        DoctorCommand.class, SmokeCommand.class, SqlCommand.class})
public final class StackCli {
  @Option(names = "--home", description = "Spoor checkout (default: $SPOOR_HOME or the current directory)")
  Path home;

  LocalStack stack() {
    return LocalStack.fromHome(home());
  }

  Path home() {
    if (home != null) {
      return home.toAbsolutePath();
    }
    String env = System.getenv("SPOOR_HOME");
    return Path.of(env == null || env.isBlank() ? "." : env).toAbsolutePath().normalize();
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI and returns its exit status; used by {@link #main} and by tests. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new StackCli());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof StackException || e instanceof java.io.UncheckedIOException) {
        err.println("spoor: " + e.getMessage());
        return 1;
      }
      if (e instanceof InvalidConfigException) {
        err.println("spoor: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return cli.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = StackCli.class.getPackage().getImplementationVersion();
      return new String[] {"spoor " + (v == null ? "(development build)" : v)};
    }
  }
}
