package dev.spoor.batch.segment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import dev.spoor.config.InvalidConfigException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rule-based segments ({@code spoor.batch.segments}): a name and a SQL predicate over a user's
 * features and score, e.g. {@code vip = "score >= 720 AND monetary >= 200"}. A user belongs to every
 * segment whose predicate is true (null counts as false).
 */
public record SegmentRules(Map<String, String> rules) {
  public SegmentRules {
    rules = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rules));
  }

  public static SegmentRules parse(Config segments, String path) {
    Map<String, String> rules = new LinkedHashMap<>();
    for (String name : segments.root().keySet().stream().sorted().toList()) {
      if (!name.matches("[a-z][a-z0-9_]{0,63}")) {
        throw new InvalidConfigException(path + "." + name, name, "a segment name of lower-case letters, digits and '_'");
      }
      if (segments.root().get(name).valueType() != ConfigValueType.STRING) {
        throw new InvalidConfigException(path + "." + name, segments.root().get(name).render(), "a SQL predicate (a string)");
      }
      try {
        rules.put(name, segments.getString(name));
      } catch (ConfigException e) {
        throw new InvalidConfigException(path + "." + name, e.getMessage());
      }
    }
    return new SegmentRules(rules);
  }
}
