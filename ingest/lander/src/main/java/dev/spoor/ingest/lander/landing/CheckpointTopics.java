package dev.spoor.ingest.lander.landing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.config.InvalidConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Refuses to resume a stream from a checkpoint written for another Kafka topic (the topic was renamed
 * in the configuration, or two environments share a lake): Spark's own error for this is obscure, and
 * silently starting over would re-land everything. Reads the newest entry of the checkpoint's offset
 * log through Hadoop's file systems, so it works for local paths and object stores alike.
 */
public final class CheckpointTopics {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CheckpointTopics() {}

  public static void requireSameTopic(String checkpoint, String topic, Configuration hadoop, String key) {
    Optional<TreeSet<String>> recorded;
    try {
      recorded = topics(checkpoint, hadoop);
    } catch (IOException e) {
      return; // unreadable or absent: Spark reports real problems itself
    }
    if (recorded.isPresent() && !recorded.get().isEmpty() && !recorded.get().equals(new TreeSet<>(java.util.Set.of(topic)))) {
      throw new InvalidConfigException(key, "the checkpoint " + checkpoint + " was written for Kafka topic "
          + String.join(", ", recorded.get()) + ", but the lander is configured for " + topic
          + ". Point SPOOR_CHECKPOINT_DIR at another directory for the new topic, or delete the checkpoint to land "
          + topic + " from the start.");
    }
  }

  /** True when {@code checkpoint} has never recorded a batch (absent, or unreadable). */
  public static boolean isNew(String checkpoint, Configuration hadoop) {
    try {
      Path offsets = new Path(checkpoint, "offsets");
      FileSystem fs = offsets.getFileSystem(hadoop);
      if (!fs.exists(offsets)) {
        return true;
      }
      for (FileStatus status : fs.listStatus(offsets)) {
        if (status.getPath().getName().matches("\\d+")) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return true;
    }
  }

  static Optional<TreeSet<String>> topics(String checkpoint, Configuration hadoop) throws IOException {
    Path offsets = new Path(checkpoint, "offsets");
    FileSystem fs = offsets.getFileSystem(hadoop);
    if (!fs.exists(offsets)) {
      return Optional.empty();
    }
    FileStatus newest = null;
    long newestBatch = -1;
    for (FileStatus status : fs.listStatus(offsets)) {
      String name = status.getPath().getName();
      if (name.matches("\\d+") && Long.parseLong(name) > newestBatch) {
        newestBatch = Long.parseLong(name);
        newest = status;
      }
    }
    if (newest == null) {
      return Optional.empty();
    }
    String text;
    try (InputStream in = fs.open(newest.getPath())) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    TreeSet<String> topics = new TreeSet<>();
    String[] lines = text.split("\n");
    for (int i = 2; i < lines.length; i++) { // v1, batch metadata, then one line per source
      JsonNode source = JSON.readTree(lines[i]);
      for (Iterator<String> names = source.fieldNames(); names.hasNext(); ) {
        topics.add(names.next());
      }
    }
    return Optional.of(topics);
  }
}
