package dev.spoor.stack.testing;

import com.typesafe.config.Config;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.stack.config.StackConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The configuration of the stack that integration tests start: the checkout's own
 * {@code conf/spoor.conf} with other ports (so a developer's running {@code bin/spoor up} stack is
 * never touched) and a var directory under the root {@code target/}, shared by all modules so that a
 * stack left behind by a killed test run is found and stopped by the next one.
 */
public final class TestStackConfig {
  /** Ports of the test stack (the defaults plus 20000), by environment variable of conf/spoor.conf. */
  static final Map<String, Integer> TEST_PORTS = Map.ofEntries(
      Map.entry("SPOOR_KAFKA_PORT", 29092),
      Map.entry("SPOOR_KAFKA_CONTROLLER_PORT", 29093),
      Map.entry("SPOOR_KAFKA_SECURE_PORT", 29094),
      Map.entry("SPOOR_HDFS_NAMENODE_PORT", 28020),
      Map.entry("SPOOR_HDFS_HTTP_PORT", 29870),
      Map.entry("SPOOR_HDFS_DATANODE_PORT", 29866),
      Map.entry("SPOOR_S3_PORT", 29000),
      Map.entry("SPOOR_HBASE_ZK_PORT", 22181),
      Map.entry("SPOOR_HBASE_MASTER_PORT", 26000),
      Map.entry("SPOOR_HBASE_RS_PORT", 26020),
      Map.entry("SPOOR_TRINO_PORT", 28080),
      Map.entry("SPOOR_TRINO_HTTPS_PORT", 28443),
      Map.entry("SPOOR_SPARK_MASTER_PORT", 27077),
      Map.entry("SPOOR_SPARK_MASTER_UI_PORT", 28090),
      Map.entry("SPOOR_SPARK_WORKER_PORT", 27078),
      Map.entry("SPOOR_SPARK_WORKER_UI_PORT", 28091),
      Map.entry("SPOOR_COLLECTOR_PORT", 28180));

  private TestStackConfig() {}

  /** The Spoor checkout: {@code -Dspoor.home} (set by failsafe) or the nearest parent with bin/spoor. */
  public static Path home() {
    String property = System.getProperty("spoor.home");
    if (property != null && !property.isBlank()) {
      return Path.of(property).toAbsolutePath().normalize();
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("bin/spoor"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the Spoor checkout above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  /**
   * The environment under which {@code bin/spoor} (or any Spoor main) in a subprocess talks to the
   * test stack; the in-process configuration below is loaded from the very same values.
   */
  public static Map<String, String> environment() {
    Map<String, String> env = new java.util.TreeMap<>();
    TEST_PORTS.forEach((name, port) -> env.put(name, Integer.toString(port)));
    env.put("SPOOR_VAR", home().resolve("target/spoor-it").toString());
    // Every bin/spoor a test starts is a short JVM over tiny data: the client JIT alone saves about a
    // fifth of its time on two cores (C2 compiling beside the job). Not a production setting. The client
    // JIT alone reserves 48 MB of code cache, which a whole pipeline in one JVM fills (the JVM then stops
    // compiling and runs on interpreted): the tiered default, 240 MB, instead.
    env.put("SPOOR_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=240m");
    // An erasure waits one refresh of the speed layer's erased set before deleting state: seconds here.
    env.put("SPOOR_SPEED_ERASED_REFRESH", "3s");
    return env;
  }

  /** The loaded configuration of the test stack, with its ports and var directory. */
  public static Config config() {
    return config(Map.of());
  }

  /**
   * The configuration a subprocess of the test stack sees with {@code env} in its environment too
   * (the file named by its {@code SPOOR_CONF}, if any).
   */
  public static Config config(Map<String, String> env) {
    // conf/spoor.conf maps each environment variable to its key; resolve the file against what a
    // subprocess sees: the process environment (HOME, SPOOR_CACHE, ...) with the test stack's on top.
    Map<String, String> all = new java.util.TreeMap<>(environment());
    all.putAll(env);
    return SpoorConfigLoader.loadWithEnvironment(home(), all);
  }

  public static StackConfig stackConfig() {
    return StackConfig.from(config());
  }
}
