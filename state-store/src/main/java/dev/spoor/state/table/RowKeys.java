package dev.spoor.state.table;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Row keys of the user-state table: one salt byte, then the user key in UTF-8. The salt is the user
 * key's hash modulo the bucket count, so consecutive user ids (u0001, u0002, …) spread evenly over the
 * pre-split regions instead of landing on one; a reader recomputes it from the user key, so point reads
 * stay single-row gets.
 */
public final class RowKeys implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final int buckets;

  public RowKeys(int buckets) {
    if (buckets < 1 || buckets > 256) {
      throw new IllegalArgumentException("1 to 256 salt buckets, not " + buckets);
    }
    this.buckets = buckets;
  }

  public int bucket(String userKey) {
    // Murmur-style finalisation of String.hashCode: stable across JVMs and well mixed.
    int h = userKey.hashCode();
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return Math.floorMod(h, buckets);
  }

  public byte[] rowKey(String userKey) {
    byte[] user = userKey.getBytes(StandardCharsets.UTF_8);
    byte[] key = new byte[user.length + 1];
    key[0] = (byte) bucket(userKey);
    System.arraycopy(user, 0, key, 1, user.length);
    return key;
  }

  public static String userKey(byte[] rowKey) {
    return new String(rowKey, 1, rowKey.length - 1, StandardCharsets.UTF_8);
  }

  /** The split points that give one region per bucket: bucket 1, 2, … as one-byte keys. */
  public byte[][] splitKeys() {
    byte[][] splits = new byte[buckets - 1][];
    for (int b = 1; b < buckets; b++) {
      splits[b - 1] = new byte[] {(byte) b};
    }
    return splits;
  }

  @Override
  public String toString() {
    return "RowKeys" + Arrays.toString(new int[] {buckets});
  }
}
