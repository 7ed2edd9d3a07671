package dev.spoor.fault;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named crash points for fault-injection tests. {@code SPOOR_FAILPOINT} (environment) or
 * {@code -Dspoor.failpoint} names the points to arm, comma-separated, each optionally with the hit
 * that fires ({@code publish.after-pointer-move} fires on the first hit, {@code lander.after-delta-commit@3}
 * on the third). A firing point halts the JVM at once with {@link Runtime#halt} (exit status 137, as a
 * SIGKILL: no shutdown hooks, no finally blocks, no flush), exactly between the two steps it names.
 *
 * <p>With {@code SPOOR_FAILPOINT_ONCE_DIR} (or {@code -Dspoor.failpoint-once-dir}) a point fires once
 * across processes: it leaves a marker file named after itself there before halting, and a process
 * that finds the marker passes the point. A pipeline runner's retry of the halted job then goes on from
 * the crash, which is how {@code demo --chaos} halts every job of a run once.
 *
 * <p>Off by default and free when off: {@link #hit} is one read of a static final field. The points a
 * process passes are listed in the README (exactness guarantees).
 */
public final class Failpoints {
  /** The exit status of a halt at a failpoint. */
  public static final int EXIT_STATUS = 137;

  private static final Map<String, Integer> ARMED = parse(firstNonBlank(System.getProperty("spoor.failpoint"),
      System.getenv("SPOOR_FAILPOINT")));
  private static final boolean ANY = !ARMED.isEmpty();
  private static final String ONCE_DIR = firstNonBlank(System.getProperty("spoor.failpoint-once-dir"),
      System.getenv("SPOOR_FAILPOINT_ONCE_DIR"));
  private static final Map<String, AtomicInteger> HITS = new ConcurrentHashMap<>();

  private Failpoints() {}

  /** Halts the process here when {@code name} is armed and this is the hit it fires on. */
  public static void hit(String name) {
    if (!ANY) {
      return;
    }
    Integer fireOn = ARMED.get(name);
    if (fireOn != null && HITS.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet() == fireOn
        && firstTime(name)) {
      System.err.println("failpoint " + name + ": halting the process (hit " + fireOn + ")");
      System.err.flush();
      Runtime.getRuntime().halt(EXIT_STATUS);
    }
  }

  /** True unless a once-directory holds this point's marker; leaves the marker when it does not. */
  static boolean firstTime(String name) {
    if (ONCE_DIR == null || ONCE_DIR.isBlank()) {
      return true;
    }
    return markFirst(java.nio.file.Path.of(ONCE_DIR), name);
  }

  static boolean markFirst(java.nio.file.Path dir, String name) {
    try {
      java.nio.file.Files.createDirectories(dir);
      java.nio.file.Files.createFile(dir.resolve(name));
      return true;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return false;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("failpoint " + name + ": cannot mark it in " + dir, e);
    }
  }

  static Map<String, Integer> parse(String spec) {
    Map<String, Integer> armed = new java.util.HashMap<>();
    if (spec == null) {
      return Map.of();
    }
    for (String part : spec.split(",")) {
      String item = part.trim();
      if (item.isEmpty()) {
        continue;
      }
      int at = item.indexOf('@');
      String name = at < 0 ? item : item.substring(0, at);
      int fireOn;
      try {
        fireOn = at < 0 ? 1 : Integer.parseInt(item.substring(at + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("SPOOR_FAILPOINT: '" + item + "' is not NAME or NAME@HIT (HIT a number >= 1)");
      }
      if (fireOn < 1 || !name.matches("[a-z0-9.-]+")) {
        throw new IllegalArgumentException("SPOOR_FAILPOINT: '" + item + "' is not NAME or NAME@HIT (HIT a number >= 1)");
      }
      armed.put(name, fireOn);
    }
    return Map.copyOf(armed);
  }

  private static String firstNonBlank(String a, String b) {
    return a != null && !a.isBlank() ? a : b;
  }
}
