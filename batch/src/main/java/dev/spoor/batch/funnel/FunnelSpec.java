package dev.spoor.batch.funnel;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import dev.spoor.batch.funnel.WindowFunnel.Mode;
import dev.spoor.config.InvalidConfigException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One funnel as declared in {@code conf/}: ordered steps, each a name and a SQL condition over the
 * event's columns and its properties; a conversion window counted from the first step; ClickHouse
 * {@code windowFunnel} modes; and exclusion conditions (an event matching one ends every chain that is
 * open at that moment; see {@link WindowFunnel}).
 *
 * <pre>
 * checkout {
 *   window = 1h
 *   modes = [strict_increase]
 *   steps = [
 *     { name = viewed, where = "event_name = 'product_view'" }
 *     { name = carted, where = "event_name = 'add_to_cart' AND properties.price > 10" }
 *     { name = bought, where = "event_name = 'purchase'" }
 *   ]
 *   exclude = ["event_name = 'cart_emptied'"]
 * }
 * </pre>
 */
public record FunnelSpec(String name, Duration window, Set<Mode> modes, List<Step> steps, List<String> exclude)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One step: its name (used in {@code funnel_daily}) and its SQL condition. */
  public record Step(String name, String where) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  public FunnelSpec {
    modes = modes.isEmpty() ? EnumSet.noneOf(Mode.class) : EnumSet.copyOf(modes);
    steps = List.copyOf(steps);
    exclude = List.copyOf(exclude);
  }

  public WindowFunnel evaluator() {
    return new WindowFunnel(window.toNanos() / 1000, steps.size(), modes);
  }

  /** Every funnel of a {@code funnels} section ({@code path} names it in error messages). */
  public static List<FunnelSpec> parseAll(Config funnels, String path) {
    List<FunnelSpec> specs = new ArrayList<>();
    for (String name : funnels.root().keySet().stream().sorted().toList()) {
      if (!name.matches("[a-z][a-z0-9_]{0,63}")) {
        throw new InvalidConfigException(path + "." + name, name, "a funnel name of lower-case letters, digits and '_'");
      }
      if (funnels.root().get(name).valueType() != ConfigValueType.OBJECT) {
        throw new InvalidConfigException(path + "." + name, funnels.root().get(name).render(), "a funnel { window, modes, steps, exclude }");
      }
      specs.add(parse(name, funnels.getConfig(name), path + "." + name));
    }
    return specs;
  }

  static FunnelSpec parse(String name, Config funnel, String path) {
    try {
      Duration window = funnel.getDuration("window");
      if (window.isNegative() || window.isZero()) {
        throw new InvalidConfigException(path + ".window", funnel.getString("window"), "a positive duration such as 1h");
      }
      Set<Mode> modes = EnumSet.noneOf(Mode.class);
      for (String mode : funnel.hasPath("modes") ? funnel.getStringList("modes") : List.<String>of()) {
        try {
          modes.add(Mode.valueOf(mode.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new InvalidConfigException(path + ".modes", mode,
              "strict_deduplication, strict_order, strict_increase or strict_once");
        }
      }
      List<Step> steps = new ArrayList<>();
      List<? extends Config> declared = funnel.getConfigList("steps");
      if (declared.isEmpty() || declared.size() > 32) {
        throw new InvalidConfigException(path + ".steps", declared.size() + " steps", "1 to 32 steps");
      }
      for (int i = 0; i < declared.size(); i++) {
        Config step = declared.get(i);
        String where = step.getString("where");
        if (where.isBlank()) {
          throw new InvalidConfigException(path + ".steps[" + i + "].where", "\"\"", "a SQL condition");
        }
        steps.add(new Step(step.hasPath("name") ? step.getString("name") : "step_" + (i + 1), where));
      }
      List<String> exclude = funnel.hasPath("exclude") ? funnel.getStringList("exclude") : List.of();
      return new FunnelSpec(name, window, modes, steps, exclude);
    } catch (ConfigException e) {
      throw new InvalidConfigException(path, e.getMessage());
    }
  }
}
