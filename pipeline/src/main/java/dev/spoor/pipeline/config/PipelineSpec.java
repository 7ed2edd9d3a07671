package dev.spoor.pipeline.config;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A pipeline as declared: its schedule (cron expression or Airflow preset such as {@code @hourly}),
 * the first logical date and whether missed intervals are caught up (for Airflow), the retry policy
 * and timeout of its jobs, and the jobs themselves in declaration order.
 */
public record PipelineSpec(String name, String description, String schedule, LocalDate startDate, boolean catchup,
    int maxActiveRuns, int retries, Duration retryDelay, Duration timeout, List<JobSpec> jobs) {
  public PipelineSpec {
    jobs = List.copyOf(jobs);
  }

  public Optional<JobSpec> job(String jobName) {
    return jobs.stream().filter(j -> j.name().equals(jobName)).findFirst();
  }

  public List<String> jobNames() {
    return jobs.stream().map(JobSpec::name).toList();
  }
}
