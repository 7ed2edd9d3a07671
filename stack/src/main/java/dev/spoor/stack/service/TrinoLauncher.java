package dev.spoor.stack.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.stack.StackException;
import dev.spoor.stack.config.TrinoSettings;
import dev.spoor.stack.process.JavaCommand;
import dev.spoor.stack.process.LaunchPlan;
import dev.spoor.stack.runtime.TrinoDistribution;
import dev.spoor.stack.runtime.TrinoJdk;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A single Trino node (coordinator that also runs tasks) with one catalog, {@code delta_lake} over the
 * local lake and a file metastore, read-only for everyone but Spoor's registrar ({@link TrinoSecurity}). Trino runs on its own JDK (24+, {@link TrinoJdk}) and is
 * started as a plain JVM rather than through {@code bin/launcher}, so the stack owns its pid and log.
 */
public final class TrinoLauncher implements ServiceLauncher {
  private static final String MAIN = "io.trino.server.TrinoServer";
  /** Where the machine's JDKs are (Debian's and Temurin's packages). */
  public static final Path MACHINE_JDKS = Path.of("/usr/lib/jvm");

  private final TrinoSettings settings;
  private final Path dir;
  private final java.util.Optional<Path> localLakeRoot;
  private final Map<String, String> objectStore;
  private final TrinoDistribution distribution;
  private final Path cacheDir;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  public TrinoLauncher(TrinoSettings settings, Path dir, java.util.Optional<Path> localLakeRoot,
      Map<String, String> objectStore, TrinoDistribution distribution, Path cacheDir) {
    this.settings = settings;
    this.cacheDir = cacheDir;
    this.dir = dir;
    this.localLakeRoot = localLakeRoot;
    this.objectStore = Map.copyOf(objectStore);
    this.distribution = distribution;
  }

  @Override
  public String name() {
    return "trino";
  }

  @Override
  public String processMarker() {
    return MAIN;
  }

  @Override
  public List<ServicePort> ports() {
    return List.of(new ServicePort("http", settings.host(), settings.port()),
        new ServicePort("https", settings.host(), settings.httpsPort()));
  }

  @Override
  public Duration startTimeout() {
    return settings.startTimeout();
  }

  @Override
  public LaunchPlan prepare() {
    Path javaHome = TrinoJdk.installed(settings.javaHome(), MACHINE_JDKS, cacheDir, settings.jdk4pyVersion()).javaHome();
    Path install = distribution.ensureInstalled();
    Path etc = ConfigFiles.directory(dir.resolve("etc"));
    Path data = ConfigFiles.directory(dir.resolve("data"));
    Path metastore = ConfigFiles.directory(dir.resolve("metastore"));
    localLakeRoot.ifPresent(ConfigFiles::directory);
    Map<String, String> config = new LinkedHashMap<>();
    config.put("coordinator", "true");
    config.put("node-scheduler.include-coordinator", "true");
    config.put("http-server.http.port", Integer.toString(settings.port()));
    config.put("discovery.uri", settings.httpUrl());
    config.put("node.internal-address", settings.host());
    config.put("catalog.config-dir", etc.resolve("catalog").toString());
    config.put("plugin.dir", install.resolve("plugin").toString());
    // A query may use 40 % of the heap; big windows, joins and aggregations spill to disk beyond it.
    long queryMemoryMb = Math.max(128, settings.heapBytes() * 4 / 10 / (1024 * 1024));
    config.put("query.max-memory", queryMemoryMb + "MB");
    config.put("query.max-memory-per-node", queryMemoryMb + "MB");
    config.put("spill-enabled", "true");
    config.put("spiller-spill-path", ConfigFiles.directory(dir.resolve("spill")).toString());
    config.put("max-spill-per-node", "20GB");
    config.put("query-max-spill-per-node", "20GB");
    config.putAll(new TrinoSecurity(etc, settings.host(), settings.catalog(), settings.registrar())
        .write(settings.httpsPort()));
    Path configFile = ConfigFiles.properties(etc.resolve("config.properties"), config);
    ConfigFiles.properties(etc.resolve("catalog").resolve(settings.catalog() + ".properties"),
        catalogProperties(metastore));
    Path logLevels = ConfigFiles.properties(etc.resolve("log.properties"),
        Map.of("io.trino", "INFO", "io.airlift", "WARN"));
    List<String> command = JavaCommand.of(javaHome, MAIN)
        .heap(settings.heapBytes())
        .option("-XX:+UseG1GC")
        .option("-XX:+ExitOnOutOfMemoryError")
        .option("-Djdk.attach.allowAttachSelf=true")
        .option("--enable-native-access=ALL-UNNAMED")
        // Node properties are system properties, as Trino's own launcher passes them.
        .property("node.environment", "spoor")
        .property("node.id", "spoor-local")
        .property("node.data-dir", data.toString())
        .property("node.bind-ip", settings.host())
        .property("log.enable-console", "true")
        .property("config", configFile.toString())
        .property("log.levels-file", logLevels.toString())
        .classpath(install.resolve("lib") + "/*")
        .build();
    return new LaunchPlan(command, Map.of(), install);
  }

  Map<String, String> catalogProperties(Path metastore) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("connector.name", "delta_lake");
    p.put("hive.metastore", "file");
    p.put("hive.metastore.catalog.dir", "local://" + metastore);
    p.put("fs.native-local.enabled", "true");
    p.put("local.location", "/");
    // A lake on hdfs:// (the NameNode in each location's URI: nothing else to configure).
    p.put("fs.hadoop.enabled", "true");
    // A lake on s3a:// in the local object store (Trino's own S3 file system takes s3:// and s3a://).
    p.putAll(objectStore);
    p.put("delta.register-table-procedure.enabled", "true");
    return p;
  }

  @Override
  public boolean isHealthy() {
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create(settings.httpUrl() + "/v1/info"))
              .timeout(Duration.ofSeconds(3)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return false;
      }
      JsonNode info = new ObjectMapper().readTree(response.body());
      return info.has("starting") && !info.get("starting").asBoolean(true);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return false;
    }
  }

  /** The oldest JDK feature release this Trino runs on. */
}
