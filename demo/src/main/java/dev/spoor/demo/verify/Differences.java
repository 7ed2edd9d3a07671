package dev.spoor.demo.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** Key-by-key comparison of expected and actual values, as readable lines ("user-0003: expected 3, got 2"). */
final class Differences {
  private Differences() {}

  static <V> List<String> of(Map<String, V> expected, Map<String, V> actual) {
    List<String> lines = new ArrayList<>();
    TreeSet<String> keys = new TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    for (String key : keys) {
      V e = expected.get(key);
      V a = actual.get(key);
      if (!Objects.equals(e, a)) {
        lines.add(key + ": expected " + (e == null ? "nothing" : e) + ", got " + (a == null ? "nothing" : a));
      }
    }
    return lines;
  }
}
