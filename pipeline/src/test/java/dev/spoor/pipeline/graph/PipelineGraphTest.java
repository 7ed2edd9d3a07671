package dev.spoor.pipeline.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.pipeline.config.JobSpec;
import dev.spoor.pipeline.config.PipelineSpec;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineGraphTest {
  static JobSpec job(String name, String... dependsOn) {
    return new JobSpec(name, List.of("batch", name), List.of(dependsOn), true, 0);
  }

  static PipelineSpec pipeline(JobSpec... jobs) {
    return new PipelineSpec("p", "", "@daily", LocalDate.of(2026, 11, 1), false, 1, 0, Duration.ofMinutes(1),
        Duration.ofHours(1), List.of(jobs));
  }

  private static final PipelineSpec DAILY = pipeline(job("sessionize"), job("funnels"),
      job("features", "sessionize", "funnels"), job("score", "features"), job("segments", "score"),
      job("publish", "segments"));

  @Test
  void orderPutsDependenciesFirstAndKeepsDeclarationOrderOtherwise() {
    assertThat(PipelineGraph.of(DAILY).order())
        .containsExactly("sessionize", "funnels", "features", "score", "segments", "publish");
    PipelineSpec declaredBackwards = pipeline(job("c", "b"), job("b", "a"), job("a"), job("z"));
    assertThat(PipelineGraph.of(declaredBackwards).order()).containsExactly("a", "b", "c", "z");
  }

  @Test
  void fromAJobSelectsItAndEverythingDownstream() {
    PipelineGraph graph = PipelineGraph.of(DAILY);
    assertThat(graph.fromJob("funnels")).containsExactly("funnels", "features", "score", "segments", "publish");
    assertThat(graph.fromJob("score")).containsExactly("score", "segments", "publish");
    assertThat(graph.fromJob("publish")).containsExactly("publish");
  }

  @Test
  void dependantsAndUpstreamAreDirectOnly() {
    PipelineGraph graph = PipelineGraph.of(DAILY);
    assertThat(graph.dependants("sessionize")).containsExactly("features");
    assertThat(graph.upstream("features")).containsExactly("sessionize", "funnels");
    assertThat(graph.cycle()).isEmpty();
  }
}
