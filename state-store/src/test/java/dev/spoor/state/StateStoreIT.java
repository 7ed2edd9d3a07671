package dev.spoor.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spoor.stack.testing.TestStackConfig;
import dev.spoor.stack.testing.UsesLocalStack;
import dev.spoor.state.config.StateStoreConfig;
import dev.spoor.state.erase.StateErasure;
import dev.spoor.state.read.StateReader;
import dev.spoor.state.table.StateTables;
import dev.spoor.state.view.BatchView;
import dev.spoor.state.view.UserState;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.RegionLocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The state store against the test stack's real HBase: table design, versioned publish read back
 * exactly, a half-written version invisible, rollback, multi-get of present and absent users, and
 * the reader's cache following the committed version. Each run uses its own namespace.
 */
@UsesLocalStack({"hbase"})
class StateStoreIT {
  private static StateStoreConfig config;
  private static Connection connection;

  @BeforeAll
  static void connect() throws IOException {
    config = StateStoreConfig.from(TestStackConfig.config())
        .withNamespace("it_" + UUID.randomUUID().toString().substring(0, 8));
    connection = ConnectionFactory.createConnection(config.hbase());
    try (Admin admin = connection.getAdmin()) {
      new StateTables(config).init(admin);
    }
  }

  @AfterAll
  static void close() throws IOException {
    connection.close();
  }

  private static UserState state(String user, int score, String... segments) {
    return new UserState(user, 0, score, List.of("R01"), List.of(segments), Map.of("purchases", score / 100),
        Map.of("checkout", score % 4));
  }

  /** Publishes {@code states} (and removals) under a new run id, committing unless told not to. */
  private static long publish(BatchView view, String runId, List<UserState> states, List<String> removed, boolean commit)
      throws IOException {
    return publish(config, view, runId, states, removed, commit);
  }

  private static long publish(StateStoreConfig target, BatchView view, String runId, List<UserState> states,
      List<String> removed, boolean commit) throws IOException {
    BatchView.Begun begun = view.begin(runId, "{}");
    try (BatchView.Writer writer = new BatchView.Writer(target, begun.version())) {
      for (UserState s : states) {
        writer.put(s.userKey(), s.document());
      }
      for (String user : removed) {
        writer.remove(user);
      }
    }
    if (commit) {
      view.commit(begun.version(), states.size());
    }
    view.release(runId); // committed, or failed (a publish that fails gives its lease back)
    return begun.version();
  }

  @Test
  void tablesArePreSplitByTheSaltAndInitIsIdempotent() throws IOException {
    try (Admin admin = connection.getAdmin();
         RegionLocator regions = connection.getRegionLocator(new StateTables(config).users())) {
      assertThat(regions.getAllRegionLocations()).hasSize(config.saltBuckets());
      assertThat(new StateTables(config).init(admin)).as("nothing left to do").isEmpty();
    }
  }

