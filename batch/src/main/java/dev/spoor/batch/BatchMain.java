package dev.spoor.batch;

import dev.spoor.batch.clean.CleanJob;
import dev.spoor.batch.config.BatchConfig;
import dev.spoor.batch.features.FeaturesJob;
import dev.spoor.batch.funnel.FunnelDailyJob;
import dev.spoor.batch.funnel.FunnelsJob;
import dev.spoor.batch.publish.PublishJob;
import dev.spoor.batch.publish.PublishSettings;
import dev.spoor.batch.run.BatchJob;
import dev.spoor.batch.run.BatchRuns;
import dev.spoor.batch.run.JobRunner;
import dev.spoor.batch.run.RunOptions;
import dev.spoor.batch.score.ScoreJob;
import dev.spoor.batch.segment.SegmentsJob;
import dev.spoor.batch.session.SessionizeJob;
import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.lake.LakeSettings;
import dev.spoor.state.StateStoreUnavailableException;
import dev.spoor.state.config.StateStoreConfig;
import dev.spoor.lake.SparkSessions;
import dev.spoor.lake.TrinoRegistry;
import dev.spoor.report.JobReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The batch layer's {@code spark-submit} main: {@code BatchMain JOB [--run-id ID] [--as-of DATE]
 * [--full]}, JOB one of clean, sessionize, funnels, features, score, segments, publish. {@code bin/spoor batch
 * JOB …} runs it through Spark's own {@code SparkSubmit} entry point; on a cluster, submit the same jar
 * with {@code --class dev.spoor.batch.BatchMain}.
 */
public final class BatchMain {
  private static final int SHUFFLE_PARTITIONS = 8;

  private BatchMain() {}

  /** The jobs behind each verb, in the order they run ({@code funnels} also writes {@code funnel_daily}). */
  public static Map<String, List<BatchJob>> jobs(BatchConfig config) {
    Map<String, List<BatchJob>> jobs = new LinkedHashMap<>();
    jobs.put("clean", List.of(new CleanJob()));
    jobs.put("sessionize", List.of(new SessionizeJob(config.sessionInactivity())));
    jobs.put("funnels", List.of(new FunnelsJob(config.funnels(), config.properties()),
        new FunnelDailyJob(config.funnels())));
    jobs.put("features", List.of(new FeaturesJob(config.features(), config.properties())));
    jobs.put("score", List.of(new ScoreJob(config.scorecard())));
    jobs.put("segments", List.of(new SegmentsJob(config.segments())));
    return jobs;
  }

  public static void main(String[] args) {
    Path home = Path.of(System.getProperty("spoor.home", System.getenv().getOrDefault("SPOOR_HOME", ".")));
    System.exit(run(home, args, null, System.out, System.err, JobReport.fromEnvironment()));
  }

  /**
   * Runs one verb and returns its exit status (0, 1 when HBase is unreachable, 2 for a usage or
   * configuration error). In a session of its own (stopped at the end) when
   * {@code shared} is null; in {@code shared}, left running, when the pipeline runner runs a whole
   * pipeline in one application.
   */
  public static int run(Path home, String[] args, SparkSession shared, PrintStream out, PrintStream err,
      JobReport report) {
    BatchConfig config;
    StateStoreConfig state;
    PublishSettings publish;
    Map<String, List<BatchJob>> jobs;
    RunOptions options;
    LakeSettings lake;
    try {
      com.typesafe.config.Config loaded = SpoorConfigLoader.load(home);
      config = BatchConfig.from(loaded, home);
      lake = LakeSettings.from(loaded);
      state = StateStoreConfig.from(loaded);
      publish = PublishSettings.from(loaded, home);
      jobs = jobs(config);
      java.util.Set<String> verbs = new java.util.LinkedHashSet<>(jobs.keySet());
      verbs.add("publish");
      options = RunOptions.parse(args, verbs);
    } catch (InvalidConfigException | RunOptions.UsageException e) {
      err.println("spoor batch: " + e.getMessage()
          + "\nusage: bin/spoor batch JOB [--run-id ID] [--as-of YYYY-MM-DD] [--full]");
      return 2;
    }
    SparkSession spark = shared != null ? shared : SparkSessions.forJob("spoor-batch-" + options.job(), config.master(),
        SHUFFLE_PARTITIONS);
    spark.conf().set("spark.sql.shuffle.partitions", SHUFFLE_PARTITIONS);
    JobRunner runner = new JobRunner(spark, config.lakeRoot(), lake.archiveRoot(), out);
    Map<String, String> outputs = new LinkedHashMap<>();
    int status = 0;
    try {
      if (options.job().equals("publish")) {
        long started = System.nanoTime();
        PublishJob.Outcome outcome = new PublishJob(spark, config.lakeRoot(), state, publish, out).run(options);
        out.printf("publish (run %s, %s, %s): %s; version %d, %d users written in %.1f s%n", options.runId(),
            outcome.mode(), outcome.writer(), outcome.status(), outcome.version(), outcome.users(),
            (System.nanoTime() - started) / 1e9);
        report.record("publish", outcome.status().toString(), outcome.users(),
            "version " + outcome.version() + ", " + outcome.writer());
      }
      for (BatchJob job : jobs.getOrDefault(options.job(), List.of())) {
        long started = System.nanoTime();
        RunOptions jobOptions = new RunOptions(job.name(), options.runId(), options.asOf(), options.full());
        JobRunner.Outcome outcome = runner.run(job, jobOptions);
        out.printf("%s (run %s, %s): %s; %d rows written to %s (+%d ~%d -%d) in %.1f s%n", job.name(),
            options.runId(), outcome.mode(), outcome.status(), outcome.rows(), job.output(),
            outcome.changes().inserted(), outcome.changes().updated(), outcome.changes().deleted(),
            (System.nanoTime() - started) / 1e9);
        report.record(job.name(), outcome.status().toString(), outcome.rows(), outcome.mode() + " -> " + job.output());
        outputs.put(job.output(), config.lakeRoot() + "/" + job.output());
      }
    } catch (InvalidConfigException e) {
      err.println("spoor batch: " + e.getMessage());
      status = 2;
    } catch (StateStoreUnavailableException e) {
      err.println("spoor batch: " + e.getMessage() + " (is HBase up? bin/spoor up hbase)");
      status = 1;
    }
    if (shared == null) {
      spark.stop();
    }
    outputs.put(BatchRuns.TABLE, config.lakeRoot() + "/" + BatchRuns.TABLE);
    registerInTrino(lake, outputs, out);
    return status;
  }

  /** Makes the outputs (and the run log) queryable in Trino; a Trino that is down is not a failed job. */
  private static void registerInTrino(LakeSettings settings, Map<String, String> tables, PrintStream out) {
    try {
      var registered = new TrinoRegistry(settings).register(tables);
      if (!registered.isEmpty()) {
        out.println("registered in Trino as " + settings.trinoCatalog() + "." + settings.trinoSchema() + ": "
            + registered);
      }
    } catch (java.sql.SQLException e) {
      out.println("not registered in Trino (" + e.getMessage() + "); run 'bin/spoor lake register' once it can be");
    }
  }
}
