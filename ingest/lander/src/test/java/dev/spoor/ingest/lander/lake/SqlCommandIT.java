package dev.spoor.ingest.lander.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.lake.LakeSettings;
import dev.spoor.lake.TrinoRegistry;
import dev.spoor.stack.testing.SpoorCommand;
import dev.spoor.stack.testing.TestStackConfig;
import dev.spoor.stack.testing.UsesLocalStack;
import dev.spoor.testing.spark.SparkExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/spoor sql} over real Trino: the same rows as Spark on the same Delta table; errors with positions. */
@UsesLocalStack({"trino"})
@ExtendWith(SparkExtension.class)
class SqlCommandIT {
  @TempDir
  Path dir;

  @Test
  void resultsEqualSparksAndErrorsSayWhere(SparkSession spark) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String table = dir.resolve("scores").toString();
    spark.range(50).selectExpr("format_string('u%02d', id) AS user_key", "CAST(300 + id * 11 AS INT) AS score",
        "CASE WHEN id % 5 = 0 THEN 'a, \"quoted\" name' ELSE NULL END AS note").write().format("delta").save(table);
    LakeSettings base = LakeSettings.from(TestStackConfig.config());
    String schema = "it_sql_" + run;
    LakeSettings settings = base.forLake(dir.toString(), schema);
    new TrinoRegistry(settings).register(Map.of("scores", table));
    String from = base.trinoCatalog() + "." + schema + ".scores";

    SpoorCommand.Result csv = SpoorCommand.run(Duration.ofMinutes(2), "sql", "--format", "csv",
        "SELECT user_key, score, note FROM " + from + " WHERE score > 600 ORDER BY user_key");

    assertThat(csv.exitCode()).as(csv.output()).isZero();
    StringBuilder expected = new StringBuilder("user_key,score,note\n");
    for (Row r : spark.read().format("delta").load(table).filter("score > 600").orderBy("user_key").collectAsList()) {
      String note = r.isNullAt(2) ? "" : "\"" + r.getString(2).replace("\"", "\"\"") + "\"";
      expected.append(r.getString(0)).append(',').append(r.getInt(1)).append(',').append(note).append('\n');
    }
    assertThat(csv.output().lines().filter(l -> !l.contains("WARN")).toList())
        .containsExactlyElementsOf(expected.toString().lines().toList());

    SpoorCommand.Result table0 = SpoorCommand.run(Duration.ofMinutes(2), "sql", "SELECT count(*) AS users, max(score) AS top FROM " + from);
    assertThat(table0.output()).contains("users | top", "   50 | 839", "(1 row)");

    Path script = Files.writeString(dir.resolve("q.sql"), "SELECT 1;\n\nSELECT score,\n  nope\nFROM " + from + ";\n");
    SpoorCommand.Result error = SpoorCommand.run(Duration.ofMinutes(2), "sql", "-f", script.toString());
    assertThat(error.exitCode()).isEqualTo(1);
    assertThat(error.output()).contains(script + ":4:3: Column 'nope' cannot be resolved");
    assertThat(List.of(error.output().split("\n"))).as("the first statement ran").anyMatch(l -> l.strip().equals("1"));
  }

  @Test
  void aTrinoThatAuthenticatesIsQueriedWithAPasswordOverVerifiedTlsByConfigurationAlone() throws Exception {
    // The local Trino's HTTPS port authenticates passwords; its registrar is the user that has one.
    dev.spoor.config.TrinoRegistrar registrar = LakeSettings.from(TestStackConfig.config()).registrar();
    String password = registrar.password().read();
    Map<String, String> env = new java.util.HashMap<>(Map.of("SPOOR_TRINO_URL", registrar.url(),
        "SPOOR_TRINO_USER", registrar.user(), "SPOOR_TRINO_TRUST_CERTIFICATE", registrar.trustCertificate().toString()));

    env.put("SPOOR_TRINO_PASSWORD", password);
    SpoorCommand.Result https = SpoorCommand.run(env, Duration.ofMinutes(2), "sql", "--format", "csv",
        "SELECT current_user AS who");
    assertThat(https.exitCode()).as(https.output()).isZero();
    assertThat(https.output().lines().filter(l -> !l.contains("WARN")).toList()).containsExactly("who", registrar.user());

    // The notebooks' helper (Python's trino client, DB-API and pandas) from the same environment.
    assertThat(notebookQuery(env, "SELECT current_user AS who")).isZero();

    env.put("SPOOR_TRINO_PASSWORD", "not-" + password);
    SpoorCommand.Result refused = SpoorCommand.run(env, Duration.ofMinutes(2), "sql", "SELECT 1");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.output()).containsIgnoringCase("authentication failed").doesNotContain(password);
    assertThat(notebookQuery(env, "SELECT 1")).as("a wrong password refused in Python too").isNotZero();
  }

  /** Runs notebooks/spoor_trino.query(sql) in the notebooks' Python environment; its exit status. */
  private int notebookQuery(Map<String, String> env, String sql) throws Exception {
    Path home = TestStackConfig.home();
    Process venv = new ProcessBuilder("bash", home.resolve("python/venv.sh").toString()).start();
    String python = new String(venv.getInputStream().readAllBytes()).strip();
    assertThat(venv.waitFor(15, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
    Path log = dir.resolve("notebook-" + UUID.randomUUID() + ".log");
    ProcessBuilder query = new ProcessBuilder(python, "-c", "import spoor_trino, sys\n"
        + "rows = spoor_trino.query(sys.argv[1]).to_dict('records')\nprint('rows', rows)", sql)
        .redirectErrorStream(true).redirectOutput(log.toFile());
    query.environment().putAll(env);
    query.environment().put("PYTHONPATH", home.resolve("notebooks").toString());
    Process process = query.start();
    assertThat(process.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
    String output = Files.readString(log);
    if (process.exitValue() == 0) {
      assertThat(output).as(output).contains("rows [{'who': '" + env.get("SPOOR_TRINO_USER") + "'}]");
    } else {
      assertThat(output).as(output).contains("Invalid credentials").doesNotContain(env.get("SPOOR_TRINO_PASSWORD"));
    }
    return process.exitValue();
  }
}
