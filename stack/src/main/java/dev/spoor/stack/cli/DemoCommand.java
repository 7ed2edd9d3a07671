package dev.spoor.stack.cli;

import com.typesafe.config.Config;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.stack.LocalStack;
import dev.spoor.stack.StackException;
import dev.spoor.stack.demo.DemoTraffic;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "demo", description = {
    "Run the pipeline as far as it is built on the local stack: bring Kafka, HBase, Trino and the",
    "collector up, send shop traffic over HTTP (with redeliveries, late and invalid events), land it",
    "into Delta, and query the lake through Trino. The stack stays up afterwards."})
final class DemoCommand implements Callable<Integer> {
  @ParentCommand
  StackCli parent;

  @Spec
  CommandSpec spec;

  @Option(names = "--users", defaultValue = "200", description = "simulated users (default 200)")
  int users;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    LocalStack stack = parent.stack();
    out.println("== 1/4 local stack");
    stack.up(List.of("kafka", "hbase", "trino", "collector"), out::println);

    out.println("== 2/4 traffic → collector (" + stack.config().collector().url() + ")");
    DemoTraffic.Sent sent = new DemoTraffic(stack.config().collector().url()).send(users, System.nanoTime());
    out.printf("sent %d events in %d requests (%d redelivered, %d days late, %d invalid): %d accepted, %d rejected%n",
        sent.events(), sent.requests(), sent.redelivered(), sent.late(), sent.invalid(), sent.accepted(), sent.rejected());
    out.flush();

    out.println("== 3/4 land Kafka → Delta (bin/spoor land)");
    out.flush();
    Process land = new ProcessBuilder(parent.home().resolve("bin/spoor").toString(), "land")
        .directory(parent.home().toFile()).inheritIO().start();
    if (land.waitFor() != 0) {
      throw new StackException("bin/spoor land failed (exit " + land.exitValue() + "); see its output above");
    }

    out.println("== 4/4 query the lake with Trino");
    Config config = SpoorConfigLoader.load(parent.home());
    String where = config.getString("spoor.trino.catalog") + "." + config.getString("spoor.trino.schema");
    Properties props = new Properties();
    props.setProperty("user", config.getString("spoor.trino.user"));
    List<String[]> rows = new ArrayList<>();
    long landed;
    try (Connection trino = DriverManager.getConnection(config.getString("spoor.trino.url"), props);
         Statement statement = trino.createStatement()) {
      rows.add(new String[] {"SELECT count(*) FROM " + where + ".events",
          Long.toString(single(statement, "SELECT count(*) FROM " + where + ".events"))});
      String mine = "user_id LIKE '" + sent.userPrefix() + "%'";
      landed = single(statement, "SELECT count(*) FROM " + where + ".events WHERE " + mine);
      rows.add(new String[] {"  … of this demo run (" + mine + ")", Long.toString(landed)});
      try (ResultSet rs = statement.executeQuery("SELECT event_name, count(*) FROM " + where
          + ".events GROUP BY 1 ORDER BY 2 DESC")) {
        while (rs.next()) {
          rows.add(new String[] {"  events where event_name = '" + rs.getString(1) + "'", Long.toString(rs.getLong(2))});
        }
      }
      try (ResultSet rs = statement.executeQuery("SELECT failure_type, count(*) FROM " + where
          + ".bad_events GROUP BY 1 ORDER BY 1")) {
        while (rs.next()) {
          rows.add(new String[] {"bad_events where failure_type = '" + rs.getString(1) + "'", Long.toString(rs.getLong(2))});
        }
      }
      rows.add(new String[] {"SELECT sum(events) FROM " + where + ".events_per_minute (on-time events)",
          Long.toString(single(statement, "SELECT coalesce(sum(events), 0) FROM " + where + ".events_per_minute"))});
      rows.add(new String[] {"SELECT count(DISTINCT event_date) FROM " + where + ".events",
          Long.toString(single(statement, "SELECT count(DISTINCT event_date) FROM " + where + ".events"))});
    }
    List<List<String>> table = new ArrayList<>();
    table.add(List.of("QUERY", "RESULT"));
    rows.forEach(r -> table.add(List.of(r[0], r[1])));
    StatusCommand.print(out, table);
    boolean exact = landed == sent.accepted();
    out.println(exact
        ? "every accepted event of this run is in the lake exactly once (" + landed + "; "
            + sent.redelivered() + " redelivered copies de-duplicated, late events in their own days)"
        : "MISMATCH: " + landed + " events of this run landed but the collector accepted " + sent.accepted());
    out.println("The stack stays up: bin/spoor status shows it, Trino is at "
        + stack.config().trino().jdbcUrl() + " (user spoor), bin/spoor down stops everything.");
    return exact ? 0 : 1;
  }

  private static long single(Statement statement, String sql) throws java.sql.SQLException {
    try (ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
