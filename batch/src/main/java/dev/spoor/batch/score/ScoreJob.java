package dev.spoor.batch.score;

import dev.spoor.batch.run.BatchJob;
import dev.spoor.batch.run.RunOptions;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The {@code score} job: {@code user_features} → {@code user_scores} (see {@link UserScores}), scoped by user. */
public final class ScoreJob implements BatchJob {
  private final Scorecard card;

  public ScoreJob(Scorecard card) {
    this.card = card;
  }

  @Override
  public Tables tables() {
    return Tables.perUser("score", List.of("user_features"), "user_scores");
  }

  @Override
  public Dataset<Row> compute(Map<String, Dataset<Row>> inputs, RunOptions options) {
    return UserScores.scores(inputs.get("user_features"), card);
  }
}
