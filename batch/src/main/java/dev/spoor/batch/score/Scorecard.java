package dev.spoor.batch.score;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.spoor.config.InvalidConfigException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A credit-style scorecard ({@code spoor.batch.scorecard}): each feature's value falls into a bin
 * worth some points; the score is {@code base} plus every feature's points, clamped to
 * {@code [min, max]}. A feature's bins are tried in order: the first whose {@code below} exceeds the
 * value wins, the last bin has no {@code below} and takes the rest; a missing (null) value scores
 * {@code missing}. Reason codes explain a score: for each feature, the points it cost (its best bin's
 * points minus the points it got); the {@code reasons} costliest features (ties: declaration order)
 * with a positive cost are the user's reason codes.
 *
 * <pre>
 * scorecard {
 *   base = 600, min = 300, max = 850, reasons = 3
 *   features = [
 *     { feature = recency_days, code = R01, reason = "not seen recently", missing = -80,
 *       bins = [{ below = 7, points = 70 }, { below = 30, points = 10 }, { points = -60 }] }
 *   ]
 * }
 * </pre>
 */
public record Scorecard(int base, int min, int max, int reasons, List<Feature> features) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One bin: values below {@code below} (null: any value) score {@code points}. */
  public record Bin(Double below, int points) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** One scored feature with its reason code and text. */
  public record Feature(String feature, String code, String reason, int missing, List<Bin> bins) implements Serializable {
    private static final long serialVersionUID = 1L;

    public int points(Double value) {
      if (value == null) {
        return missing;
      }
      for (Bin bin : bins) {
        if (bin.below() == null || value < bin.below()) {
          return bin.points();
        }
      }
      throw new IllegalStateException("the last bin of " + feature + " takes every value");
    }

    public int best() {
      return Math.max(missing, bins.stream().mapToInt(Bin::points).max().orElseThrow());
    }
  }

  /** A user's score and the reason codes and texts that explain it, costliest first. */
  public record Score(int score, Map<String, Integer> points, List<String> codes, List<String> reasons) {}

  public Scorecard {
    features = List.copyOf(features);
  }

  /** Scores one user's feature values (absent or null: missing). The reference the Spark job is tested against. */
  public Score score(Map<String, Double> values) {
    int total = base;
    Map<String, Integer> points = new java.util.LinkedHashMap<>();
    record Cost(int order, int cost, Feature feature) {}
    List<Cost> costs = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      Feature f = features.get(i);
      int p = f.points(values.get(f.feature()));
      points.put(f.feature(), p);
      total += p;
      costs.add(new Cost(i, f.best() - p, f));
    }
    List<Cost> top = costs.stream().filter(c -> c.cost() > 0)
        .sorted(Comparator.comparingInt(Cost::cost).reversed().thenComparingInt(Cost::order))
        .limit(reasons).toList();
    return new Score(Math.max(min, Math.min(max, total)), points,
        top.stream().map(c -> c.feature().code()).toList(), top.stream().map(c -> c.feature().reason()).toList());
  }

  public static Scorecard parse(Config card, String path) {
    try {
      int base = card.getInt("base");
      int min = card.getInt("min");
      int max = card.getInt("max");
      if (min >= max) {
        throw new InvalidConfigException(path + ".min", min + " .. " + max, "min below max");
      }
      int reasons = card.getInt("reasons");
      if (reasons < 0 || reasons > 10) {
        throw new InvalidConfigException(path + ".reasons", reasons, "0 to 10");
      }
      List<Feature> features = new ArrayList<>();
      List<? extends Config> declared = card.getConfigList("features");
      for (int i = 0; i < declared.size(); i++) {
        features.add(feature(declared.get(i), path + ".features[" + i + "]"));
      }
      if (features.isEmpty()) {
        throw new InvalidConfigException(path + ".features", "[]", "at least one feature");
      }
      return new Scorecard(base, min, max, reasons, features);
    } catch (ConfigException e) {
      throw new InvalidConfigException(path, e.getMessage());
    }
  }

  private static Feature feature(Config f, String path) {
    List<Bin> bins = new ArrayList<>();
    List<? extends Config> declared = f.getConfigList("bins");
    Double previous = null;
    for (int i = 0; i < declared.size(); i++) {
      Config bin = declared.get(i);
      boolean last = i == declared.size() - 1;
      Double below = bin.hasPath("below") ? bin.getDouble("below") : null;
      if (last != (below == null)) {
        throw new InvalidConfigException(path + ".bins[" + i + "]", bin.root().render(),
            last ? "no 'below' on the last bin (it takes every remaining value)" : "a 'below' bound (only the last bin has none)");
      }
      if (below != null && previous != null && below <= previous) {
        throw new InvalidConfigException(path + ".bins[" + i + "].below", below, "bounds in increasing order (previous " + previous + ")");
      }
      previous = below;
      bins.add(new Bin(below, bin.getInt("points")));
    }
    if (bins.isEmpty()) {
      throw new InvalidConfigException(path + ".bins", "[]", "at least one bin");
    }
    String feature = f.getString("feature");
    return new Feature(feature, f.getString("code"), f.getString("reason"), f.getInt("missing"), bins);
  }
}
