package dev.spoor.stack.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Answers "is this port free, and if not, who holds it?" from the kernel's own tables
 * ({@code /proc/net/tcp*} and {@code /proc/PID/fd}), so that a failed start can name the process to stop.
 * Processes of other users may be invisible without root; then only the port is named.
 */
public final class PortOwner {
  private static final String LISTEN = "0A";

  private PortOwner() {}

  /** True when nothing listens on {@code host:port} and we could bind it now. */
  public static boolean isFree(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** True when something accepts TCP connections on {@code host:port} (within half a second). */
  public static boolean isListening(String host, int port) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getByName(host), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The process listening on TCP {@code port} on any address, if it can be seen. */
  public static Optional<ProcessDescription> listenerOf(int port) {
    Set<String> inodes = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      inodes.addAll(listeningInodes(Path.of(table), port));
    }
    if (inodes.isEmpty()) {
      return Optional.empty();
    }
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .filter(p -> holdsAnyInode(p, inodes))
          .findFirst()
          .map(p -> ProcessDescription.of(Long.parseLong(p.getFileName().toString())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static Set<String> listeningInodes(Path table, int port) {
    Set<String> inodes = new HashSet<>();
    if (!Files.isReadable(table)) {
      return inodes;
    }
    String wantedPort = String.format(Locale.ROOT, "%04X", port);
    try {
      for (String line : Files.readAllLines(table, StandardCharsets.US_ASCII)) {
        String[] f = line.trim().split("\\s+");
        // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
        if (f.length < 10 || !f[1].contains(":")) {
          continue;
        }
        String localPort = f[1].substring(f[1].indexOf(':') + 1);
        if (localPort.equalsIgnoreCase(wantedPort) && LISTEN.equals(f[3])) {
          inodes.add(f[9]);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      return inodes;
    }
    return inodes;
  }

  private static boolean holdsAnyInode(Path proc, Set<String> inodes) {
    try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
      return fds.anyMatch(fd -> {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          return target.startsWith("socket:[")
              && inodes.contains(target.substring(8, target.length() - 1));
        } catch (IOException | UnsupportedOperationException e) {
          return false;
        }
      });
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }
}
