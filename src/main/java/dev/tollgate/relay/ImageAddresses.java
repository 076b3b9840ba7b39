package dev.tollgate.relay;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Which addresses an image URL may not lead to: anything that is not public unicast, since a
 * fetch there could reach the gateway's own host, its network, or a cloud metadata service (SSRF).
 * IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by that
 * IPv4 address, so {@code ::ffff:127.0.0.1} is as private as {@code 127.0.0.1}.
 */
public final class ImageAddresses {

  private ImageAddresses() {}

  public static boolean isPrivate(InetAddress address) {
    return switch (address) {
      case Inet4Address v4 -> isPrivateV4(v4.getAddress(), 0);
      case Inet6Address v6 -> isPrivateV6(v6);
      default -> true;
    };
  }

  private static boolean isPrivateV6(Inet6Address address) {
    if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
        || address.isSiteLocalAddress() || address.isMulticastAddress()) {
      return true; // ::, ::1, fe80::/10, fec0::/10, ff00::/8
    }
    byte[] b = address.getAddress();
    if ((b[0] & 0xfe) == 0xfc) {
      return true; // unique local fc00::/7 (AWS's fd00:ec2::254 metadata address among them)
    }
    if (startsWithZeros(b, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return isPrivateV4(b, 12); // IPv4-mapped ::ffff:a.b.c.d
    }
    if (startsWithZeros(b, 12)) {
      return isPrivateV4(b, 12); // IPv4-compatible ::a.b.c.d (deprecated, still routable on some stacks)
    }
    if (b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
      return isPrivateV4(b, 12); // NAT64 64:ff9b::/96 and 64:ff9b:1::/48
    }
    if (b[0] == 0x20 && b[1] == 0x02) {
      return isPrivateV4(b, 2); // 6to4 2002:a.b.c.d::/48
    }
    // Teredo 2001:0::/32 hides its IPv4 end points; no image host needs it.
    return b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00;
  }

  private static boolean isPrivateV4(byte[] bytes, int at) {
    int a = bytes[at] & 0xff;
    int b = bytes[at + 1] & 0xff;
    return a == 0 // "this network", 0.0.0.0 (reaches the local host on Linux)
        || a == 10 // private 10/8
        || a == 100 && b >= 64 && b <= 127 // shared address space 100.64/10 (CGNAT; some cloud metadata)
        || a == 127 // loopback 127/8
        || a == 169 && b == 254 // link-local 169.254/16, cloud metadata 169.254.169.254
        || a == 172 && b >= 16 && b <= 31 // private 172.16/12
        || a == 192 && b == 0 && (bytes[at + 2] & 0xff) == 0 // IETF protocol assignments 192.0.0/24
        || a == 192 && b == 168 // private 192.168/16
        || a == 198 && (b == 18 || b == 19) // benchmarking 198.18/15
        || a >= 224; // multicast 224/4, reserved 240/4, broadcast
  }

  private static boolean startsWithZeros(byte[] bytes, int count) {
    for (int i = 0; i < count; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
