package dev.spoor.ingest.collector.schemas;

import dev.spoor.ingest.model.schema.SchemaLint;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bin/spoor schemas lint [DIR]}: checks a directory of Iglu schemas ({@code conf/schemas} by
 * default) before a collector loads it ({@link SchemaLint}); prints one {@code FILE: reason} line per
 * problem. Exit status 0 when clean, 1 when there are problems, 2 on a usage error.
 */
@Command(name = "schemas", mixinStandardHelpOptions = true, description = "Work with the Iglu schemas.",
    subcommands = SchemasMain.Lint.class)
public final class SchemasMain implements Runnable {
  @Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SchemasMain()).execute(args));
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed: lint");
  }

  /** {@code lint [DIR]}. */
  @Command(name = "lint", mixinStandardHelpOptions = true,
      description = "Check schemas as igluctl lint does: layout, self-describing header, draft 4 validity, versions.")
  static final class Lint implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "DIR", description = "the schema directory (default: conf/schemas)")
    Path dir;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      Path home = Path.of(System.getProperty("spoor.home", System.getenv().getOrDefault("SPOOR_HOME", ".")));
      Path root = dir != null ? dir : home.resolve("conf/schemas");
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (!Files.isDirectory(root)) {
        err.println("spoor schemas lint: " + root + " is not a directory");
        return 2;
      }
      List<SchemaLint.Problem> problems = SchemaLint.lint(root);
      problems.forEach(p -> err.println(root.resolve(p.file()) + ": " + p.reason()));
      long files;
      try (var walk = Files.walk(root)) {
        files = walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".md")).count();
      }
      out.println(problems.isEmpty() ? files + " schemas under " + root + ": clean"
          : problems.size() + " problem(s) in " + files + " schemas under " + root);
      return problems.isEmpty() ? 0 : 1;
    }
  }
}
