package dev.spoor.ingest.lander.view;

import com.typesafe.config.Config;
import dev.spoor.config.InvalidConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A continuous view declared in {@code spoor.lander.views}: a tumbling event-time window, group-by
 * columns, an optional filter, and additive aggregates.
 */
public record ViewSpec(String name, Duration window, List<String> groupBy, Duration allowedLateness, String filter,
    List<Aggregate> aggregates) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern CALL = Pattern.compile("^\\s*([a-z_]+)\\s*\\((.*)\\)\\s*$", Pattern.DOTALL);

  public ViewSpec {
    groupBy = List.copyOf(groupBy);
    aggregates = List.copyOf(aggregates);
  }

  /** The aggregate functions a view may use: each can be combined across micro-batches exactly. */
  public enum Kind { COUNT, SUM, MIN, MAX, APPROX_DISTINCT }

  /** One output column: {@code name = kind(expression)}. */
  public record Aggregate(String name, Kind kind, String expression) {}

  public static List<ViewSpec> from(Config views, String path) {
    List<ViewSpec> specs = new ArrayList<>();
    for (String name : views.root().keySet()) {
      String key = path + "." + name;
      if (!NAME.matcher(name).matches()) {
        throw new InvalidConfigException(key, name, "a lower-case table name");
      }
      Config view = views.getConfig(name);
      List<Aggregate> aggregates = new ArrayList<>();
      Config aggs = view.getConfig("aggregates");
      for (String column : aggs.root().keySet()) {
        String text = aggs.getString(column);
        Matcher m = CALL.matcher(text);
        Kind kind = null;
        if (m.matches()) {
          try {
            kind = Kind.valueOf(m.group(1).toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            kind = null;
          }
        }
        if (kind == null || !NAME.matcher(column).matches()) {
          throw new InvalidConfigException(key + ".aggregates." + column, text,
              "count(*), count(expr), sum(expr), min(expr), max(expr) or approx_distinct(expr)");
        }
        aggregates.add(new Aggregate(column, kind, m.group(2).trim()));
      }
      if (aggregates.isEmpty()) {
        throw new InvalidConfigException(key + ".aggregates", "needs at least one aggregate");
      }
      Duration window = view.getDuration("window");
      if (window.isNegative() || window.isZero() || Duration.ofDays(1).toMillis() % window.toMillis() != 0) {
        throw new InvalidConfigException(key + ".window", window, "a positive duration that divides a day (1m, 5m, 1h…)");
      }
      specs.add(new ViewSpec(name, window, view.getStringList("group-by"), view.getDuration("allowed-lateness"),
          view.hasPath("filter") ? view.getString("filter") : null, aggregates));
    }
    return specs;
  }
}
