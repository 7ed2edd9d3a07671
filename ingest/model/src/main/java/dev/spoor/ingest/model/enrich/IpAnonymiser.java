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
  private static final Pattern IPV4 = Pattern.compile(
      "^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");
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
    if (IPV4.matcher(ip).matches()) {
      String[] octets = ip.split("\\.");
      for (int i = 4 - ipv4Octets; i < 4; i++) {
        octets[i] = "0";
      }
      return Optional.of(String.join(".", octets));
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
}
