package dev.spoor.batch.funnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spoor.lake.PropertiesSchema;
import dev.spoor.testing.spark.SparkExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/spoor funnels try}: input checks that name file and line, and the printed levels. */
@ExtendWith(SparkExtension.class)
class FunnelTryMainTest {
  @TempDir
  Path dir;

  private Path file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private static final String SPEC = """
      funnels {
        signup { window = 10m, steps = [{ where = "event_name = 'page_view'" }, { where = "event_name = 'signup'" }] }
      }
      """;

  @Test
  void badEventLinesAreReportedWithFileAndLine() throws IOException {
    Path events = file("e.jsonl", """
        {"event_id":"1","user_id":"u","event_name":"page_view","derived_tstamp":"2026-11-20T10:00:00Z"}

        {"event_id":"2","event_name":"page_view","derived_tstamp":"2026-11-20T10:00:00Z"}
        [1, 2]
        {"event_id":"3","user_id":"u","event_name":"x","derived_tstamp":"noon"}
        {"event_id":"4","user_id":"u","event_name":"x"
        """);

    assertThatThrownBy(() -> FunnelTryMain.events(events))
        .hasMessageContaining("e.jsonl:3: missing user_id (or domain_userid)")
        .hasMessageContaining("e.jsonl:4: expected a JSON object per line")
        .hasMessageContaining("e.jsonl:5: derived_tstamp 'noon' is not an ISO-8601 instant")
        .hasMessageContaining("e.jsonl:6: not JSON")
        .hasMessageNotContaining("e.jsonl:1:");
  }

  @Test
  void aBadSpecNamesTheFileAndTheKey() throws IOException {
    assertThatThrownBy(() -> FunnelTryMain.specs(file("bad.conf", "funnels { signup { window = soon, steps = [] } }")))
        .hasMessageContaining("bad.conf").hasMessageContaining("window");
    assertThatThrownBy(() -> FunnelTryMain.specs(file("unclosed.conf", "funnels { signup {")))
        .hasMessageContaining("unclosed.conf");
    assertThatThrownBy(() -> FunnelTryMain.specs(dir.resolve("missing.conf"))).hasMessageContaining("no such file");
  }

  @Test
  void everyUserIsPrintedWithTheLevelReached(SparkSession spark) throws IOException {
    List<FunnelSpec> specs = FunnelTryMain.specs(file("s.conf", SPEC));
    List<String> lines = FunnelTryMain.events(file("e.jsonl", """
        {"event_id":"1","user_id":"ann","event_name":"page_view","derived_tstamp":"2026-11-20T10:00:00Z"}
        {"event_id":"2","user_id":"ann","event_name":"signup","collector_tstamp":"2026-11-20T10:09:00Z"}
        {"event_id":"3","domain_userid":"cookie-7","event_name":"page_view","derived_tstamp":"2026-11-20T10:00:00Z"}
        {"event_id":"4","domain_userid":"cookie-7","event_name":"signup","derived_tstamp":"2026-11-20T10:11:00Z"}
        {"event_id":"5","user_id":"zed","event_name":"signup","derived_tstamp":"2026-11-20T10:00:00Z"}
        """));

    List<Row> rows = FunnelTryMain.evaluate(spark, specs, lines, PropertiesSchema.fromSchemas(Path.of("..", "conf", "schemas")));
    ByteArrayOutputStream jsonl = new ByteArrayOutputStream();
    FunnelTryMain.print(rows, "jsonl", new PrintStream(jsonl, true, StandardCharsets.UTF_8));
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    FunnelTryMain.print(rows, "table", new PrintStream(table, true, StandardCharsets.UTF_8));

    assertThat(jsonl.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
        "{\"user_id\":\"ann\",\"funnel\":\"signup\",\"level\":2,\"step_times\":[\"2026-11-20T10:00:00Z\",\"2026-11-20T10:09:00Z\"]}",
        "{\"user_id\":\"cookie-7\",\"funnel\":\"signup\",\"level\":1,\"step_times\":[\"2026-11-20T10:00:00Z\"]}",
        "{\"user_id\":\"zed\",\"funnel\":\"signup\",\"level\":0,\"step_times\":[]}");
    assertThat(table.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
        "user_id   funnel  level  step_times",
        "ann       signup      2  2026-11-20T10:00:00Z → 2026-11-20T10:09:00Z",
        "cookie-7  signup      1  2026-11-20T10:00:00Z",
        "zed       signup      0");
  }
}
