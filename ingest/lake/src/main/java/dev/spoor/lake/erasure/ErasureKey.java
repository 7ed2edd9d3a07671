package dev.spoor.lake.erasure;

import com.typesafe.config.Config;
import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.Settings;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret the erasure log is keyed with ({@code spoor.erasure}): the log stores HMAC-SHA256(secret,
 * id), never the id, so someone who reads the log cannot test candidate ids against it (a bare hash of
 * an enumerable id such as an e-mail address or {@code user-0042} is reversed by trying them all).
 * From {@code SPOOR_ERASURE_SECRET} when set, else from {@code secret-file}, which is created with 32
 * random bytes on first use (mode 600). Every process that writes or reads the log (erase, lander,
 * speed layer) must use the same secret; {@link #keyId} lets them check that they do.
 */
public final class ErasureKey implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int MIN_SECRET_BYTES = 16;

  private final byte[] secret;
  private transient ThreadLocal<Mac> macs;

  public ErasureKey(byte[] secret) {
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("an erasure secret needs at least " + MIN_SECRET_BYTES + " bytes, not "
          + secret.length);
    }
    this.secret = secret.clone();
  }

  /** From {@code spoor.erasure}: {@code secret} (the environment) if set, else {@code secret-file}. */
  public static ErasureKey from(Config root, Path home) {
    Settings erasure = Settings.of(root, "spoor.erasure");
    if (erasure.has("secret")) {
      byte[] secret = erasure.string("secret").getBytes(StandardCharsets.UTF_8);
      if (secret.length < MIN_SECRET_BYTES) {
        throw new InvalidConfigException("spoor.erasure.secret", "SPOOR_ERASURE_SECRET needs at least "
            + MIN_SECRET_BYTES + " bytes");
      }
      return new ErasureKey(secret);
    }
    return fromFile(home.resolve(erasure.string("secret-file")));
  }

  /** The secret in {@code file}, created with 32 random bytes (hex) if it does not exist yet. */
  static ErasureKey fromFile(Path file) {
    try {
      if (!Files.exists(file)) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path fresh = Files.createTempFile(file.toAbsolutePath().getParent(), ".erasure", ".key");
        Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(fresh, HexFormat.of().formatHex(random));
        try {
          Files.createLink(file, fresh); // atomic: of two processes creating it, one wins and both read it
        } catch (FileAlreadyExistsException raced) {
          // the other process's secret is the one
        } finally {
          Files.delete(fresh);
        }
      }
      byte[] secret = Files.readString(file).strip().getBytes(StandardCharsets.UTF_8);
      if (secret.length < MIN_SECRET_BYTES) {
        throw new InvalidConfigException("spoor.erasure.secret-file", file + " needs at least " + MIN_SECRET_BYTES
            + " bytes");
      }
      return new ErasureKey(secret);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the erasure secret " + file, e);
    }
  }

  /** HMAC-SHA256 of the id, in hex: what the log stores for it. */
  public String hmac(String id) {
    if (macs == null) {
      macs = ThreadLocal.withInitial(this::newMac);
    }
    return HexFormat.of().formatHex(macs.get().doFinal(id.getBytes(StandardCharsets.UTF_8)));
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** Names the secret without revealing it: the log records it with every entry. */
  public String keyId() {
    return hmac("spoor erasure key id").substring(0, 16);
  }

  @Override
  public String toString() {
    return "ErasureKey[" + keyId() + "]";
  }
}
