package dev.tollgate.account;

import java.security.SecureRandom;

/** Invite codes: 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L). */
final class InviteCodes {

  private static final char[] ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private InviteCodes() {}

  static String next() {
    char[] code = new char[10];
    for (int i = 0; i < code.length; i++) {
      code[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(code);
  }
}
