package dev.spoor.batch;

import dev.spoor.batch.clean.CleanJob;
import dev.spoor.batch.run.BatchJob;
import dev.spoor.batch.run.JobRunner;
import dev.spoor.batch.run.RunOptions;
import dev.spoor.batch.session.SessionizeJob;
import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.Settings;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.batch.run.BatchRuns;
import dev.spoor.lake.LakePaths;
import dev.spoor.lake.LakeSettings;
import dev.spoor.lake.TrinoRegistry;
import dev.spoor.lake.SparkSessions;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The batch layer's {@code spark-submit} main: {@code BatchMain JOB [--run-id ID] [--as-of DATE]
 * [--full]}. {@code bin/spoor batch JOB …} runs it through Spark's own {@code SparkSubmit} entry point;
 * on a cluster, submit the same jar with {@code --class dev.spoor.batch.BatchMain}.
 */
public final class BatchMain {
  private BatchMain() {}

  static Map<String, BatchJob> jobs(Config config) {
    Settings batch = Settings.of(config, "spoor.batch");
    Map<String, BatchJob> jobs = new LinkedHashMap<>();
    jobs.put("clean", new CleanJob());
    jobs.put("sessionize", new SessionizeJob(batch.duration("session-inactivity")));
    return jobs;
  }

  public static void main(String[] args) {
    Path home = Path.of(System.getProperty("spoor.home", System.getenv().getOrDefault("SPOOR_HOME", ".")));
    Map<String, BatchJob> jobs;
    RunOptions options;
    String lakeRoot;
    String master;
    try {
      Config config = SpoorConfigLoader.load(home);
      jobs = jobs(config);
      options = RunOptions.parse(args, jobs.keySet());
      lakeRoot = LakePaths.location(config.getString("spoor.lake.root"), home);
      master = config.getString("spoor.batch.master");
    } catch (InvalidConfigException | RunOptions.UsageException e) {
      System.err.println("spoor batch: " + e.getMessage()
          + "\nusage: bin/spoor batch JOB [--run-id ID] [--as-of YYYY-MM-DD] [--full]");
      System.exit(2);
      return;
    }
    SparkSession spark = SparkSessions.forJob("spoor-batch-" + options.job(), master, 8);
    long started = System.nanoTime();
    long rows = new JobRunner(spark, lakeRoot).run(jobs.get(options.job()), options);
    System.out.printf("%s (run %s): %d rows written to %s in %.1f s%n", options.job(), options.runId(), rows,
        jobs.get(options.job()).output(), (System.nanoTime() - started) / 1e9);
    spark.stop();
    registerInTrino(home, lakeRoot, jobs.get(options.job()).output());
  }

  /** Makes the output (and the run log) queryable in Trino; a Trino that is down is not a failed job. */
  private static void registerInTrino(Path home, String lakeRoot, String output) {
    try {
      LakeSettings settings = LakeSettings.from(SpoorConfigLoader.load(home));
      Map<String, String> tables = new LinkedHashMap<>();
      tables.put(output, lakeRoot + "/" + output);
      tables.put(BatchRuns.TABLE, lakeRoot + "/" + BatchRuns.TABLE);
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
