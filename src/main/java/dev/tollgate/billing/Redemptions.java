package dev.tollgate.billing;

import dev.tollgate.account.AccountProblem;
import dev.tollgate.account.KeySecrets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Making batches of redemption codes, and redeeming one. */
public final class Redemptions {

  public static final String CODE_PREFIX = "tgr-";
  public static final int MAX_BATCH = 1_000;
  private static final Pattern BATCH_NAME = Pattern.compile("[\\p{L}\\p{N} _.:-]{1,128}");

  private final RedemptionRepository repository;

  public Redemptions(RedemptionRepository repository) {
    this.repository = repository;
  }

  /** A new batch: the codes themselves, shown once and never again. */
  public record Batch(String name, long amount, List<String> codes) {}

  public Batch create(String name, long amountMicros, int count, Long createdBy) {
    if (name == null || !BATCH_NAME.matcher(name).matches()) {
      throw AccountProblem.of(AccountProblem.Kind.INVALID,
          "'name' must be 1 to 128 letters, digits, spaces or '_', '.', ':', '-'");
    }
    if (amountMicros <= 0) {
      throw AccountProblem.of(AccountProblem.Kind.INVALID, "'amount' must be more than 0 cents");
    }
    if (count < 1 || count > MAX_BATCH) {
      throw AccountProblem.of(AccountProblem.Kind.INVALID, "'count' must be from 1 to " + MAX_BATCH);
    }
    List<String> codes = new ArrayList<>(count);
    List<RedemptionRepository.NewCode> stored = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String code = KeySecrets.newKey(CODE_PREFIX);
      codes.add(code);
      stored.add(new RedemptionRepository.NewCode(KeySecrets.hash(code), KeySecrets.displayPrefix(code)));
    }
    repository.insertBatch(name, amountMicros, stored, createdBy);
    return new Batch(name, amountMicros, codes);
  }

  /**
   * Credits the code's amount to the user, once: a code already redeemed (by anyone) or disabled
   * is refused with 409, an unknown one with 404.
   */
  public RedemptionCode redeem(String code, long userId) {
    if (code == null || code.isBlank()) {
      throw AccountProblem.of(AccountProblem.Kind.INVALID, "'code' is required");
    }
    String hash = KeySecrets.hash(code.strip());
    return repository.redeem(hash, userId).orElseThrow(() -> repository.findByHash(hash)
        .map(found -> AccountProblem.of(AccountProblem.Kind.CONFLICT, found.status() == RedemptionCode.Status.DISABLED
            ? "this code is disabled" : "this code was already redeemed"))
        .orElseGet(() -> AccountProblem.of(AccountProblem.Kind.NOT_FOUND, "no such redemption code")));
  }
}
