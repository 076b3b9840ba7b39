package dev.tollgate.billing;

import dev.tollgate.account.UserRepository;
import dev.tollgate.db.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Storage of redemption codes; redeeming one credits the user in the same transaction. */
public final class RedemptionRepository {

  private static final String COLUMNS =
      "id, batch, code_prefix, amount, status, created_by, created_at, redeemed_by, redeemed_at";

  private final Sql sql;
  private final Clock clock;

  public RedemptionRepository(Sql sql, Clock clock) {
    this.sql = sql;
    this.clock = clock;
  }

  /** A code to store: its hash and what may be shown of it. */
  public record NewCode(String hash, String prefix) {}

  public void insertBatch(String batch, long amount, List<NewCode> codes, Long createdBy) {
    long now = clock.millis();
    sql.inTransaction(tx -> {
      for (NewCode code : codes) {
        tx.update("INSERT INTO redemption_codes (batch, code_hash, code_prefix, amount, status, created_by, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)",
            batch, code.hash(), code.prefix(), amount, RedemptionCode.Status.UNUSED.dbValue(), createdBy, now);
      }
      return null;
    });
  }

  /**
   * Marks the unused code with this hash redeemed by the user and credits its amount to the user's
   * quota with a journal line, all in one transaction. Of concurrent attempts exactly one UPDATE
   * matches the unused row; the others find it redeemed.
   *
   * @return the code as it is now, redeemed by this user; empty when no unused code has this hash
   */
  public Optional<RedemptionCode> redeem(String hash, long userId) {
    long now = clock.millis();
    return sql.inTransaction(tx -> {
      int won = tx.update("UPDATE redemption_codes SET status = ?, redeemed_by = ?, redeemed_at = ?"
              + " WHERE code_hash = ? AND status = ?",
          RedemptionCode.Status.REDEEMED.dbValue(), userId, now, hash, RedemptionCode.Status.UNUSED.dbValue());
      if (won == 0) {
        return Optional.<RedemptionCode>empty();
      }
      RedemptionCode code = tx.one("SELECT " + COLUMNS + " FROM redemption_codes WHERE code_hash = ?",
          RedemptionRepository::map, hash).orElseThrow();
      UserRepository.creditQuota(tx, userId, code.amount(), "topup",
          "redemption code " + code.codePrefix() + "… (" + code.batch() + ")", null, now);
      return Optional.of(code);
    });
  }

  public Optional<RedemptionCode> findByHash(String hash) {
    return sql.one("SELECT " + COLUMNS + " FROM redemption_codes WHERE code_hash = ?", RedemptionRepository::map, hash);
  }

  public Optional<RedemptionCode> findById(long id) {
    return sql.one("SELECT " + COLUMNS + " FROM redemption_codes WHERE id = ?", RedemptionRepository::map, id);
  }

  /** Newest first; {@code batch} null for every batch. */
  public List<RedemptionCode> list(String batch, int offset, int limit) {
    return batch == null
        ? sql.list("SELECT " + COLUMNS + " FROM redemption_codes ORDER BY id DESC LIMIT ? OFFSET ?",
            RedemptionRepository::map, limit, offset)
        : sql.list("SELECT " + COLUMNS + " FROM redemption_codes WHERE batch = ? ORDER BY id DESC LIMIT ? OFFSET ?",
            RedemptionRepository::map, batch, limit, offset);
  }

  public long count(String batch) {
    return batch == null
        ? sql.one("SELECT COUNT(*) FROM redemption_codes", row -> row.getLong(1)).orElse(0L)
        : sql.one("SELECT COUNT(*) FROM redemption_codes WHERE batch = ?", row -> row.getLong(1), batch).orElse(0L);
  }

  /** The codes a user redeemed, newest first: their top-up history. */
  public List<RedemptionCode> redeemedBy(long userId, int offset, int limit) {
    return sql.list("SELECT " + COLUMNS + " FROM redemption_codes WHERE redeemed_by = ? ORDER BY redeemed_at DESC, id DESC"
        + " LIMIT ? OFFSET ?", RedemptionRepository::map, userId, limit, offset);
  }

  /** Disables an unused code; false when there is no such unused code. */
  public boolean disable(long id) {
    return sql.update("UPDATE redemption_codes SET status = ? WHERE id = ? AND status = ?",
        RedemptionCode.Status.DISABLED.dbValue(), id, RedemptionCode.Status.UNUSED.dbValue()) > 0;
  }

  private static RedemptionCode map(ResultSet row) throws SQLException {
    Long redeemedAt = Sql.nullableLong(row, "redeemed_at");
    return new RedemptionCode(
        row.getLong("id"),
        row.getString("batch"),
        row.getString("code_prefix"),
        row.getLong("amount"),
        RedemptionCode.Status.fromDb(row.getString("status")),
        Sql.nullableLong(row, "created_by"),
        Instant.ofEpochMilli(row.getLong("created_at")),
        Sql.nullableLong(row, "redeemed_by"),
        redeemedAt == null ? null : Instant.ofEpochMilli(redeemedAt));
  }
}
