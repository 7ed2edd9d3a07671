package dev.spoor.stack.config;

import dev.spoor.config.Secret;
import dev.spoor.config.Settings;
import java.time.Duration;

/**
 * The local S3-compatible object store (S3Proxy over a directory): one bucket, one access key whose
 * secret comes from the environment or a file. Started by {@code up s3}, for a lake on
 * {@code s3a://BUCKET/…}.
 */
public record S3Settings(String host, int port, String bucket, String accessKey, Secret secretKey, long heapBytes,
    Duration startTimeout) {
  private static final int MIN_SECRET_BYTES = 16;

  static S3Settings from(Settings s, java.nio.file.Path home) {
    String bucket = s.string("bucket");
    if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new dev.spoor.config.InvalidConfigException(s.full("bucket"), bucket, "an S3 bucket name (3-63 of a-z 0-9 . -)");
    }
    return new S3Settings(s.string("host"), s.port("port"), bucket, s.string("access-key"),
        new Secret(s, "secret-key", "secret-key-file", home, MIN_SECRET_BYTES), s.bytes("heap"), s.duration("start-timeout"));
  }

  /** The S3 endpoint: {@code http://127.0.0.1:9000}. */
  public String endpoint() {
    return "http://" + host + ":" + port;
  }
}
