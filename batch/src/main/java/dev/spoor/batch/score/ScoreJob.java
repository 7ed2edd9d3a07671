package dev.spoor.batch.score;

import dev.spoor.batch.run.BatchJob;
import dev.spoor.batch.run.RunOptions;
import dev.spoor.batch.run.UserKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The {@code score} job: {@code user_features} → {@code user_scores} (see {@link UserScores}), scoped by user. */
public final class ScoreJob implements BatchJob {
  private final Scorecard card;

  public ScoreJob(Scorecard card) {
    this.card = card;
  }

  @Override
  public String name() {
    return "score";
  }

  @Override
  public List<String> inputs() {
    return List.of("user_features");
  }

  @Override
  public String output() {
    return "user_scores";
  }

  @Override
  public Optional<String> partitionColumn() {
    return Optional.empty();
  }

  @Override
  public List<String> keyColumns() {
    return List.of(UserKey.COLUMN);
  }

  @Override
  public Optional<String> scopeColumn() {
    return Optional.of(UserKey.COLUMN);
  }

  @Override
  public Dataset<Row> compute(Map<String, Dataset<Row>> inputs, RunOptions options) {
    return UserScores.scores(inputs.get("user_features"), card);
  }
}
