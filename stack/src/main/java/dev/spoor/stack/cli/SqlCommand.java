package dev.spoor.stack.cli;

import dev.spoor.config.TrinoReader;
import dev.spoor.config.Settings;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.stack.sql.SqlRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bin/spoor sql "SELECT …"} or {@code bin/spoor sql -f file.sql}: SQL on Trino over the lake. */
@Command(name = "sql", description = "Run SQL on Trino (catalog delta, schema spoor by default) and print the results.")
final class SqlCommand implements Callable<Integer> {
  @ParentCommand
  StackCli cli;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "SQL", description = "one statement")
  String sql;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "a file of statements, each ending with ';' at a line end")
  Path file;

  @Option(names = "--format", defaultValue = "table", description = "table (default), csv or json (one object per row)")
  String format;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SqlRunner.Format f;
    try {
      f = SqlRunner.Format.valueOf(format.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      err.println("spoor sql: --format " + format + ": expected table, csv or json");
      return 2;
    }
    if ((sql == null) == (file == null)) {
      err.println("spoor sql: give one statement or -f FILE (not both)");
      return 2;
    }
    List<SqlRunner.Statement0> statements;
    String source;
    if (file != null) {
      try {
        statements = SqlRunner.split(Files.readString(file, StandardCharsets.UTF_8));
      } catch (IOException e) {
        err.println("spoor sql: cannot read " + file + " (" + e.getMessage() + ")");
        return 2;
      }
      source = file.toString();
    } else {
      statements = SqlRunner.split(sql);
      source = "sql";
    }
    com.typesafe.config.Config config = SpoorConfigLoader.load(cli.home());
    Settings trino = Settings.of(config, "spoor.trino");
    return new SqlRunner(TrinoReader.from(config, cli.home()), trino.string("catalog"), trino.string("schema"))
        .run(statements, source, f, out, err);
  }
}
