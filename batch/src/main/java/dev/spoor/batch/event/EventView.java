package dev.spoor.batch.event;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;

import dev.spoor.batch.run.UserKey;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Events as the SQL predicates of funnels and features see them: every event column, {@code user_key},
 * and {@code properties} parsed into a struct (see {@link dev.spoor.lake.PropertiesSchema}), so a condition can say
 * {@code event_name = 'add_to_cart' AND properties.price > 10}.
 */
public final class EventView {
  private EventView() {}

  public static Dataset<Row> of(Dataset<Row> events, StructType properties) {
    return events
        .withColumn("properties", from_json(col("properties"), properties, Map.of("mode", "PERMISSIVE")))
        .withColumn(UserKey.COLUMN, UserKey.ofEvent())
        .filter(col(UserKey.COLUMN).isNotNull());
  }
}
