package dev.spoor.state.cli;

import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.state.StateStoreUnavailableException;
import dev.spoor.state.config.StateStoreConfig;
import dev.spoor.state.read.StateReader;
import dev.spoor.state.table.StateTables;
import dev.spoor.state.view.BatchView;
import dev.spoor.state.view.UserState;
import dev.spoor.state.view.ViewMeta;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;

/**
 * {@code bin/spoor state init | get USER_ID [--version V] | versions | rollback [--to V]}: creates or
 * upgrades the state store's tables, prints a user's state as JSON, lists published versions, moves
 * the committed version back.
 */
public final class StateMain {
  static final String USAGE = "usage: bin/spoor state init | get USER_ID [--version V] | versions | rollback [--to V]";

  private StateMain() {}

  public static void main(String[] args) {
    Path home = Path.of(System.getProperty("spoor.home", System.getenv().getOrDefault("SPOOR_HOME", ".")));
    StateStoreConfig config;
    try {
      config = StateStoreConfig.from(SpoorConfigLoader.load(home));
    } catch (InvalidConfigException e) {
      System.err.println("spoor state: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(run(config, args, System.out, System.err));
  }

  /** Runs one verb; returns the exit status (0 ok, 1 failed, 2 usage). */
  static int run(StateStoreConfig config, String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println(USAGE);
      return 2;
    }
    try (Connection connection = ConnectionFactory.createConnection(config.hbase())) {
      BatchView view = new BatchView(connection, config);
      switch (args[0]) {
        case "init" -> {
          try (Admin admin = connection.getAdmin()) {
            List<String> done = new StateTables(config).init(admin);
            out.println(done.isEmpty() ? "state store is up to date" : String.join("\n", done));
          }
        }
        case "get" -> {
          if (args.length != 2 && !(args.length == 4 && args[2].equals("--version"))) {
            err.println(USAGE);
            return 2;
          }
          StateReader reader = new StateReader(connection, config);
          long version = args.length == 4 ? parseVersion(args[3]) : reader.committedVersion();
          if (version < 0) {
            err.println("nothing is published yet (run: bin/spoor batch publish)");
            return 1;
          }
          Optional<UserState> state = Optional.ofNullable(reader.getAll(List.of(args[1]), version).get(args[1]));
          if (state.isEmpty()) {
            err.println("no state for user " + args[1] + " at version " + version);
            return 1;
          }
          out.println(state.get().toJson());
        }
        case "versions" -> {
          long committed = view.meta().committed().orElse(-1L);
          out.printf("%-8s %-10s %-20s %-24s %-24s %10s  %s%n", "VERSION", "STATUS", "RUN", "STARTED", "FINISHED", "USERS",
              "LAKE POSITION");
          for (ViewMeta.Publish p : view.meta().publishes()) {
            out.printf("%-8s %-10s %-20s %-24s %-24s %10s  %s%n", p.version() + (p.version() == committed ? " *" : ""),
                p.status(), p.runId(), p.startedAt(), p.finishedAt() == null ? "-" : p.finishedAt(),
                p.users() < 0 ? "-" : p.users(), p.lakePosition());
          }
          out.println(committed < 0 ? "nothing committed yet" : "* committed: readers see version " + committed);
        }
        case "rollback" -> {
          Optional<Long> to = args.length == 3 && args[1].equals("--to") ? Optional.of(parseVersion(args[2])) : Optional.empty();
          if (args.length != 1 && to.isEmpty()) {
            err.println(USAGE);
            return 2;
          }
          out.println("committed version is now " + view.rollback(to));
        }
        default -> {
          err.println("unknown verb '" + args[0] + "'\n" + USAGE);
          return 2;
        }
      }
      return 0;
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("spoor state: " + e.getMessage());
      return e instanceof IllegalArgumentException ? 2 : 1;
    } catch (StateStoreUnavailableException | IOException e) {
      err.println("spoor state: HBase is not reachable at " + config.zookeeperQuorum() + ":" + config.zookeeperPort()
          + " (" + e.getMessage() + "); is it up? bin/spoor up hbase");
      return 1;
    }
  }

  private static long parseVersion(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("version '" + text + "' is not a number");
    }
  }
}
