package dev.tollgate.account;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Client addresses a key may be used from: single IPv4/IPv6 addresses and CIDR ranges
 * ({@code 10.0.0.0/8}, {@code 2001:db8::/32}). Parsed once, matched by comparing prefix bits; no
 * name is ever resolved (literals only).
 */
public final class AddressRanges {

  public static final AddressRanges ANY = new AddressRanges(List.of());
  /** Digits, hex, dots and colons: an address literal, never a host name to look up. */
  private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f.:]+");
  /** IPv4 in its dotted-quad form only (InetAddress would take "10.1" as 10.0.0.1). */
  private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final List<Range> ranges;

  private AddressRanges(List<Range> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  /** @throws IllegalArgumentException naming the entry that is not an address or range */
  public static AddressRanges parse(Collection<String> entries) {
    if (entries.isEmpty()) {
      return ANY;
    }
    List<Range> ranges = new ArrayList<>(entries.size());
    for (String entry : entries) {
      ranges.add(Range.parse(entry.strip()));
    }
    return new AddressRanges(ranges);
  }

  /** True when no range is set (any address), or the address is in one of them. */
  public boolean allows(InetAddress address) {
    if (ranges.isEmpty()) {
      return true;
    }
    byte[] bytes = normalised(address);
    for (Range range : ranges) {
      if (range.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  public boolean isAny() {
    return ranges.isEmpty();
  }

  /** An IPv4-mapped IPv6 address (::ffff:a.b.c.d, how dual-stack sockets report IPv4 peers) as IPv4. */
  private static byte[] normalised(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 16 && isV4Mapped(bytes)) {
      return Arrays.copyOfRange(bytes, 12, 16);
    }
    return bytes;
  }

  private static boolean isV4Mapped(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }

  private record Range(byte[] network, int prefixBits) {

    static Range parse(String entry) {
      int slash = entry.indexOf('/');
      String host = slash < 0 ? entry : entry.substring(0, slash);
      if (host.isEmpty() || !LITERAL.matcher(host).matches()
          || (host.indexOf(':') < 0 && !DOTTED_QUAD.matcher(host).matches())) {
        throw invalid(entry);
      }
      byte[] address;
      try {
        address = normalised(InetAddress.getByName(host)); // a literal: parsed, not resolved
      } catch (UnknownHostException e) {
        throw invalid(entry);
      }
      int bits = address.length * 8;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw invalid(entry);
        }
        if (bits < 0 || bits > address.length * 8) {
          throw invalid(entry);
        }
      }
      return new Range(address, bits);
    }

    boolean contains(byte[] candidate) {
      if (candidate.length != network.length) {
        return false;
      }
      int full = prefixBits / 8;
      for (int i = 0; i < full; i++) {
        if (candidate[i] != network[i]) {
          return false;
        }
      }
      int rest = prefixBits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (candidate[full] & mask) == (network[full] & mask);
    }

    private static IllegalArgumentException invalid(String entry) {
      return new IllegalArgumentException("'allowIps': '" + entry
          + "' is not an IP address or CIDR range (such as 203.0.113.7, 10.0.0.0/8 or 2001:db8::/32)");
    }
  }
}
