package dev.spoor.batch;

import dev.spoor.batch.clean.CleanJob;
import dev.spoor.batch.config.BatchConfig;
import dev.spoor.batch.features.FeaturesJob;
import dev.spoor.batch.funnel.FunnelDailyJob;
import dev.spoor.batch.funnel.FunnelsJob;
import dev.spoor.batch.publish.PublishJob;
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
    BatchConfig config;
    StateStoreConfig state;
    Map<String, List<BatchJob>> jobs;
    RunOptions options;
    LakeSettings lake;
    try {
      com.typesafe.config.Config loaded = SpoorConfigLoader.load(home);
      config = BatchConfig.from(loaded, home);
      lake = LakeSettings.from(loaded);
      state = StateStoreConfig.from(loaded);
      jobs = jobs(config);
      java.util.Set<String> verbs = new java.util.LinkedHashSet<>(jobs.keySet());
      verbs.add("publish");
      options = RunOptions.parse(args, verbs);
    } catch (InvalidConfigException | RunOptions.UsageException e) {
      System.err.println("spoor batch: " + e.getMessage()
          + "\nusage: bin/spoor batch JOB [--run-id ID] [--as-of YYYY-MM-DD] [--full]");
      System.exit(2);
      return;
    }
    SparkSession spark = SparkSessions.forJob("spoor-batch-" + options.job(), config.master(), 8);
    JobRunner runner = new JobRunner(spark, config.lakeRoot(), lake.archiveRoot(), System.out);
    Map<String, String> outputs = new LinkedHashMap<>();
    JobReport report = JobReport.fromEnvironment();
    int status = 0;
    try {
      if (options.job().equals("publish")) {
        long started = System.nanoTime();
        PublishJob.Outcome outcome = new PublishJob(spark, config.lakeRoot(), state, System.out).run(options);
        System.out.printf("publish (run %s, %s): %s; version %d, %d users written in %.1f s%n", options.runId(),
            outcome.mode(), outcome.status(), outcome.version(), outcome.users(), (System.nanoTime() - started) / 1e9);
        report.record("publish", outcome.status().toString(), outcome.users(), "version " + outcome.version());
      }
      for (BatchJob job : jobs.getOrDefault(options.job(), List.of())) {
        long started = System.nanoTime();
        RunOptions jobOptions = new RunOptions(job.name(), options.runId(), options.asOf(), options.full());
        JobRunner.Outcome outcome = runner.run(job, jobOptions);
        System.out.printf("%s (run %s, %s): %s; %d rows written to %s (+%d ~%d -%d) in %.1f s%n", job.name(),
            options.runId(), outcome.mode(), outcome.status(), outcome.rows(), job.output(),
            outcome.changes().inserted(), outcome.changes().updated(), outcome.changes().deleted(),
            (System.nanoTime() - started) / 1e9);
        report.record(job.name(), outcome.status().toString(), outcome.rows(), outcome.mode() + " -> " + job.output());
        outputs.put(job.output(), config.lakeRoot() + "/" + job.output());
      }
    } catch (InvalidConfigException e) {
      System.err.println("spoor batch: " + e.getMessage());
      status = 2;
    } catch (StateStoreUnavailableException e) {
      System.err.println("spoor batch: " + e.getMessage() + " (is HBase up? bin/spoor up hbase)");
      status = 1;
    }
    spark.stop();
    outputs.put(BatchRuns.TABLE, config.lakeRoot() + "/" + BatchRuns.TABLE);
    registerInTrino(home, outputs);
    System.exit(status);
  }

  /** Makes the outputs (and the run log) queryable in Trino; a Trino that is down is not a failed job. */
  private static void registerInTrino(Path home, Map<String, String> tables) {
    try {
      LakeSettings settings = LakeSettings.from(SpoorConfigLoader.load(home));
      var registered = new TrinoRegistry(settings).register(tables);
      if (!registered.isEmpty()) {
        System.out.println("registered in Trino as " + settings.trinoCatalog() + "." + settings.trinoSchema() + ": "
            + registered);
      }
    } catch (java.sql.SQLException e) {
      System.out.println("Trino is not reachable; run 'bin/spoor lake register' once it is up");
    }
  }
}
