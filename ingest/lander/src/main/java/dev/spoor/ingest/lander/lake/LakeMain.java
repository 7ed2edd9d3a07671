package dev.spoor.ingest.lander.lake;

import dev.spoor.lake.LakeSettings;
import dev.spoor.lake.TrinoRegistry;

import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.lake.SparkSessions;
import dev.spoor.ingest.lander.config.LanderConfig;
import dev.spoor.lake.LakeTables;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bin/spoor lake register|compact|vacuum|archive --older-than N}: the lake's maintenance verbs,
 * also {@code spark-submit} mains for the weekly maintenance pipeline.
 */
public final class LakeMain {
  private LakeMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      usage("a verb is needed");
    }
    Path home = Path.of(System.getProperty("spoor.home", System.getenv().getOrDefault("SPOOR_HOME", ".")));
    Config config;
    LanderConfig lander;
    LakeSettings settings;
    try {
      config = SpoorConfigLoader.load(home);
      lander = LanderConfig.from(config);
      settings = LakeSettings.from(config);
    } catch (InvalidConfigException e) {
      System.err.println("spoor lake: " + e.getMessage());
      System.exit(2);
      return;
    }
    String verb = args[0];
    switch (verb) {
      case "register" -> {
        try {
          register(settings, lander);
        } catch (java.sql.SQLException e) {
          System.err.println("spoor lake: Trino did not register the tables as " + settings.registrar().user() + " at "
              + settings.registrar().url() + " (spoor.trino.registrar): " + e.getMessage());
          System.exit(1);
        }
      }
      case "compact", "vacuum", "archive" -> {
        SparkSession spark = SparkSessions.forJob("spoor-lake-" + verb, lander.master(), lander.shufflePartitions());
        LakeTables.createIfMissing(spark, lander.lakeRoot());
        LakeMaintenance maintenance = new LakeMaintenance(spark, settings);
        if (verb.equals("compact")) {
          maintenance.compact();
          System.out.println("compacted events and bad_events");
        } else if (verb.equals("vacuum")) {
          List<String> tables = maintenance.vacuum();
          System.out.println("vacuumed " + tables.size() + " tables, files and log entries (retention "
              + settings.vacuumRetention().toHours() + " h): " + String.join(", ", tables));
        } else {
          int days = olderThan(args);
          LakeMaintenance.Archived archived = maintenance.archive(days, LocalDate.now(ZoneOffset.UTC));
          System.out.println("archived " + archived.total() + " events of " + archived.rowsByDate().size()
              + " day(s) older than " + days + " days to " + settings.archived(LakeTables.EVENTS)
              + " (counts verified per day before deleting from the hot table)");
          archived.rowsByDate().forEach((date, rows) -> System.out.println("  " + date + "  " + rows));
        }
        spark.stop();
      }
      default -> usage("unknown verb '" + verb + "'");
    }
  }

  /** Registers every table of the lake (and the archive, once it exists) in Trino. */
  public static void register(LakeSettings settings, LanderConfig lander) throws Exception {
    Map<String, String> tables = tables(settings, lander);
    List<String> registered = new TrinoRegistry(settings).register(tables);
    System.out.println(registered.isEmpty()
        ? "all lake tables are registered in Trino (" + settings.trinoCatalog() + "." + settings.trinoSchema() + ")"
        : "registered in Trino as " + settings.trinoCatalog() + "." + settings.trinoSchema() + ": " + registered);
  }

  /** Every table of the lake that exists: events, bad_events, the continuous views, the archive. */
  public static Map<String, String> tables(LakeSettings settings, LanderConfig lander) {
    Map<String, String> tables = new LinkedHashMap<>();
    tables.put(LakeTables.EVENTS, settings.table(LakeTables.EVENTS));
    tables.put(LakeTables.BAD_EVENTS, settings.table(LakeTables.BAD_EVENTS));
    for (var view : lander.views()) {
      tables.put(view.name(), settings.table(view.name()));
    }
    if (new java.io.File(settings.archived(LakeTables.EVENTS) + "/_delta_log").isDirectory()) {
      tables.put("events_archive", settings.archived(LakeTables.EVENTS));
    }
    // Every other Delta table directly under a local lake root (the batch layer's outputs, batch_runs…).
    java.io.File[] dirs = new java.io.File(settings.lakeRoot()).listFiles(java.io.File::isDirectory);
    if (dirs != null) {
      java.util.Arrays.sort(dirs);
      for (java.io.File dir : dirs) {
        if (!dir.getName().startsWith("_") && new java.io.File(dir, "_delta_log").isDirectory()) {
          tables.putIfAbsent(dir.getName(), dir.getPath());
        }
      }
    }
    tables.values().removeIf(location -> !location.contains("://")
        && !new java.io.File(location + "/_delta_log").isDirectory());
    return tables;
  }

  private static int olderThan(String[] args) {
    for (int i = 1; i < args.length - 1; i++) {
      if (args[i].equals("--older-than")) {
        try {
          int days = Integer.parseInt(args[i + 1]);
          if (days >= 1) {
            return days;
          }
        } catch (NumberFormatException e) {
          // reported below
        }
      }
    }
    usage("archive needs --older-than DAYS (a whole number of days, at least 1)");
    return -1;
  }

  private static void usage(String problem) {
    System.err.println("spoor lake: " + problem + "\nusage: bin/spoor lake register | compact | vacuum | archive --older-than DAYS");
    System.exit(2);
  }
}
