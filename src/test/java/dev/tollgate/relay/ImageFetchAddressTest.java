package dev.tollgate.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which addresses an image URL may lead to. Literals only: nothing here touches DNS. */
class ImageFetchAddressTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "0.0.0.0", "0.1.2.3", "10.0.0.1", "100.64.0.1", "100.100.100.200", "127.0.0.1", "127.255.255.254",
      "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.170", "192.168.0.1", "198.18.0.1",
      "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
      "::", "::1", "fe80::1", "fec0::1", "fc00::1", "fd00:ec2::254", "ff02::1",
      "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "::10.0.0.1",
      "64:ff9b::a9fe:a9fe", "64:ff9b:1::a00:1", "2002:7f00:1::", "2002:a9fe:a9fe::1", "2001:0:4136:e378::1",
  })
  void privateAndSpecialAddressesAreRefused(String literal) throws UnknownHostException {
    assertThat(ImageAddresses.isPrivate(InetAddress.getByName(literal))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "8.8.8.8", "1.1.1.1", "93.184.215.14", "100.63.255.255", "100.128.0.1", "172.15.255.255",
      "172.32.0.1", "192.169.0.1", "169.253.0.1", "223.255.255.255",
      "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "64:ff9b::808:808", "2002:808:808::1", "::ffff:8.8.8.8",
  })
  void publicAddressesAreAllowed(String literal) throws UnknownHostException {
    assertThat(ImageAddresses.isPrivate(InetAddress.getByName(literal))).isFalse();
  }
}
