package dev.spoor.demo;

import com.typesafe.config.Config;
import dev.spoor.batch.config.BatchConfig;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.demo.shop.DemoTruth;
import dev.spoor.demo.shop.UserTruth;
import dev.spoor.demo.verify.Check;
import dev.spoor.demo.verify.SpeedChecks;
import dev.spoor.demo.verify.TopicRecord;
import dev.spoor.demo.verify.Verifier;
import dev.spoor.lake.LakeSettings;
import dev.spoor.lake.SparkSessions;
import dev.spoor.speed.config.SpeedConfig;
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
 * {@code bin/spoor verify [--truth FILE]}: compares the lake, the state store and every speed rule's
 * outputs with the truth a demo run recorded, and prints a pass/fail table with the first
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
      checks.addAll(speedChecks(config, home, spark, verifier, truth, file.resolveSibling("offsets.json")));
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

  /**
   * Every speed rule's outputs for the live tail: the good topic's and the output topics' records
   * after the offsets the demo recorded before it sent the tail ({@code offsets.json}).
   */
  private static List<Check> speedChecks(Config config, Path home, SparkSession spark, Verifier verifier, DemoTruth truth,
      Path offsetsFile) throws java.io.IOException {
    var offsets = Files.isRegularFile(offsetsFile) ? new com.fasterxml.jackson.databind.ObjectMapper().readTree(offsetsFile.toFile())
        : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    if (!offsets.has("good")) {
      return List.of(new Check("speed rules: outputs for the live tail", truth.tail().size(), 0,
          List.of(offsetsFile + " does not say where the live tail starts (a demo of an earlier Spoor); run bin/spoor demo again")));
    }
    SpeedConfig speed = SpeedConfig.from(config, home);
    KafkaTopics kafka = new KafkaTopics(speed.kafka());
    List<TopicRecord> input = kafka.recordsAfter(speed.goodTopic(), partitions(offsets.path("good")));
    List<TopicRecord> outputs = new ArrayList<>();
    for (String topic : speed.outputTopics()) {
      outputs.addAll(kafka.recordsAfter(topic, partitions(offsets.path("outputs").path(topic))));
    }
    return new SpeedChecks(spark, speed).checks(truth, verifier.trueStates(truth), input, outputs);
  }

  private static Map<Integer, Long> partitions(com.fasterxml.jackson.databind.JsonNode node) {
    Map<Integer, Long> from = new java.util.HashMap<>();
    node.fields().forEachRemaining(p -> from.put(Integer.parseInt(p.getKey()), p.getValue().asLong()));
    return from;
  }
}
