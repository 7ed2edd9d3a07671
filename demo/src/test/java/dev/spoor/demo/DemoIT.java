package dev.spoor.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.stack.testing.SpoorCommand;
import dev.spoor.stack.testing.UsesLocalStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/spoor demo} end to end on the test stack (real Kafka, HBase, Trino, the collector as a
 * service, every job its own JVM): a small shop through the Snowplow tracker protocol, the compact batch
 * format and spoor.js in headless Chromium, the hourly and daily
 * pipelines, publish, the speed layer on a live tail, and {@code verify} with exact equality against
 * the generator's truth, with the lander halted between a Delta commit and its checkpoint, every batch
 * job once right after its commit (publish right after its pointer moved), and the speed layer killed
 * mid-tail, each run again; then {@code lake archive --older-than 3}, clean and the daily jobs again,
 * and {@code verify} passes again. The notebooks then execute against Trino over the demo's tables.
 * (That verify says the truth is stale once a later hourly run lands the live tail is
 * {@code TruthIsCurrentTest}'s.)
 */
@UsesLocalStack({"kafka", "hbase", "trino"})
class DemoIT {
  @TempDir
  Path dir;

  @Test
  void theDemoVerifiesExactlyAfterCrashesAtTheDangerousMomentsAndAfterArchiving() throws Exception {
    // A lake, checkpoints and Trino schema of its own (the test stack outlives runs), and a seed from the
    // clock: the users of a run must not share ids with an earlier run whose events are still in Kafka.
    String run = java.util.UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = Map.of("SPOOR_LAKE_ROOT", dir.resolve("lake").toString(),
        "SPOOR_CHECKPOINT_DIR", dir.resolve("checkpoints").toString(), "SPOOR_TRINO_SCHEMA", "demo_" + run, "SPOOR_STATE_NAMESPACE", "demo_" + run);
    SpoorCommand.Result demo = SpoorCommand.run(env, Duration.ofMinutes(15), "demo", "--users", "40", "--days", "8",
        "--tail", "16", "--chaos");

    assertThat(demo.exitCode()).as(demo.output()).isZero();
    assertThat(demo.output())
        .contains("collector: healthy")
        // A quarter of the shop's users browse in headless Chromium with spoor.js; verify below finds
        // each of their events once, with the ids spoor.js gave them.
        .containsPattern("spoor.js in headless Chromium: [1-9]\\d* users' visits, [1-9]\\d* events, every queue delivered")
        .contains("chaos: the lander halted between its second Delta commit and its checkpoint")
        .contains("chaos: halted once at clean.after-commit, and the re-run went on from there")
        .contains("chaos: halted once at publish.after-pointer-move, and the re-run went on from there")
        .containsPattern("chaos: \\d+ tail events decided; kill -9 the speed layer")
        .contains("verify: PASS, every output equals the truth");
    for (String point : List.of("clean.after-commit", "sessionize.after-commit", "funnels.after-commit",
        "features.after-commit", "score.after-commit", "segments.after-commit", "publish.after-pointer-move")) {
      // Each job halted the pipeline's application once at its dangerous moment; the re-run went on.
      assertThat(demo.output()).contains("chaos: halted once at " + point + ", and the re-run went on from there");
    }
    assertThat(demo.output()).contains("Spark jobs run in this application, one after another");
    for (String check : new String[] {"events_clean: each accepted event once", "bad_events: rejections by reason",
        "sessions: one per visit", "funnel_progress: level per user", "user_features: counts",
        "user_scores: scorecard", "user_segments: predicates", "state store: published score and segments",
        "speed input: the live tail's events", "speed rule vip_cart (notify)", "speed rule big_spender_today (notify)",
        "speed rule premium_traffic (route)", "speed rule unknown_users (gate)", "speed rule with_score (decorate)"}) {
      // The rows of verify's table: CHECK, RESULT (PASS or FAIL), EXPECTED, ACTUAL, DIFFERENCES.
      assertThat(demo.output().lines().filter(l -> l.contains(check) && l.matches(".*  (PASS|FAIL)  .*")).findFirst())
          .as(check).hasValueSatisfying(line -> assertThat(line).contains("  PASS  "));
    }
    // Archiving never shrinks the truth: old days moved to the archive, clean and the daily jobs again
    // over what was landed, and every output still equals the truth. (The hourly run starts at clean: its
    // land step would take in the live tail's carts, which the truth describes as after the batch.)
    SpoorCommand.Result archive = SpoorCommand.run(env, Duration.ofMinutes(5), "lake", "archive", "--older-than", "3");
    assertThat(archive.exitCode()).as(archive.output()).isZero();
    for (List<String> pipeline : List.of(List.of("hourly", "--from", "clean"), List.of("daily"))) {
      List<String> args = new java.util.ArrayList<>(List.of("run"));
      args.addAll(pipeline);
      args.addAll(List.of("--run-id", "after-archive-" + run, "--as-of", demoAsOf(demo.output()), "--retries", "0"));
      SpoorCommand.Result after = SpoorCommand.run(env, Duration.ofMinutes(10), args.toArray(String[]::new));
      assertThat(after.exitCode()).as(after.output()).isZero();
    }
    SpoorCommand.Result verify = SpoorCommand.run(env, Duration.ofMinutes(5), "verify");
    assertThat(verify.exitCode()).as(verify.output()).isZero();
    assertThat(verify.output()).contains("verify: PASS, every output equals the truth");

    // The notebooks, executed against Trino over the tables the demo's pipeline produced.
    Path executed = dir.resolve("notebooks");
    SpoorCommand.Result notebooks = SpoorCommand.run(env, Duration.ofMinutes(10), "notebooks", "--out",
        executed.toString());
    assertThat(notebooks.exitCode()).as(notebooks.output()).isZero();
    try (Stream<Path> files = Files.list(executed)) {
      List<Path> outputs = files.filter(f -> f.toString().endsWith(".ipynb")).toList();
      assertThat(outputs).hasSize(3);
      for (Path notebook : outputs) {
        String text = Files.readString(notebook, StandardCharsets.UTF_8);
        assertThat(text).as(notebook + " has plots").contains("\"image/png\"");
        assertThat(text).as(notebook + " has no errors").doesNotContain("\"output_type\": \"error\"");
      }
    }
  }

  /** The day the demo's daily run was as of, from its output ("pipeline daily, run ... (as of 2026-11-21"). */
  private static String demoAsOf(String output) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("pipeline daily, run \\S+ \\(as of (\\d{4}-\\d{2}-\\d{2})")
        .matcher(output);
    assertThat(m.find()).as("the demo printed its daily command").isTrue();
    return m.group(1);
  }
}
