package dev.tollgate.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressRangesTest {

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void noRangeAllowsEveryAddress() throws Exception {
    assertThat(AddressRanges.parse(List.of()).allows(ip("198.51.100.1"))).isTrue();
    assertThat(AddressRanges.parse(List.of()).isAny()).isTrue();
  }

  @Test
  void singleAddressesAndIpv4RangesMatchByPrefixBits() throws Exception {
    AddressRanges ranges = AddressRanges.parse(List.of("203.0.113.7", "10.0.0.0/8", "192.168.4.0/22"));

    assertThat(ranges.allows(ip("203.0.113.7"))).isTrue();
    assertThat(ranges.allows(ip("203.0.113.8"))).isFalse();
    assertThat(ranges.allows(ip("10.255.1.2"))).isTrue();
    assertThat(ranges.allows(ip("11.0.0.1"))).isFalse();
    assertThat(ranges.allows(ip("192.168.7.255"))).isTrue();
    assertThat(ranges.allows(ip("192.168.8.0"))).isFalse();
    assertThat(ranges.allows(ip("::ffff:10.1.2.3"))).as("an IPv4-mapped peer").isTrue();
  }

  @Test
  void ipv6RangesMatchAndNeverMixWithIpv4() throws Exception {
    AddressRanges ranges = AddressRanges.parse(List.of("2001:db8::/32", "::1"));

    assertThat(ranges.allows(ip("2001:db8:abcd::1"))).isTrue();
    assertThat(ranges.allows(ip("2001:db9::1"))).isFalse();
    assertThat(ranges.allows(ip("::1"))).isTrue();
    assertThat(ranges.allows(ip("127.0.0.1"))).isFalse();
    assertThat(AddressRanges.parse(List.of("0.0.0.0/0")).allows(ip("8.8.8.8"))).isTrue();
    assertThat(AddressRanges.parse(List.of("0.0.0.0/0")).allows(ip("::2"))).isFalse();
  }

  @Test
  void anythingButAnAddressLiteralIsRefusedNamingIt() {
    for (String bad : List.of("example.com", "10.0.0.0/33", "::/129", "1.2.3.4/x", "", "/8", "1.2.3.4/-1", "10.1", "1.2.3.4.5")) {
      assertThatThrownBy(() -> AddressRanges.parse(List.of(bad))).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'allowIps'");
    }
  }
}
