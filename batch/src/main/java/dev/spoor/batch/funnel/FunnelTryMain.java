package dev.spoor.batch.funnel;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import dev.spoor.batch.event.EventView;
import dev.spoor.lake.PropertiesSchema;
import dev.spoor.batch.run.UserKey;
import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.Settings;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.lake.LakeTables;
import dev.spoor.lake.SparkSessions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * {@code bin/spoor funnels try --spec FILE --events FILE.jsonl [--format table|jsonl]}: evaluates a
 * funnel spec (a HOCON file with a {@code funnels { … }} section, as in {@code conf/spoor.conf}) on a
 * JSON-lines file of events with the code the {@code funnels} job runs, and prints each user's level
 * per funnel (users who never reach step 1 show level 0). Events need {@code event_id},
 * {@code event_name}, {@code derived_tstamp} (or {@code collector_tstamp}) and {@code user_id} (or
 * {@code domain_userid}); {@code properties} may be an object.
 */
public final class FunnelTryMain {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USAGE =
      "usage: bin/spoor funnels try --spec FILE --events FILE.jsonl [--format table|jsonl]";

  /** A problem with the command's input; the message names the file (and line). */
  static final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InputException(String message) {
      super(message);
    }
  }

  record Options(Path spec, Path events, String format) {
    static Options parse(String[] args) {
      if (args.length == 0 || !args[0].equals("try")) {
        throw new InputException("funnels takes the verb 'try'");
      }
      Path spec = null;
      Path events = null;
      String format = "table";
      for (int i = 1; i < args.length; i++) {
        String arg = args[i];
        if (i + 1 >= args.length) {
          throw new InputException(arg + (arg.startsWith("--") ? " needs a value" : ": unexpected argument"));
        }
        switch (arg) {
          case "--spec" -> spec = Path.of(args[++i]);
          case "--events" -> events = Path.of(args[++i]);
          case "--format" -> {
            format = args[++i];
            if (!format.equals("table") && !format.equals("jsonl")) {
              throw new InputException("--format " + format + ": expected table or jsonl");
            }
          }
          default -> throw new InputException("unknown argument '" + arg + "'");
        }
      }
      if (spec == null || events == null) {
        throw new InputException("--spec and --events are both needed");
      }
      return new Options(spec, events, format);
    }
  }

  public static void main(String[] args) {
    Path home = Path.of(System.getProperty("spoor.home", System.getenv().getOrDefault("SPOOR_HOME", ".")));
    Options options;
    List<FunnelSpec> specs;
    List<String> lines;
    StructType properties;
    try {
      options = Options.parse(args);
      specs = specs(options.spec());
      lines = events(options.events());
      properties = PropertiesSchema.fromSchemas(Settings.of(SpoorConfigLoader.load(home), "spoor.ingest")
          .path("schemas-dir", home));
    } catch (InputException | InvalidConfigException e) {
      System.err.println("spoor funnels: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    SparkSession spark = SparkSessions.forJob("spoor-funnels-try", "local[2]", 2);
    int status = 0;
    try {
      List<Row> result = evaluate(spark, specs, lines, properties);
      print(result, options.format(), System.out);
    } catch (InvalidConfigException e) {
      System.err.println("spoor funnels: " + options.spec() + ": " + e.getMessage());
      status = 2;
    } finally {
      spark.stop();
    }
    System.exit(status);
  }

  /** The funnels of a spec file: its {@code funnels} section, or the whole file if it has none. */
  static List<FunnelSpec> specs(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InputException(file + ": no such file");
    }
    try {
      Config config = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false))
          .resolve();
      Config funnels = config.hasPath("funnels") ? config.getConfig("funnels") : config;
      List<FunnelSpec> specs = FunnelSpec.parseAll(funnels, "funnels");
      if (specs.isEmpty()) {
        throw new InputException(file + ": declares no funnel");
      }
      return specs;
    } catch (ConfigException e) {
      throw new InputException(e.getMessage());
    } catch (InvalidConfigException e) {
      throw new InputException(file + ": " + e.getMessage());
    }
  }

  /** The event lines of a JSON-lines file, each checked; the first problems are reported by line. */
  static List<String> events(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InputException(file + ": cannot be read (" + e.getMessage() + ")");
    }
    List<String> events = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < lines.size() && problems.size() < 10; i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String problem = problem(line);
      if (problem != null) {
        problems.add(file + ":" + (i + 1) + ": " + problem);
      } else {
        events.add(line);
      }
    }
    if (!problems.isEmpty()) {
      throw new InputException(String.join("\n", problems));
    }
    if (events.isEmpty()) {
      throw new InputException(file + ": no events");
    }
    return events;
  }

  static String problem(String line) {
    JsonNode event;
    try {
      event = JSON.readTree(line);
    } catch (IOException e) {
      return "not JSON (" + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")";
    }
    if (!event.isObject()) {
      return "expected a JSON object per line";
    }
    for (String field : List.of("event_id", "event_name")) {
      if (!event.path(field).isTextual() || event.path(field).asText().isBlank()) {
        return "missing " + field;
      }
    }
    if (!event.path("user_id").isTextual() && !event.path("domain_userid").isTextual()) {
      return "missing user_id (or domain_userid)";
    }
    String time = event.path("derived_tstamp").isTextual() ? "derived_tstamp" : "collector_tstamp";
    if (!event.path(time).isTextual()) {
      return "missing derived_tstamp (or collector_tstamp)";
    }
    try {
      Instant.parse(event.path(time).asText());
    } catch (DateTimeParseException e) {
      return time + " '" + event.path(time).asText() + "' is not an ISO-8601 instant such as 2026-11-20T10:00:00Z";
    }
    JsonNode props = event.path("properties");
    if (!props.isMissingNode() && !props.isNull() && !props.isObject() && !props.isTextual()) {
      return "properties must be an object";
    }
    return null;
  }

  /** Every user's level per funnel, sorted by funnel then user; the same evaluation as the job. */
  static List<Row> evaluate(SparkSession spark, List<FunnelSpec> specs, List<String> lines, StructType properties) {
    Dataset<Row> events = spark.read().schema(LakeTables.EVENT_JSON)
        .json(spark.createDataset(lines, Encoders.STRING()))
        .withColumn("derived_tstamp", coalesce(col("derived_tstamp"), col("collector_tstamp")));
    Dataset<Row> view = EventView.of(events, properties);
    FunnelEvaluation.validate(specs, view, "funnels");
    Dataset<Row> progress = FunnelEvaluation.progress(view, specs);
    Dataset<Row> everyone = view.select(UserKey.COLUMN).distinct()
        .crossJoin(spark.createDataset(specs.stream().map(FunnelSpec::name).toList(), Encoders.STRING()).toDF("funnel"));
    return everyone.join(progress, new String[] {UserKey.COLUMN, "funnel"}, "left")
        .select(col(UserKey.COLUMN).as("user_id"), col("funnel"), coalesce(col("level"), lit(0)).as("level"),
            col("step_times"))
        .orderBy("funnel", "user_id")
        .collectAsList();
  }

  static void print(List<Row> rows, String format, PrintStream out) {
    if (format.equals("jsonl")) {
      for (Row row : rows) {
        ObjectNode json = JSON.createObjectNode();
        json.put("user_id", row.getString(0));
        json.put("funnel", row.getString(1));
        json.put("level", row.getInt(2));
        ArrayNode times = json.putArray("step_times");
        stepTimes(row).forEach(times::add);
        out.println(json);
      }
      return;
    }
    List<String[]> table = new ArrayList<>();
    table.add(new String[] {"user_id", "funnel", "level", "step_times"});
    for (Row row : rows) {
      table.add(new String[] {row.getString(0), row.getString(1), Integer.toString(row.getInt(2)),
          String.join(" → ", stepTimes(row))});
    }
    int[] widths = new int[4];
    for (String[] r : table) {
      for (int i = 0; i < 4; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    }
    for (String[] r : table) {
      out.println(String.format("%-" + widths[0] + "s  %-" + widths[1] + "s  %" + widths[2] + "s  %s", r[0], r[1], r[2], r[3])
          .stripTrailing());
    }
  }

  private static List<String> stepTimes(Row row) {
    if (row.isNullAt(3)) {
      return List.of();
    }
    List<java.sql.Timestamp> times = row.getList(3);
    return times.stream().map(t -> t.toInstant().toString()).toList();
  }

  private FunnelTryMain() {}
}
