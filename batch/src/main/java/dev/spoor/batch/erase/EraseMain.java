package dev.spoor.batch.erase;

import com.typesafe.config.Config;
import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.fault.Failpoints;
import dev.spoor.lake.LakeSettings;
import dev.spoor.lake.SparkSessions;
import dev.spoor.lake.erasure.ErasedIds;
import dev.spoor.lake.erasure.ErasureKey;
import dev.spoor.lake.erasure.ErasureLog;
import dev.spoor.state.config.StateStoreConfig;
import dev.spoor.state.erase.ErasedRegister;
import dev.spoor.state.erase.StateErasure;
import dev.spoor.state.table.StateTables;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bin/spoor erase USER_ID [--purge]} and {@code bin/spoor erase --domain-userid ID [--purge]}:
 * the right to be forgotten. In this order, so that running the same command again finishes an
 * erasure that stopped midway: finds the subject (the user and the devices their events carry),
 * records it in the erasure log by HMAC and in the state store's register (from then on the lander
 * and, within {@code spoor.speed.erased-refresh}, the speed layer drop its events), deletes its rows
 * from the per-user tables and bad rows, its state from HBase (every version, once the speed layer
 * knows), then its events ({@link UserErasure}), purging each table with {@code --purge}. Never prints
 * the ids. Exit status 0 when done (also when there was nothing), 1 when it stopped midway (the state
 * store unreachable, say: run it again), 2 on a usage error.
 */
public final class EraseMain {
  private static final String USAGE = "usage: bin/spoor erase USER_ID [--purge]\n"
      + "       bin/spoor erase --domain-userid DOMAIN_USERID [--purge]\n"
      + "  deletes the user's events (and the anonymous events of the devices they used), bad rows, archived"
      + " events,\n  batch tables and HBase state, after recording the erasure; --purge also removes the older"
      + " file versions,\n  change data and transaction-log entries of the touched tables at once";

  private EraseMain() {}

  private static ErasedRegister.Entry entry(String hmac, String kind, Map<String, java.sql.Timestamp> logged) {
    return new ErasedRegister.Entry(hmac, kind, logged.get(hmac).toInstant());
  }

  public static void main(String[] args) {
    Path home = Path.of(System.getProperty("spoor.home", System.getenv().getOrDefault("SPOOR_HOME", ".")));
    Config config;
    try {
      config = SpoorConfigLoader.load(home);
    } catch (InvalidConfigException e) {
      System.err.println("spoor erase: " + e.getMessage());
      System.exit(2);
      return;
    }
    SparkSession[] started = new SparkSession[1];
    int status = run(List.of(args), config, home, () -> started[0] = SparkSessions.forJob("spoor-erase", "local[2]", 4),
        System.out, System.err);
    if (started[0] != null) {
      started[0].stop();
    }
    System.exit(status);
  }

  /**
   * Runs one erasure with the session {@code spark} gives (asked for only once the arguments and the
   * configuration are valid). Returns the exit status: 0 done, 1 stopped midway, 2 usage or configuration.
   */
  public static int run(List<String> args, Config config, Path home, Supplier<SparkSession> spark, PrintStream out,
      PrintStream err) {
    List<String> rest = new ArrayList<>(args);
    boolean purge = rest.remove("--purge");
    boolean device = rest.remove("--domain-userid");
    if (rest.size() != 1 || rest.get(0).isBlank() || rest.get(0).startsWith("-")) {
      err.println(USAGE);
      return 2;
    }
    String id = rest.get(0);
    LakeSettings lake;
    StateStoreConfig state;
    ErasureKey key;
    Duration speedRefresh;
    try {
      lake = LakeSettings.from(config);
      state = StateStoreConfig.from(config);
      key = ErasureKey.from(config, home);
      speedRefresh = config.getDuration("spoor.speed.erased-refresh");
    } catch (InvalidConfigException e) {
      err.println("spoor erase: " + e.getMessage());
      return 2;
    }
    SparkSession session = spark.get();
    UserErasure erasure = new UserErasure(session, lake);
    UserErasure.Subject subject = device ? new UserErasure.Subject(Set.of(), Set.of(id)) : erasure.ofUser(id);
    ErasureLog.Recorded recorded = ErasureLog.record(session, lake.lakeRoot(), key, subject.users(),
        subject.devices(), Instant.now());
    ErasedIds logged = recorded.log();
    out.printf("recorded in %s by HMAC: %d user id(s), %d domain user id(s) (%d new)%n",
        lake.table(ErasureLog.TABLE), subject.users().size(), subject.devices().size(), recorded.added());
    Map<String, Long> deleted = new LinkedHashMap<>();
    try (Connection connection = ConnectionFactory.createConnection(state.hbase())) {
      List<ErasedRegister.Entry> entries = new ArrayList<>();
      subject.users().forEach(u -> entries.add(entry(key.hmac(u), ErasureLog.USER_ID, logged.users())));
      subject.devices().forEach(d -> entries.add(entry(key.hmac(d), ErasureLog.DOMAIN_USERID, logged.devices())));
      try (Admin admin = connection.getAdmin()) {
        new StateTables(state).init(admin);
      }
      ErasedRegister.record(connection, state, entries);
      deleted.putAll(erasure.eraseFromLake(subject, purge, false));
      // The speed layer drops the subject's events once it has re-read the register: state it recorded
      // before then is deleted now, none is recorded after.
      Instant speedKnows = entries.stream().map(ErasedRegister.Entry::at).max(Instant::compareTo).orElseThrow()
          .plus(speedRefresh);
      Thread.sleep(Math.max(0, Duration.between(Instant.now(), speedKnows).toMillis()));
      int erased = 0;
      for (String stateKey : subject.all()) {
        erased += StateErasure.erase(connection, state, stateKey) ? 1 : 0;
      }
      out.println("state store: " + (erased > 0 ? "the user's state is deleted (every version)"
          : "no state for this user"));
    } catch (IOException | RuntimeException e) {
      return stoppedMidway(err, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return stoppedMidway(err, e);
    }
    // Halting here leaves the events, where a second run finds the devices again and finishes.
    Failpoints.hit("erase.before-events");
    deleted.putAll(erasure.eraseFromLake(subject, purge, true));
    out.printf("%-28s %s%n", "TABLE", "ROWS DELETED");
    deleted.forEach((table, rows) -> out.printf("%-28s %d%n", table, rows));
    out.println(purge ? "purged: no older file version or change data file of these tables holds the rows"
        : "older file versions and change data go with the next `bin/spoor lake vacuum` after "
        + lake.vacuumRetention().toDays() + " days (or erase with --purge)");
    return 0;
  }

  private static int stoppedMidway(PrintStream err, Exception e) {
    err.println("spoor erase: stopped midway (" + e + "); the erasure is recorded and the lander and"
        + " speed layer drop the user's events: run the same command again (once HBase is up, if it was not)");
    return 1;
  }
}
