package dev.spoor.demo.verify;

import java.util.List;

/** One comparison of an output with the truth: what was compared, how many items, and the differences. */
public record Check(String name, long expected, long actual, List<String> differences) {
  public Check {
    differences = List.copyOf(differences);
  }

  public boolean passed() {
    return differences.isEmpty();
  }
}
