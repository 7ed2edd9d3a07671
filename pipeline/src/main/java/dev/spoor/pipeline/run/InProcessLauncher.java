package dev.spoor.pipeline.run;

import dev.spoor.batch.BatchMain;
import dev.spoor.ingest.lander.LanderMain;
import dev.spoor.lake.SparkSessions;
import dev.spoor.report.JobReport;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * The pipeline in one Spark application: {@code land} and the {@code batch} jobs run in this JVM, one
 * after another, in one SparkSession (started at the first of them, stopped by {@link #close}), so a
 * pipeline pays for one JVM and one Spark and Delta start-up instead of one per job. They are the same
 * mains {@code spark-submit} runs ({@link BatchMain#run}, {@link LanderMain#run}), with the same
 * arguments, output (to the job's log) and run records; any other command goes to {@code others}
 * ({@code bin/spoor} in a child process). A job that outlives its timeout has its Spark jobs
 * cancelled and its thread interrupted.
 */
public final class InProcessLauncher implements JobLauncher, AutoCloseable {
  private final Path home;
  private final String master;
  private final String appName;
  private final JobLauncher others;
  private SparkSession spark;

  public InProcessLauncher(Path home, String master, String appName, JobLauncher others) {
    this.home = home;
    this.master = master;
    this.appName = appName;
    this.others = others;
  }

  /** Whether this launcher runs {@code args} itself (the Spark verbs) rather than handing them on. */
  static boolean runsHere(List<String> args) {
    return !args.isEmpty() && (args.get(0).equals("batch") || args.equals(List.of("land")));
  }

  private interface Main {
    int run(SparkSession spark, PrintStream out, JobReport report) throws Exception;
  }

  @Override
  public Attempt launch(String job, List<String> args, Map<String, String> environment, Path log, Duration timeout) {
    if (!runsHere(args)) {
      return others.launch(job, args, environment, log, timeout);
    }
    String[] rest = args.subList(1, args.size()).toArray(String[]::new);
    JobReport report = environment.containsKey(JobReport.ENV) ? JobReport.to(Path.of(environment.get(JobReport.ENV)))
        : JobReport.fromEnvironment();
    Main main = args.get(0).equals("batch")
        ? (session, out, r) -> BatchMain.run(home, rest, session, out, out, r)
        : (session, out, r) -> LanderMain.run(home, rest, session, out, out, r);
    try (PrintStream out = new PrintStream(new FileOutputStream(log.toFile(), true), true, StandardCharsets.UTF_8)) {
      out.println("== " + String.join(" ", args) + " (in the pipeline's Spark application, " + master + ")");
      ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "job-" + job));
      SparkSession session = session();
      Future<Integer> status = thread.submit(() -> {
        // The job's thread is new: Spark's (and Delta's) code that asks for "the active session" must
        // find the pipeline's, not depend on a default another job may have cleared.
        SparkSession.setActiveSession(session);
        return main.run(session, out, report);
      });
      try {
        int exit = status.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return exit == 0 ? Attempt.succeeded() : new Attempt(exit, "exited with status " + exit);
      } catch (TimeoutException e) {
        session.sparkContext().cancelAllJobs();
        for (StreamingQuery query : session.streams().active()) {
          try {
            query.stop();
          } catch (TimeoutException stopping) {
            out.println("could not stop query " + query.name() + ": " + stopping.getMessage());
          }
        }
        status.cancel(true);
        return new Attempt(-1, "timed out after " + timeout.toMinutes() + " min");
      } catch (ExecutionException e) {
        e.getCause().printStackTrace(out);
        return new Attempt(1, "failed: " + e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        session.sparkContext().cancelAllJobs();
        status.cancel(true);
        return new Attempt(-1, "interrupted");
      } finally {
        thread.shutdownNow();
      }
    } catch (IOException e) {
      return new Attempt(-1, "cannot write " + log + ": " + e.getMessage());
    }
  }

  private synchronized SparkSession session() {
    if (spark == null) {
      spark = SparkSessions.forJob(appName, master, 8);
    }
    return spark;
  }

  @Override
  public synchronized void close() {
    if (spark != null) {
      spark.stop();
      spark = null;
    }
  }
}
