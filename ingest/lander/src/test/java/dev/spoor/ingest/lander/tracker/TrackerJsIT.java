package dev.spoor.ingest.lander.tracker;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.stack.testing.SpoorCommand;
import dev.spoor.stack.testing.TestCollector;
import dev.spoor.stack.testing.TestStackConfig;
import dev.spoor.stack.testing.TestTraffic;
import dev.spoor.stack.testing.UsesLocalStack;
import dev.spoor.testing.spark.SparkExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * spoor.js end to end: headless Chromium (Debian's, driven by {@code e2e/drive.mjs} through
 * playwright-core) on a test shop page of its own origin, sending through the real collector (another
 * origin: CORS, the write key in the body) to Kafka, landed by the lander. The page browses (a page
 * view, a History API navigation, page pings), clicks a link and a button, submits a form, throws, logs
 * in; then the collector answers 503 with Retry-After, then refuses connections, while the page tracks
 * more and is reloaded with events still queued; then the collector is back. Every event the page
 * produced is in {@code events} exactly once, with its fields (names, user and device ids, page URL,
 * device time and a derived time that undoes the delay), and none is a bad row.
 */
@UsesLocalStack({"kafka"})
@ExtendWith(SparkExtension.class)
class TrackerJsIT {
  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("SPOOR_CHROMIUM", "/usr/bin/chromium"));

  @TempDir
  Path dir;

  private static JsonNode drive(Path tracker, ShopSite site, Path log) throws Exception {
    Process process = new ProcessBuilder("node", "e2e/drive.mjs", site.pageUrl(), site.controlUrl())
        .directory(tracker.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(process.waitFor(6, TimeUnit.MINUTES)).as("the driver finished; see " + log).isTrue();
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    return new ObjectMapper().readTree(output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
  }

  @Test
  void everyEventThePageProducedLandsExactlyOnceWithItsFields(SparkSession spark) throws Exception {
    assertThat(CHROMIUM).as("Chromium for the browser test; install it with: bash ingest/tracker-js/e2e/chromium.sh")
        .isExecutable();
    Path home = TestStackConfig.home();
    Path tracker = home.resolve("ingest/tracker-js");
    String run = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = new HashMap<>();
    env.put("SPOOR_TOPIC_GOOD", "it.tracker.good." + run);
    env.put("SPOOR_TOPIC_BAD", "it.tracker.bad." + run);
    env.put("SPOOR_LAKE_ROOT", dir.resolve("lake").toString());
    env.put("SPOOR_CHECKPOINT_DIR", dir.resolve("checkpoints").toString());
    env.put("SPOOR_TRINO_SCHEMA", "tracker_" + run);
    TestTraffic.createTopics(Map.of(env.get("SPOOR_TOPIC_GOOD"), 2, env.get("SPOOR_TOPIC_BAD"), 1));

    JsonNode page;
    try (ShopSite site = ShopSite.start(tracker)) {
      // The collector admits the site's origin (and no other): a site configuration over conf/spoor.conf.
      Path conf = dir.resolve("site.conf");
      Files.writeString(conf, "include file(\"" + home.resolve("conf/spoor.conf") + "\")\n"
          + "spoor.collector.allowed-origins = [\"" + site.origin() + "\"]\n");
      env.put("SPOOR_CONF", conf.toString());
      try (TestCollector collector = TestCollector.start(env, dir.resolve("collector.log"))) {
        site.forwardTo(collector.base());
        page = drive(tracker, site, dir.resolve("drive.log"));
      }
    }
    assertThat(page.path("errors")).as("the tracker reported nothing refused, dropped or unknown").isEmpty();
    assertThat(page.path("rejections")).as("the collector's answers: no event rejected").isEmpty();
    assertThat(page.path("queued_at_reload").asInt()).as("events were still queued when the page reloaded").isPositive();

    SpoorCommand.Result landed = SpoorCommand.run(env, Duration.ofMinutes(5), "land");
    assertThat(landed.exitCode()).as(landed.output()).isZero();
    Dataset<Row> events = spark.read().format("delta").load(dir.resolve("lake/events").toString())
        .filter(col("domain_userid").equalTo(page.path("domain_userid").asText())).cache();

    Map<String, Long> byName = new TreeMap<>();
    for (Row r : events.groupBy("event_name").count().collectAsList()) {
      byName.put(r.getString(0), r.getLong(1));
    }
    System.out.println("TrackerJsIT: the page did " + page + "; events by name " + byName);
    assertThat(byName.remove("page_ping")).as("page pings while the user was active").isPositive();
    assertThat(byName).isEqualTo(Map.of("page_view", 3L, "element_click", 2L, "add_to_cart", 1L,
        "form_submit", 1L, "js_error", 1L, "product_view", (long) page.path("product_views").asInt()));
    long total = events.count();
    assertThat(events.select("event_id").distinct().count()).as("each event exactly once").isEqualTo(total);
    assertThat(events.select("domain_sessionid").distinct().count()).as("one session").isEqualTo(1);
    assertThat(events.filter(col("app_id").notEqual("shop").or(col("platform").notEqual("web"))).count()).isZero();

    // Logged in from identify() on, across the reload; the link and the button as clicked.
    assertThat(events.filter("event_name = 'product_view' and user_id = 'alice@example.com'").count())
        .isEqualTo(page.path("product_views").asInt());
    assertThat(events.filter("event_name = 'add_to_cart' and user_id is null").count()).isEqualTo(1);
    List<Row> clicks = events.filter("event_name = 'element_click'")
        .selectExpr("get_json_object(properties, '$.element_id')", "page_url").orderBy("derived_tstamp").collectAsList();
    assertThat(clicks).extracting(r -> r.getString(0)).containsExactly("nav-shoes", "add");
    assertThat(clicks.get(1).getString(1)).as("after the History API navigation").contains("/shop/shoes");
    assertThat(events.filter("event_name = 'add_to_cart'").selectExpr("get_json_object(properties, '$.sku')")
        .first().getString(0)).isEqualTo("sku-1");
    assertThat(events.filter("event_name = 'form_submit'")
        .selectExpr("get_json_object(properties, '$.field_names')").first().getString(0))
        .isEqualTo("[\"email\",\"consent\"]");

    // Delayed events keep their device time: derived = collector - (sent - created) undoes the wait.
    assertThat(events.filter("unix_millis(collector_tstamp) - unix_millis(dvce_created_tstamp) >= 2000").count())
        .as("events that waited out the outage").isPositive();
    assertThat(events.filter("abs(unix_millis(derived_tstamp) - unix_millis(dvce_created_tstamp)) > 1000").count())
        .as("derived time off the device time").isZero();

    Path bad = dir.resolve("lake/bad_events");
    assertThat(Files.exists(bad) ? spark.read().format("delta").load(bad.toString()).count() : 0).as("no bad rows")
        .isZero();
  }
}
