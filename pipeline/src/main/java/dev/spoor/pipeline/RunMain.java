package dev.spoor.pipeline;

import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.pipeline.config.PipelineSpec;
import dev.spoor.pipeline.config.Pipelines;
import dev.spoor.pipeline.graph.PipelineGraph;
import dev.spoor.pipeline.run.InProcessLauncher;
import dev.spoor.pipeline.run.JobResult;
import dev.spoor.pipeline.run.PipelineRun;
import dev.spoor.pipeline.run.RunSettings;
import dev.spoor.pipeline.run.SpoorCliLauncher;
import dev.spoor.pipeline.run.SummaryTable;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/spoor run PIPELINE [--from JOB | --only JOB] [--master URL] [--submit-each] [--run-id ID] [--as-of DATE]
 * [--retries N] [--retry-delay D]}: runs a pipeline of {@code conf/pipelines.json} on this machine, in
 * dependency order, and prints a summary table. Its Spark jobs run in this JVM in one Spark application
 * ({@link InProcessLauncher}), on a local master or a cluster's (whose executors get the application
 * jar); with {@code --submit-each}, each is its own {@code spark-submit}. {@code bin/spoor run --list} prints the pipelines and their jobs.
 * Exits 0 when every selected job succeeded, 1 when one failed, 2 on a usage or configuration error.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a pipeline of conf/pipelines.json locally, in dependency order, with a summary table.")
public final class RunMain implements Callable<Integer> {
  private static final java.util.regex.Pattern RUN_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

  @Parameters(arity = "0..1", paramLabel = "PIPELINE", description = "hourly, daily, maintenance, ... (see --list)")
  String pipeline;

  @Option(names = "--list", description = "print the pipelines, their schedules and jobs, and exit")
  boolean list;

  @Option(names = "--from", paramLabel = "JOB", description = "run JOB and the jobs downstream of it only")
  String from;

  @Option(names = "--only", paramLabel = "JOB", description = "run JOB alone (its dependencies are assumed done)")
  String only;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master for the Spark jobs (spark-submit --master), e.g. spark://127.0.0.1:7077")
  String master;

  @Option(names = "--submit-each", description = "run each Spark job in its own spark-submit, as Airflow's tasks do;"
      + " the pipeline otherwise runs in one Spark application, on the local or the cluster master")
  boolean submitEach;

  @Option(names = "--run-id", paramLabel = "ID", description = "run id given to every job (default: PIPELINE-<UTC time>);"
      + " the same id again resumes: batch jobs skip what that run already finished")
  String runId;

  @Option(names = "--as-of", paramLabel = "YYYY-MM-DD", description = "the day features are computed as of (default: today, UTC)")
  LocalDate asOf;

  @Option(names = "--retries", paramLabel = "N", description = "retries per failed job (default: as declared)")
  Integer retries;

  @Option(names = "--retry-delay", paramLabel = "SECONDS", description = "seconds between attempts (default: as declared)")
  Long retryDelaySeconds;

  private final PrintStream out;
  private final PrintStream err;

  RunMain(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new RunMain(System.out, System.err)).execute(args));
  }

  @Override
  public Integer call() {
    Path home = Path.of(System.getProperty("spoor.home", System.getenv().getOrDefault("SPOOR_HOME", ".")));
    Pipelines pipelines;
    Path varDir;
    try {
      pipelines = Pipelines.fromHome(home);
      varDir = home.resolve(SpoorConfigLoader.load(home).getString("spoor.var-dir"));
    } catch (InvalidConfigException e) {
      err.println("spoor run: " + e.getMessage());
      return 2;
    }
    if (list) {
      pipelines.pipelines().forEach(p -> out.printf("%-12s %-12s %s%n%12s %s%n", p.name(), p.schedule(),
          p.description(), "", String.join(" -> ", PipelineGraph.of(p).order())));
      return 0;
    }
    if (pipeline == null) {
      err.println("spoor run: name a pipeline: " + String.join(", ", pipelines.names()));
      return 2;
    }
    Optional<PipelineSpec> spec = pipelines.pipeline(pipeline);
    if (spec.isEmpty()) {
      err.println("spoor run: no pipeline '" + pipeline + "' in " + pipelines.file() + "; there are "
          + String.join(", ", pipelines.names()));
      return 2;
    }
    String id = runId != null ? runId
        : pipeline + "-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").format(ZonedDateTime.now(ZoneOffset.UTC));
    if (!RUN_ID.matcher(id).matches()) {
      err.println("spoor run: --run-id '" + id + "': expected 1 to 64 letters, digits, '.', '_' or '-'");
      return 2;
    }
    if (retries != null && retries < 0 || retryDelaySeconds != null && retryDelaySeconds < 0) {
      err.println("spoor run: --retries and --retry-delay take a number from 0");
      return 2;
    }
    RunSettings settings = new RunSettings(id, asOf != null ? asOf : LocalDate.now(ZoneOffset.UTC),
        Optional.ofNullable(from), Optional.ofNullable(master),
        retries == null ? OptionalInt.empty() : OptionalInt.of(retries),
        Optional.ofNullable(retryDelaySeconds).map(Duration::ofSeconds),
        varDir.resolve("runs").resolve(pipeline).resolve(id), Optional.ofNullable(only));
    String sparkMaster = master != null ? master : System.getenv().getOrDefault("SPOOR_SPARK_MASTER", "local[2]");
    boolean oneApplication = !submitEach;
    SpoorCliLauncher cli = new SpoorCliLauncher(home);
    List<JobResult> results;
    PipelineRun run;
    try (InProcessLauncher inProcess = oneApplication ? new InProcessLauncher(home, sparkMaster, "spoor-" + pipeline, cli) : null) {
      try {
        run = new PipelineRun(spec.get(), oneApplication ? inProcess : cli, settings, out);
      } catch (IllegalArgumentException e) {
        err.println("spoor run: " + e.getMessage());
        return 2;
      }
      out.println(oneApplication ? "Spark jobs run in this application, one after another (" + sparkMaster
          + "; --submit-each submits each)" : "Spark jobs are submitted one by one (spark-submit --master " + sparkMaster + ")");
      results = run.run();
    }
    out.println();
    out.print(SummaryTable.render(results));
    String hint = run.resumeHint(results);
    if (!hint.isEmpty()) {
      out.println();
      out.println(hint);
      return 1;
    }
    return 0;
  }
}
