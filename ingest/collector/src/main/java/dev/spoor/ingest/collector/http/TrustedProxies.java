package dev.spoor.ingest.collector.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The proxies whose {@code X-Forwarded-For} is believed, matched as addresses, not as text: {@code ::1},
 * {@code 0:0:0:0:0:0:0:1} and {@code [::1]} are one proxy. Only IP literals count (no name is ever
 * resolved).
 */
public final class TrustedProxies {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");
  private final Set<InetAddress> proxies = new HashSet<>();

  /** Throws {@link IllegalArgumentException} naming the first entry that is not an IP address. */
  public TrustedProxies(Set<String> configured) {
    for (String entry : configured) {
      proxies.add(literal(entry).orElseThrow(() -> new IllegalArgumentException(entry)));
    }
  }

  boolean contains(String address) {
    return literal(address).map(proxies::contains).orElse(false);
  }

  /** An IPv4 or IPv6 literal (brackets allowed) as an address; empty for anything else. */
  static Optional<InetAddress> literal(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String s = text.trim();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    boolean v4 = IPV4.matcher(s).matches();
    if (!v4 && !(s.contains(":") && s.length() <= 45 && IPV6.matcher(s).matches())) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(s)); // a literal: parsed, never looked up
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
