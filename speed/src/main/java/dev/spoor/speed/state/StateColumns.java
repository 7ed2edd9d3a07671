package dev.spoor.speed.state;

import dev.spoor.state.read.SpeedView;
import dev.spoor.state.view.UserState;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The {@code state} column rules see: the batch view (score, reason codes, segments, funnel levels,
 * numeric features), the speed view ({@code speed.events}, {@code speed.cart_value},
 * {@code speed.last_event_at}: what the stream saw beyond the batch view, up to and including the event
 * being decided), {@code events} (batch events
 * + speed events), {@code version} and {@code known} (false for a user the batch view does not hold).
 */
public final class StateColumns {
  public static final StructType SPEED = new StructType()
      .add("events", DataTypes.LongType, false)
      .add("cart_value", DataTypes.DoubleType, false)
      .add("last_event_at", DataTypes.TimestampType, true);

  public static final StructType STATE = new StructType()
      .add("known", DataTypes.BooleanType, false)
      .add("version", DataTypes.LongType, true)
      .add("score", DataTypes.IntegerType, true)
      .add("reason_codes", DataTypes.createArrayType(DataTypes.StringType), false)
      .add("segments", DataTypes.createArrayType(DataTypes.StringType), false)
      .add("funnels", DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType), false)
      .add("features", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false)
      .add("speed", SPEED, false)
      .add("events", DataTypes.LongType, false);

  /** Rows of {@code user_key, state}. */
  public static final StructType ROWS = new StructType()
      .add("user_key", DataTypes.StringType, false)
      .add("state", STATE, false);

  private StateColumns() {}

  /** The {@code state} struct of a user: the batch view (null: unknown user) and the speed counters. */
  public static Row state(UserState batch, SpeedView.Counters speed) {
    return of(batch).with(speed);
  }

  /** A user's batch view as columns, built once per lookup and shared by the rows of all their events. */
  public static Batch of(UserState batch) {
    return new Batch(batch);
  }

  /** The batch part of a user's {@code state}; {@link #with} adds the counters one event sees. */
  public static final class Batch {
    private final UserState batch;
    private final Object reasonCodes;
    private final Object segments;
    private final Object funnels;
    private final Object features;
    private final long batchEvents;

    private Batch(UserState batch) {
      Map<String, Double> numeric = new HashMap<>();
      if (batch != null) {
        batch.features().forEach((k, v) -> {
          if (v instanceof Number n) {
            numeric.put(k, n.doubleValue());
          }
        });
      }
      this.batch = batch;
      // Scala collections: the row is encoded in the tasks (Encoders.row), which takes Seq and Map, not java.util.
      this.reasonCodes = seq(batch == null ? List.of() : batch.reasonCodes());
      this.segments = seq(batch == null ? List.of() : batch.segments());
      this.funnels = CollectionConverters.asScala(batch == null ? new HashMap<String, Integer>() : new HashMap<>(batch.funnels()));
      this.features = CollectionConverters.asScala(numeric);
      this.batchEvents = numeric.containsKey("events") ? numeric.get("events").longValue() : 0;
    }

    public Row with(SpeedView.Counters speed) {
      SpeedView.Counters s = speed == null ? SpeedView.Counters.NONE : speed;
      Row speedRow = RowFactory.create(s.events(), s.cartValue(), s.lastEventAt() == null ? null : Timestamp.from(s.lastEventAt()));
      return RowFactory.create(batch != null, batch == null ? null : batch.version(), batch == null ? null : batch.score(),
          reasonCodes, segments, funnels, features, speedRow, batchEvents + s.events());
    }
  }

  private static scala.collection.immutable.Seq<String> seq(List<String> values) {
    return CollectionConverters.asScala(new ArrayList<>(values)).toList();
  }
}
