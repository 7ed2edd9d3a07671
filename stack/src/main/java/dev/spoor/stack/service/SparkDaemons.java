package dev.spoor.stack.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.stack.config.SparkSettings;
import dev.spoor.stack.process.JavaCommand;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** What the Spark master and worker launchers share: their JVM command, environment and the master's JSON status. */
final class SparkDaemons {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  private SparkDaemons() {}

  static JavaCommand command(Path sparkHome, String main, long heapBytes, Path log4j) {
    return JavaCommand.of(JavaCommand.currentJavaHome(), main)
        .heap(heapBytes)
        .options(JavaCommand.MODULE_OPENINGS)
        .property("log4j2.configurationFile", log4j.toString())
        .property("spark.ui.showConsoleProgress", "false")
        .classpath(sparkHome.resolve("conf") + ":" + sparkHome.resolve("jars") + "/*");
  }

  static Map<String, String> environment(Path sparkHome, SparkSettings settings) {
    return Map.of(
        "SPARK_HOME", sparkHome.toString(),
        // The worker builds executor commands with Spark's launcher, which asks a source tree for the
        // Scala version unless told; an assembled SPARK_HOME has no source tree.
        "SPARK_SCALA_VERSION", "2.13",
        "SPARK_LOCAL_IP", settings.host(),
        "SPARK_MASTER_HOST", settings.host(),
        "JAVA_HOME", JavaCommand.currentJavaHome().toString());
  }

  /** The master's {@code /json} page, if it answers. */
  static Optional<JsonNode> masterStatus(SparkSettings settings) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://" + settings.host() + ":" + settings.masterUiPort() + "/json/"))
              .timeout(Duration.ofSeconds(3)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          ? Optional.of(new ObjectMapper().readTree(response.body()))
          : Optional.empty();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return Optional.empty();
    }
  }
}
