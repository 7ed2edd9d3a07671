package dev.spoor.demo;

import com.typesafe.config.Config;
import dev.spoor.batch.config.BatchConfig;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.demo.shop.DemoTruth;
import dev.spoor.demo.shop.UserTruth;
import dev.spoor.demo.verify.Check;
import dev.spoor.demo.verify.Verifier;
import dev.spoor.lake.LakeSettings;
import dev.spoor.lake.SparkSessions;
import dev.spoor.state.StateStoreUnavailableException;
import dev.spoor.state.config.StateStoreConfig;
import dev.spoor.state.read.StateReader;
import dev.spoor.state.view.UserState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/spoor verify [--truth FILE]}: compares the lake, the state store and the speed layer's
 * notifications with the truth a demo run recorded, and prints a pass/fail table with the first
 * differences of each check. Exit status 0 when every check passes, 1 otherwise, 2 when there is no
 * truth to compare with.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Compare every output of the last demo run with the generator's truth.")
public final class VerifyMain implements Callable<Integer> {
  private static final int SHOWN = 5;

  @Option(names = "--truth", paramLabel = "FILE", description = "truth file (default: var/demo/truth.json)")
  Path truthFile;

  public static void main(String[] args) {
    System.exit(new CommandLine(new VerifyMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path home = Path.of(System.getProperty("spoor.home", System.getenv().getOrDefault("SPOOR_HOME", "."))).toAbsolutePath();
    Config config = SpoorConfigLoader.load(home);
    Path file = truthFile != null ? truthFile : home.resolve(config.getString("spoor.var-dir")).resolve("demo/truth.json");
    if (!Files.isRegularFile(file)) {
      System.err.println("spoor verify: no truth at " + file + "; run bin/spoor demo first");
      return 2;
    }
    DemoTruth truth = DemoTruth.read(file);
    SparkSession spark = SparkSessions.forJob("spoor-verify", "local[2]", 4);
    Verifier verifier = new Verifier(spark, LakeSettings.from(config).lakeRoot(), BatchConfig.from(config, home));
    List<Check> checks = new ArrayList<>(verifier.lakeChecks(truth));
    StateStoreConfig state = StateStoreConfig.from(config);
    try (Connection connection = ConnectionFactory.createConnection(state.hbase())) {
      StateReader reader = new StateReader(connection, state);
      Map<String, UserState> published = reader.getAll(truth.users().stream().map(UserTruth::user).toList());
      checks.add(verifier.state(truth, published));
    } catch (StateStoreUnavailableException e) {
      checks.add(new Check("state store: published score and segments", truth.users().size(), 0,
          List.of("the state store is unreachable: " + e.getMessage())));
    }
    if (!truth.tail().isEmpty()) {
      Path offsets = file.resolveSibling("offsets.json");
      Map<Integer, Long> from = Files.isRegularFile(offsets) ? notificationOffsets(offsets) : Map.of();
      String topic = config.getString("spoor.speed.topics.notifications");
      List<Map<String, String>> notifications = new KafkaTopics(config.getString("spoor.kafka.bootstrap-servers"))
          .jsonRecordsAfter(topic, from);
      checks.add(verifier.notifications(truth, notifications, vipScore(config), "at_risk"));
    }
    spark.stop();
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("CHECK", "RESULT", "EXPECTED", "ACTUAL", "DIFFERENCES"));
    boolean passed = true;
    for (Check check : checks) {
      passed &= check.passed();
      List<String> shown = check.differences().subList(0, Math.min(SHOWN, check.differences().size()));
      String more = check.differences().size() > SHOWN ? " (+" + (check.differences().size() - SHOWN) + " more)" : "";
      rows.add(List.of(check.name(), check.passed() ? "PASS" : "FAIL", Long.toString(check.expected()),
          Long.toString(check.actual()), check.passed() ? "" : String.join("; ", shown) + more));
    }
    System.out.println("verify: " + truth.users().size() + " users of " + truth.prefix() + "* against " + file);
    TextTable.print(System.out, rows);
    System.out.println(passed ? "verify: PASS, every output equals the truth" : "verify: FAIL");
    return passed ? 0 : 1;
  }

  private static Map<Integer, Long> notificationOffsets(Path offsets) throws java.io.IOException {
    var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(offsets.toFile()).path("notifications");
    Map<Integer, Long> from = new java.util.HashMap<>();
    node.fields().forEachRemaining(topic -> topic.getValue().fields().forEachRemaining(p ->
        from.put(Integer.parseInt(p.getKey()), p.getValue().asLong())));
    return from;
  }

  /** The score threshold of the vip_cart rule ("state.score >= N" in its condition). */
  private static int vipScore(Config config) {
    String when = config.getString("spoor.speed.rules.vip_cart.when");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("state\\.score\\s*>=\\s*(\\d+)").matcher(when);
    if (!m.find()) {
      throw new IllegalStateException("the vip_cart rule has no 'state.score >= N': " + when);
    }
    return Integer.parseInt(m.group(1));
  }
}
