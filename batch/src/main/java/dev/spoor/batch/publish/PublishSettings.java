package dev.spoor.batch.publish;

import com.typesafe.config.Config;
import dev.spoor.config.Settings;
import dev.spoor.lake.LakePaths;
import java.nio.file.Path;

/**
 * How {@code publish} writes ({@code spoor.batch.publish}): a publish of at least
 * {@code bulkLoadMinUsers} users writes HFiles from Spark into {@code staging} (a directory on the
 * filesystem HBase runs on) and bulk-loads them; a smaller one puts through {@code BufferedMutator}s.
 */
public record PublishSettings(long bulkLoadMinUsers, String staging) {
  public static PublishSettings from(Config config, Path home) {
    Settings publish = Settings.of(config, "spoor.batch.publish");
    return new PublishSettings(publish.integer("bulk-load-min-users", 1, Integer.MAX_VALUE),
        LakePaths.location(publish.string("bulk-load-staging"), home));
  }

  /** Always {@code BufferedMutator}s: for publishes known to be small. */
  public static PublishSettings mutatorsOnly() {
    return new PublishSettings(Long.MAX_VALUE, "");
  }

  boolean bulkLoads(long users) {
    return users >= bulkLoadMinUsers;
  }
}
