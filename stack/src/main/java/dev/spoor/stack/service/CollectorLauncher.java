package dev.spoor.stack.service;

import dev.spoor.stack.StackException;
import dev.spoor.stack.config.CollectorSettings;
import dev.spoor.stack.process.JavaCommand;
import dev.spoor.stack.process.LaunchPlan;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Spoor's own HTTP collector as a service of the local stack, run from the build
 * ({@code ingest/collector/target}). It depends on Kafka, and is healthy when its {@code /health}
 * says Kafka is reachable.
 */
public final class CollectorLauncher implements ServiceLauncher {
  private static final String MAIN = "dev.spoor.ingest.collector.CollectorMain";

  private final CollectorSettings settings;
  private final Path dir;
  private final Path home;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public CollectorLauncher(CollectorSettings settings, Path dir, Path home) {
    this.settings = settings;
    this.dir = dir;
    this.home = home;
  }

  @Override
  public String name() {
    return "collector";
  }

  @Override
  public String processMarker() {
    return MAIN;
  }

  @Override
  public List<ServicePort> ports() {
    return List.of(new ServicePort("http", settings.host(), settings.port()));
  }

  @Override
  public Duration startTimeout() {
    return settings.startTimeout();
  }

  @Override
  public List<String> dependsOn() {
    return List.of("kafka");
  }

  @Override
  public LaunchPlan prepare() {
    Path target = home.resolve("ingest/collector/target");
    Path classpathFile = target.resolve("classpath.txt");
    Path jar;
    try (Stream<Path> files = Files.list(target)) {
      jar = files.filter(p -> p.getFileName().toString().matches("spoor-ingest-collector-.*\\.jar"))
          .filter(p -> !p.getFileName().toString().endsWith("-tests.jar"))
          .findFirst().orElseThrow(() -> new IOException("no collector jar"));
    } catch (IOException e) {
      throw new StackException("the collector is not built (" + target + " has no jar); run: mvn -B -DskipTests package");
    }
    String classpath;
    try {
      classpath = jar + ":" + Files.readString(classpathFile).trim();
    } catch (IOException e) {
      throw new StackException("the collector's classpath is missing (" + classpathFile + "); run: mvn -B -DskipTests package");
    }
    Path log4j = ConfigFiles.log4j2(dir.resolve("log4j2.properties"),
        Map.of("org.apache.kafka", "WARN", "io.undertow", "WARN", "org.xnio", "WARN", "nl.basjes", "WARN"));
    List<String> command = JavaCommand.of(JavaCommand.currentJavaHome(), MAIN)
        .heap(settings.heapBytes())
        .option("-XX:+UseG1GC")
        .property("log4j2.configurationFile", log4j.toString())
        .property("spoor.home", home.toString())
        .classpath(classpath)
        .build();
    return new LaunchPlan(command, Map.of("SPOOR_HOME", home.toString()), dir);
  }

  @Override
  public boolean isHealthy() {
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(settings.url() + "/health"))
          .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
