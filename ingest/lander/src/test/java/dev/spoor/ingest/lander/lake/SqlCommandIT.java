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
}