  @Test
  void aPublishedViewReadsBackExactlyAndHalfWrittenOrRolledBackVersionsAreNeverSeen() throws IOException {
    BatchView view = new BatchView(connection, config.withNamespace(config.namespace()));
    List<UserState> first = IntStream.range(0, 500).mapToObj(i -> state("v1-user-" + i, 300 + i, "s" + (i % 3))).toList();
    long v1 = publish(view, "run-v1", first, List.of(), true);
    StateReader reader = new StateReader(connection, config);

    Map<String, UserState> read = reader.getAll(first.stream().map(UserState::userKey).toList());
    assertThat(read).hasSize(500);
    for (UserState s : first) {
      UserState got = read.get(s.userKey());
      assertThat(new UserState(got.userKey(), 0, got.score(), got.reasonCodes(), got.segments(), got.features(), got.funnels()))
          .isEqualTo(s);
      assertThat(got.version()).isEqualTo(v1);
    }

    // A second publish changes ten users and removes one, but is not committed: invisible.
    List<UserState> changed = IntStream.range(0, 10).mapToObj(i -> state("v1-user-" + i, 800, "vip")).toList();
    long v2 = publish(view, "run-v2", changed, List.of("v1-user-499"), false);
    assertThat(reader.refresh()).isEqualTo(v1);
    assertThat(reader.get("v1-user-0").orElseThrow().score()).isEqualTo(300);
    assertThat(reader.get("v1-user-499")).isPresent();

    // Resuming the same run id continues the same version; committing makes all of it visible at once.
    BatchView.Begun resumed = view.begin("run-v2", "{}");
    assertThat(resumed.resumed()).isTrue();
    assertThat(resumed.version()).isEqualTo(v2);
    view.commit(v2, 11);
    view.release("run-v2");
    assertThat(reader.refresh()).isEqualTo(v2);
    assertThat(reader.get("v1-user-0").orElseThrow().score()).isEqualTo(800);
    assertThat(reader.get("v1-user-100").orElseThrow().score()).as("untouched users keep their state").isEqualTo(400);
    assertThat(reader.get("v1-user-499")).as("removed").isEmpty();

    // Rollback: readers see v1 again, in full.
    assertThat(view.rollback(Optional.empty())).isEqualTo(v1);
    assertThat(reader.refresh()).isEqualTo(v1);
    assertThat(reader.get("v1-user-0").orElseThrow().score()).isEqualTo(300);
    assertThat(reader.get("v1-user-499")).isPresent();

    // The rolled-back version's cells are purged, so a later publish does not resurrect them.
    long v3 = publish(view, "run-v3", List.of(state("v1-user-1", 555)), List.of(), true);
    assertThat(reader.refresh()).isEqualTo(v3);
    assertThat(reader.get("v1-user-0").orElseThrow().score()).isEqualTo(300);
    assertThat(reader.get("v1-user-1").orElseThrow().score()).isEqualTo(555);
    assertThat(view.begin("run-v3", "{}").alreadyCommitted()).isTrue();
    view.release("run-v3");
    assertThatThrownBy(() -> view.rollback(Optional.of(v2))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rolled-back");
  }

  @Test
  void aNewRunAbandonsAnEarlierRunThatNeverCommitted() throws IOException {
    StateStoreConfig own = ownTables("_b");
    BatchView view = new BatchView(connection, own);
    StateReader reader = new StateReader(connection, own);
    long v1 = publish(own, view, "a", List.of(state("x", 400), state("y", 500)), List.of(), true);
    publish(own, view, "b-killed", List.of(state("x", 999)), List.of("y"), false);

    long v3 = publish(own, view, "c", List.of(state("z", 600)), List.of(), true);

    assertThat(reader.refresh()).isEqualTo(v3);
    assertThat(reader.getAll(List.of("x", "y", "z")).values()).extracting(UserState::score).containsExactlyInAnyOrder(400, 500, 600);
    assertThat(view.meta().publishes()).extracting(p -> p.runId() + "=" + p.status())
        .containsExactly("a=committed", "b-killed=abandoned", "c=committed");
    assertThat(v1).isLessThan(v3);
  }

  @Test
  void multiGetReturnsPresentUsersOnlyAndTheCacheFollowsTheCommittedVersion() throws IOException {
    StateStoreConfig c = config.withNamespace(config.namespace() + "_c");
    // The reader re-reads the committed version only when told to (refresh), not on a timer.
    StateStoreConfig own = new StateStoreConfig(c.zookeeperQuorum(), c.zookeeperPort(), c.namespace(), c.userTable(),
        c.metaTable(), c.saltBuckets(), c.versionsKept(), c.cacheEntries(), java.time.Duration.ofDays(1), c.attempts(),
        c.backoff(), c.maxBackoff(), c.operationTimeout(), c.client());
    try (Admin admin = connection.getAdmin()) {
      new StateTables(own).init(admin);
    }
    BatchView view = new BatchView(connection, own);
    StateReader reader = new StateReader(connection, own);
    assertThat(reader.getAll(List.of("p"))).as("nothing published").isEmpty();
    publish(own, view, "one", List.of(state("p", 410), state("q", 420)), List.of(), true);
    reader.refresh();

    Map<String, UserState> batch = reader.getAll(List.of("p", "absent", "q", "p"));
    assertThat(batch.keySet()).containsExactlyInAnyOrder("p", "q");
    reader.getAll(List.of("p", "absent", "q"));
    assertThat(reader.cacheStats().hitCount()).as("the second multi-get is served from the cache").isEqualTo(3);

    publish(own, view, "two", List.of(state("p", 777), state("absent", 300)), List.of(), true);
    assertThat(reader.getAll(List.of("p")).get("p").score()).as("until the version is re-read, the old view").isEqualTo(410);
    reader.refresh();
    assertThat(reader.getAll(List.of("p", "absent")).values()).extracting(UserState::score).containsExactlyInAnyOrder(777, 300);
  }

  /** The configuration of a namespace of the test's own, its tables created. */
  private static StateStoreConfig ownTables(String suffix) throws IOException {
    StateStoreConfig own = config.withNamespace(config.namespace() + suffix);
    try (Admin admin = connection.getAdmin()) {
      new StateTables(own).init(admin);
    }
    return own;
  }

  private BatchView ownView(String suffix) throws IOException {
    return new BatchView(connection, ownTables(suffix));
  }

  @Test
  void aPublishKilledRightAfterItsPointerMovedStaysCommittedAndTheNextRunNeverPurgesIt() throws IOException {
    StateStoreConfig own = config.withNamespace(config.namespace() + "_k");
    BatchView view = ownView("_k");
    StateReader reader = new StateReader(connection, own);
    publish(own, view, "first", List.of(state("x", 400)), List.of(), true);
    // The second publish writes and moves the pointer; the process dies before it records the status.
    BatchView.Begun begun = view.begin("killed", "{}");
    try (BatchView.Writer writer = new BatchView.Writer(own, begun.version())) {
      writer.put("x", state("x", 900).document());
    }
    assertThat(view.meta().moveCommitted(view.meta().committed(), begun.version())).isTrue();
    view.release("killed");
    assertThat(reader.refresh()).isEqualTo(begun.version());

    long next = publish(own, view, "next", List.of(state("y", 500)), List.of(), true);

    assertThat(reader.refresh()).isEqualTo(next);
    assertThat(reader.get("x").orElseThrow().score()).as("the killed run's committed cells survive").isEqualTo(900);
    assertThat(view.meta().publishes()).extracting(p -> p.runId() + "=" + p.status())
        .containsExactly("first=committed", "killed=committed", "next=committed");
  }

  @Test
  void anErasedUserIsGoneAtEveryVersionAndComesBackOnlyWithCellsPublishedAfterTheErasure() throws IOException {
    StateStoreConfig c = ownTables("_e");
    BatchView view = new BatchView(connection, c);
    long first = publish(c, view, "e1", List.of(state("x", 410), state("y", 420)), List.of(), true);
    publish(c, view, "e2", List.of(state("x", 430)), List.of(), true);

    assertThat(StateErasure.erase(connection, c, "x")).isTrue();
    StateReader reader = new StateReader(connection, c);
    assertThat(reader.getAll(List.of("x", "y")).keySet()).containsExactly("y");
    view.rollback(java.util.Optional.of(first));
    assertThat(reader.refresh()).isEqualTo(first);
    assertThat(reader.get("x")).as("a rollback never brings an erased user back").isEmpty();

    // x comes back later: the new version's cell is visible at once (not masked by the erasure's
    // delete until a compaction happens to remove it).
    long returned = publish(c, view, "e3", List.of(state("x", 450)), List.of(), true);
    assertThat(reader.refresh()).isEqualTo(returned);
    assertThat(reader.get("x")).map(UserState::score).contains(450);
  }

  @Test
  void aRetriedCommitIsIdempotent() throws IOException {
    BatchView view = ownView("_r");
    BatchView.Begun begun = view.begin("once", "{}");
    view.commit(begun.version(), 0);
    view.commit(begun.version(), 0); // the first answer was lost; the scheduler commits again

    assertThat(view.meta().committed()).contains(begun.version());
    assertThat(view.meta().forRun("once").orElseThrow().status()).isEqualTo("committed");
  }

  @Test
  void aSecondPublisherFailsNamingTheOneHoldingTheLease() throws IOException {
    BatchView view = ownView("_l");
    view.begin("holder-run", "{}");

    assertThatThrownBy(() -> view.begin("intruder-run", "{}")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("holder-run");
    assertThat(view.begin("holder-run", "{}").resumed()).as("the holder itself resumes").isTrue();
    view.release("holder-run");
    assertThat(view.begin("intruder-run", "{}").alreadyCommitted()).as("free once released").isFalse();
  }
}
