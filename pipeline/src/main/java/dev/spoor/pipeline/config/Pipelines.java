package dev.spoor.pipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.Settings;
import dev.spoor.pipeline.graph.PipelineGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The pipelines of {@code conf/pipelines.json} (or the file in {@value #ENV}), read and validated as a
 * whole at start-up: unique names, known dependencies, no cycles, known placeholders. Every problem is
 * an {@link InvalidConfigException} naming the key (e.g. {@code pipelines[1].jobs[2].depends-on}).
 */
public record Pipelines(Path file, List<PipelineSpec> pipelines) {
  public static final String ENV = "SPOOR_PIPELINES";
  static final String KEY = "pipelines";

  public Pipelines {
    pipelines = List.copyOf(pipelines);
  }

  /** {@code $SPOOR_PIPELINES}, or {@code conf/pipelines.json} under the Spoor home. */
  public static Pipelines fromHome(Path home) {
    String override = System.getenv(ENV);
    return read(override == null || override.isBlank() ? home.resolve("conf/pipelines.json") : Path.of(override));
  }

  public static Pipelines read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidConfigException(file.toString(), "no such file");
    }
    Config config;
    try {
      config = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON)
          .setAllowMissing(false)).resolve();
    } catch (ConfigException e) {
      throw new InvalidConfigException(file.toString(), "not valid JSON: " + e.getMessage());
    }
    return new Pipelines(file, parse(config));
  }

  static List<PipelineSpec> parse(Config config) {
    // Errors name keys from the file: "pipelines.json".pipelines[1].jobs[2].depends-on
    String file = "\"pipelines.json\"";
    Settings root = Settings.of(ConfigFactory.empty().withValue(file, config.root()), file);
    List<PipelineSpec> specs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Settings p : root.sectionList(KEY)) {
      String name = name(p, "name");
      if (!names.add(name)) {
        throw new InvalidConfigException(p.full("name"), name, "a pipeline name used once");
      }
      int retries = p.integer("retries", 0, 20);
      List<JobSpec> jobs = new ArrayList<>();
      Set<String> jobNames = new HashSet<>();
      for (Settings j : p.sectionList("jobs")) {
        String jobName = name(j, "name");
        if (!jobNames.add(jobName)) {
          throw new InvalidConfigException(j.full("name"), jobName, "a job name used once in pipeline " + name);
        }
        List<String> command = j.stringList("command");
        if (command.isEmpty()) {
          throw new InvalidConfigException(j.full("command"), "[]", "a bin/spoor command such as [\"batch\", \"clean\"]");
        }
        JobSpec job = new JobSpec(jobName, command, j.has("depends-on") ? j.stringList("depends-on") : List.of(),
            j.has("spark") && j.bool("spark"), j.has("retries") ? j.integer("retries", 0, 20) : retries);
        if (!job.unknownPlaceholders().isEmpty()) {
          throw new InvalidConfigException(j.full("command"), command,
              "placeholders among " + JobSpec.PLACEHOLDERS + ", not " + job.unknownPlaceholders());
        }
        jobs.add(job);
      }
      if (jobs.isEmpty()) {
        throw new InvalidConfigException(p.full("jobs"), "[]", "at least one job");
      }
      for (int i = 0; i < jobs.size(); i++) {
        for (String dependency : jobs.get(i).dependsOn()) {
          if (!jobNames.contains(dependency)) {
            throw new InvalidConfigException(p.full("jobs") + "[" + i + "].depends-on", dependency,
                "one of the pipeline's jobs " + jobs.stream().map(JobSpec::name).toList());
          }
        }
      }
      PipelineSpec spec = new PipelineSpec(name, p.has("description") ? p.string("description") : "",
          p.string("schedule"), date(p, "start-date"), p.bool("catchup"),
          p.has("max-active-runs") ? p.integer("max-active-runs", 1, 100) : 1, retries, p.duration("retry-delay"),
          p.duration("timeout"), jobs);
      PipelineGraph.of(spec).cycle().ifPresent(cycle -> {
        throw new InvalidConfigException(p.full("jobs"), cycle, "dependencies without a cycle");
      });
      specs.add(spec);
    }
    return specs;
  }

  public Optional<PipelineSpec> pipeline(String name) {
    return pipelines.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  public List<String> names() {
    return pipelines.stream().map(PipelineSpec::name).toList();
  }

  private static String name(Settings s, String key) {
    String value = s.string(key);
    if (!value.matches("[a-z][a-z0-9_]{0,39}")) {
      throw new InvalidConfigException(s.full(key), value, "a lower-case name (letters, digits, _)");
    }
    return value;
  }

  private static LocalDate date(Settings s, String key) {
    String value = s.string(key);
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidConfigException(s.full(key), value, "a date such as 2026-11-01");
    }
  }
}
