package dev.spoor.state.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.state.StateStoreUnavailableException;
import dev.spoor.state.config.StateStoreConfig;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.hbase.NamespaceNotFoundException;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.ipc.CallTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * {@link StateTables#init} while the HBase master cannot answer yet (a region server carrying
 * {@code hbase:meta} just died, and the master is reassigning it): init waits by the state store's
 * retry policy, as every other call does, instead of failing the publish at the first time-out.
 */
class StateTablesTest {
  private static final Path HOME = Path.of("").toAbsolutePath().getParent();

  private static StateStoreConfig config(int attempts) {
    return StateStoreConfig.from(SpoorConfigLoader.loadWithOverrides(HOME, ConfigFactory.parseString(
        "spoor.state.retry { attempts = " + attempts + ", backoff = 1ms, max-backoff = 2ms }"), ConfigFactory.empty()));
  }

  /**
   * An admin of a fresh cluster (no namespace, no tables) whose master times out on the first
   * {@code failures} calls that change something; it records the calls that went through.
   */
  private static Admin masterRecovering(int failures, List<String> done) {
    int[] left = {failures};
    List<TableName> tables = new ArrayList<>();
    return (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[] {Admin.class}, (proxy, method, args) -> {
      switch (method.getName()) {
        case "getNamespaceDescriptor":
          if (done.contains("createNamespace")) {
            return null;
          }
          throw new NamespaceNotFoundException(String.valueOf(args[0]));
        case "tableExists":
          return tables.contains((TableName) args[0]);
        case "createNamespace", "createTable":
          if (left[0]-- > 0) {
            throw new CallTimeoutException("Call[methodName=" + method.getName() + "], waitTime=5002ms, rpcTimeout=4999ms");
          }
          done.add(method.getName());
          if (method.getName().equals("createTable")) {
            tables.add(((org.apache.hadoop.hbase.client.TableDescriptor) args[0]).getTableName());
          }
          return null;
        default:
          throw new UnsupportedOperationException(method.getName());
      }
    });
  }

  @Test
  void initWaitsForAMasterThatTimesOutWhileItRecovers() throws Exception {
    List<String> done = new ArrayList<>();
    List<String> changes = new StateTables(config(5)).init(masterRecovering(3, done));
    assertThat(done).containsExactly("createNamespace", "createTable", "createTable");
    assertThat(changes).hasSize(3);
  }

  @Test
  void initGivesUpAfterTheRetryPolicysAttempts() {
    List<String> done = new ArrayList<>();
    assertThatThrownBy(() -> new StateTables(config(3)).init(masterRecovering(100, done)))
        .isInstanceOf(StateStoreUnavailableException.class)
        .hasMessageContaining("failed 3 times").hasMessageContaining("CallTimeoutException");
    assertThat(done).isEmpty();
  }
}
