package dev.spoor.pipeline.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.pipeline.config.JobSpec;
import dev.spoor.pipeline.config.PipelineSpec;
import dev.spoor.pipeline.config.Pipelines;
import dev.spoor.pipeline.graph.PipelineGraph;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Airflow side of the pipeline graph, with Airflow itself (the project's Airflow environment,
 * {@code python/venv.sh airflow}, installed on first use): its Python suite, which loads
 * {@code airflow/dags} in a real {@code DagBag} in both variants and compares tasks, dependencies,
 * schedule, retries, timeouts and commands with conf/pipelines.json, passes; and the Python reader of
 * that file sees the same graph (order, edges, retries) as the Java runner's. {@code PipelineRunIT}
 * runs the DAGs themselves ({@code airflow dags test}) against the test stack.
 */
class AirflowDagsTest {
  private static final Path HOME = Path.of(System.getProperty("spoor.home", "..")).toAbsolutePath().normalize();

  @TempDir
  static Path airflowHome;

  private record Output(int exit, String text) {}

  private static Output run(List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("python", ".out");
    ProcessBuilder builder = new ProcessBuilder(command).directory(HOME.resolve("airflow").toFile())
        .redirectErrorStream(true).redirectOutput(out.toFile());
    builder.environment().put("AIRFLOW_HOME", airflowHome.toString());
    Process process = builder.start();
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
    String text = Files.readString(out, StandardCharsets.UTF_8);
    Files.delete(out);
    return new Output(process.exitValue(), text);
  }

  private static Output python(String... args) throws IOException, InterruptedException {
    Output venv = run(List.of("bash", HOME.resolve("python/venv.sh").toString(), "airflow"));
    assertThat(venv.exit()).as(venv.text()).isZero();
    List<String> command = new ArrayList<>(List.of(venv.text().lines().reduce((a, b) -> b).orElseThrow()));
    command.addAll(List.of(args));
    return run(command);
  }

  @Test
  void thePythonSuiteOfTheDagsPassesInARealDagBag() throws Exception {
    Output result = python("-m", "unittest", "discover", "-s", "tests", "-t", ".", "-v");
    assertThat(result.exit()).as(result.text()).isZero();
    assertThat(result.text()).contains("test_the_dag_folder_imports_without_errors")
        .contains("test_a_batch_job_is_the_application_jar_with_its_arguments_and_nothing_to_ship")
        .containsPattern("Ran \\d+ tests").endsWith("OK\n");
  }

  @Test
  void pythonAndJavaReadTheSameGraph() throws Exception {
    Output result = python("-m", "spoor_pipelines", HOME.resolve("conf/pipelines.json").toString());
    assertThat(result.exit()).as(result.text()).isZero();
    JsonNode python = new ObjectMapper().readTree(result.text());
    Pipelines java = Pipelines.read(HOME.resolve("conf/pipelines.json"));
    assertThat(iterable(python.fieldNames())).containsExactlyElementsOf(java.names());
    for (PipelineSpec spec : java.pipelines()) {
      JsonNode graph = python.get(spec.name());
      assertThat(strings(graph.get("order"))).as(spec.name()).containsExactlyElementsOf(PipelineGraph.of(spec).order());
      List<String> edges = new ArrayList<>();
      graph.get("edges").forEach(e -> edges.add(e.get(0).asText() + "->" + e.get(1).asText()));
      List<String> javaEdges = new ArrayList<>();
      for (JobSpec job : spec.jobs()) {
        job.dependsOn().forEach(d -> javaEdges.add(d + "->" + job.name()));
      }
      assertThat(edges).as(spec.name()).containsExactlyElementsOf(javaEdges);
      assertThat(graph.get("schedule").asText()).isEqualTo(spec.schedule());
      for (JobSpec job : spec.jobs()) {
        assertThat(graph.get("retries").get(job.name()).asInt()).as(job.name()).isEqualTo(job.retries());
      }
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static List<String> iterable(java.util.Iterator<String> names) {
    List<String> values = new ArrayList<>();
    names.forEachRemaining(values::add);
    return values;
  }
}
