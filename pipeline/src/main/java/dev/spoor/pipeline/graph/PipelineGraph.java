package dev.spoor.pipeline.graph;

import dev.spoor.pipeline.config.JobSpec;
import dev.spoor.pipeline.config.PipelineSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The dependency graph of one pipeline. {@link #order()} is the order the local runner uses: a
 * topological order that, among jobs whose dependencies are done, keeps the order of declaration, so
 * a pipeline declared in the order it should read runs in that order. Immutable.
 */
public final class PipelineGraph {
  private final List<String> declared;
  private final Map<String, List<String>> upstream;

  private PipelineGraph(List<String> declared, Map<String, List<String>> upstream) {
    this.declared = declared;
    this.upstream = upstream;
  }

  public static PipelineGraph of(PipelineSpec spec) {
    Map<String, List<String>> upstream = new LinkedHashMap<>();
    for (JobSpec job : spec.jobs()) {
      upstream.put(job.name(), job.dependsOn());
    }
    return new PipelineGraph(spec.jobNames(), upstream);
  }

  /** The jobs a job depends on directly. */
  public List<String> upstream(String job) {
    return upstream.getOrDefault(job, List.of());
  }

  /** The jobs that depend on {@code job} directly. */
  public List<String> dependants(String job) {
    return declared.stream().filter(j -> upstream(j).contains(job)).toList();
  }

  /** A cycle as "a -> b -> a", if the dependencies have one. */
  public Optional<String> cycle() {
    Map<String, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = done
    for (String job : declared) {
      Deque<String> path = new ArrayDeque<>();
      Optional<String> found = visit(job, state, path);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private Optional<String> visit(String job, Map<String, Integer> state, Deque<String> path) {
    Integer s = state.get(job);
    if (s != null && s == 2) {
      return Optional.empty();
    }
    path.addLast(job);
    if (s != null && s == 1) {
      List<String> names = new ArrayList<>(path);
      return Optional.of(String.join(" -> ", names.subList(names.indexOf(job), names.size())));
    }
    state.put(job, 1);
    for (String dependency : upstream(job)) {
      Optional<String> found = visit(dependency, state, path);
      if (found.isPresent()) {
        return found;
      }
    }
    path.removeLast();
    state.put(job, 2);
    return Optional.empty();
  }

  /** Every job, dependencies first, declaration order among jobs that are ready together. */
  public List<String> order() {
    List<String> order = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    while (order.size() < declared.size()) {
      String next = declared.stream().filter(j -> !done.contains(j) && done.containsAll(upstream(j))).findFirst()
          .orElseThrow(() -> new IllegalStateException("the graph has a cycle: " + cycle().orElse("?")));
      order.add(next);
      done.add(next);
    }
    return order;
  }

  /** {@code job} and every job that depends on it, directly or not, in {@link #order()}. */
  public List<String> fromJob(String job) {
    Set<String> selected = new LinkedHashSet<>();
    selected.add(job);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (String j : declared) {
        if (!selected.contains(j) && upstream(j).stream().anyMatch(selected::contains)) {
          grew |= selected.add(j);
        }
      }
    }
    return order().stream().filter(selected::contains).toList();
  }
}
