package dev.spoor.ingest.model.enrich;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Zeroes the last {@code ipv4Octets} octets of an IPv4 address and the last {@code ipv6Bits} bits of an
 * IPv6 address before anything is stored. Only address literals are accepted (never a host name, so
 * nothing here can trigger a DNS lookup); anything else yields empty. Thread-safe.
 */
public final class IpAnonymiser {
  private static final Pattern IPV6_CHARS = Pattern.compile("^[0-9a-fA-F:.]+$");

  private final int ipv4Octets;
  private final int ipv6Bits;

  public IpAnonymiser(int ipv4Octets, int ipv6Bits) {
    if (ipv4Octets < 0 || ipv4Octets > 4) {
      throw new IllegalArgumentException("ipv4 octets to zero must be 0..4, not " + ipv4Octets);
    }
    if (ipv6Bits < 0 || ipv6Bits > 128) {
      throw new IllegalArgumentException("ipv6 bits to zero must be 0..128, not " + ipv6Bits);
    }
    this.ipv4Octets = ipv4Octets;
    this.ipv6Bits = ipv6Bits;
  }

  public Optional<String> anonymise(String address) {
    if (address == null) {
      return Optional.empty();
    }
    String ip = address.trim();
    int[] octets = ipv4(ip);
    if (octets != null) {
      StringBuilder kept = new StringBuilder(15);
      for (int i = 0; i < 4; i++) {
        kept.append(i == 0 ? "" : ".").append(i < 4 - ipv4Octets ? octets[i] : 0);
      }
      return Optional.of(kept.toString());
    }
    if (ip.contains(":") && IPV6_CHARS.matcher(ip).matches()) {
      try {
        InetAddress parsed = InetAddress.getByName(ip); // a literal: parsed without DNS
        byte[] bytes = parsed.getAddress();
        if (!(parsed instanceof Inet6Address)) {
          return anonymise(parsed.getHostAddress()); // IPv4-mapped IPv6
        }
        int keep = 128 - ipv6Bits;
        for (int bit = keep; bit < 128; bit++) {
          bytes[bit / 8] &= (byte) ~(1 << (7 - bit % 8));
        }
        return Optional.of(InetAddress.getByAddress(bytes).getHostAddress());
      } catch (UnknownHostException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * The four octets of a dotted-quad IPv4 literal (decimal, 0–255, no leading zeros), or null. A loop,
   * not a regular expression: it runs for every event.
   */
  static int[] ipv4(String ip) {
    int[] octets = new int[4];
    int octet = 0;
    int digits = 0;
    int value = 0;
    for (int i = 0; i <= ip.length(); i++) {
      char c = i < ip.length() ? ip.charAt(i) : '.';
      if (c == '.') {
        if (digits == 0 || octet == 4) {
          return null;
        }
        octets[octet++] = value;
        digits = 0;
        value = 0;
      } else if (c >= '0' && c <= '9') {
        if (digits > 0 && value == 0 || digits == 3) {
          return null; // a leading zero, or a fourth digit
        }
        value = value * 10 + (c - '0');
        digits++;
        if (value > 255) {
          return null;
        }
      } else {
        return null;
      }
    }
    return octet == 4 ? octets : null;
  }
}
