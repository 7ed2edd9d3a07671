package dev.spoor.batch.erase;

import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.lake.Erasures;
import dev.spoor.lake.LakeSettings;
import dev.spoor.lake.SparkSessions;
import dev.spoor.state.config.StateStoreConfig;
import dev.spoor.state.erase.StateErasure;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bin/spoor erase USER_ID [--purge]}: the right to be forgotten. Deletes the user's rows from
 * every lake table (see {@link UserErasure}), their state from HBase (every version), and records the
 * erasure by hash. Prints what it deleted per table. Exit status 0 when done (also when the user had
 * nothing), 1 when the state store could not be reached (the lake part is done; run it again), 2 on
 * a usage error.
 */
public final class EraseMain {
  private EraseMain() {}

  public static void main(String[] args) {
    List<String> rest = new ArrayList<>(List.of(args));
    boolean purge = rest.remove("--purge");
    if (rest.size() != 1 || rest.get(0).isBlank() || rest.get(0).startsWith("-")) {
      System.err.println("usage: bin/spoor erase USER_ID [--purge]\n"
          + "  deletes the user's events, bad rows, archived events, batch tables and HBase state, and records the"
          + " erasure;\n  --purge also vacuums the touched tables at once (no time travel to before the erasure)");
      System.exit(2);
      return;
    }
    String user = rest.get(0);
    Path home = Path.of(System.getProperty("spoor.home", System.getenv().getOrDefault("SPOOR_HOME", ".")));
    LakeSettings lake;
    StateStoreConfig state;
    try {
      var config = SpoorConfigLoader.load(home);
      lake = LakeSettings.from(config);
      state = StateStoreConfig.from(config);
    } catch (InvalidConfigException e) {
      System.err.println("spoor erase: " + e.getMessage());
      System.exit(2);
      return;
    }
    SparkSession spark = SparkSessions.forJob("spoor-erase", "local[2]", 4);
    Instant at = Instant.now();
    UserErasure erasure = new UserErasure(spark, lake);
    Map<String, Long> deleted = erasure.eraseFromLake(user, purge);
    System.out.printf("%-28s %s%n", "TABLE", "ROWS DELETED");
    deleted.forEach((table, rows) -> System.out.printf("%-28s %d%n", table, rows));
    boolean stateErased = false;
    int status = 0;
    try (Connection connection = ConnectionFactory.createConnection(state.hbase())) {
      stateErased = StateErasure.erase(connection, state, user);
      System.out.println("state store: " + (stateErased ? "the user's state is deleted (every version)"
          : "no state for this user"));
    } catch (IOException | RuntimeException e) {
      System.err.println("spoor erase: the state store is unreachable (" + e.getMessage()
          + "); the lake is erased, run the same command again once HBase is up");
      status = 1;
    }
    erasure.record(user, at, deleted, stateErased);
    System.out.println("recorded in " + lake.table(Erasures.TABLE) + " as sha256 " + Erasures.hash(user)
        + (purge ? "; old files vacuumed" : "; old file versions go with the next `bin/spoor lake vacuum` after "
            + lake.vacuumRetention().toDays() + " days (or erase with --purge)"));
    spark.stop();
    System.exit(status);
  }
}
