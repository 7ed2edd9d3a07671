package dev.spoor.pipeline.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One job of a pipeline: a {@code bin/spoor} command line with {@code {run_id}} and {@code {as_of}}
 * placeholders, the jobs it depends on, whether it is a Spark job submitted with {@code spark-submit}
 * (so it runs on the pipeline's master), and how often a failed attempt is retried.
 */
public record JobSpec(String name, List<String> command, List<String> dependsOn, boolean spark, int retries) {
  /** The placeholders a command may use; anything else in braces is a configuration error. */
  public static final List<String> PLACEHOLDERS = List.of("run_id", "as_of");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");

  public JobSpec {
    command = List.copyOf(command);
    dependsOn = List.copyOf(dependsOn);
  }

  /** The placeholders used by the command that Spoor does not know (empty when all are known). */
  public List<String> unknownPlaceholders() {
    return command.stream().flatMap(arg -> PLACEHOLDER.matcher(arg).results().map(m -> m.group(1)))
        .filter(name -> !PLACEHOLDERS.contains(name)).distinct().toList();
  }

  /** The command with its placeholders filled in from {@code values}. */
  public List<String> render(Map<String, String> values) {
    return command.stream().map(arg -> {
      Matcher m = PLACEHOLDER.matcher(arg);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String value = values.get(m.group(1));
        if (value == null) {
          throw new IllegalArgumentException("no value for {" + m.group(1) + "} in job " + name);
        }
        m.appendReplacement(out, Matcher.quoteReplacement(value));
      }
      return m.appendTail(out).toString();
    }).toList();
  }
}
