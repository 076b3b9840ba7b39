package dev.tollgate.billing;

import dev.tollgate.db.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Storage of model prices, one row per model. */
public final class PriceRepository {

  private static final String COLUMNS =
      "model, input_price, output_price, cached_input_price, image_price, audio_second_price, character_price";

  private final Sql sql;
  private final Clock clock;

  public PriceRepository(Sql sql, Clock clock) {
    this.sql = sql;
    this.clock = clock;
  }

  public List<ModelPrice> list() {
    return sql.list("SELECT " + COLUMNS + " FROM model_prices ORDER BY model", PriceRepository::map);
  }

  public Optional<ModelPrice> find(String model) {
    return sql.one("SELECT " + COLUMNS + " FROM model_prices WHERE model = ?", PriceRepository::map, model);
  }

  /** Sets the model's price; true when it had none before. */
  public boolean put(ModelPrice price) {
    long now = clock.millis();
    return sql.inTransaction(tx -> {
      int changed = tx.update(
          "UPDATE model_prices SET input_price = ?, output_price = ?, cached_input_price = ?, image_price = ?,"
              + " audio_second_price = ?, character_price = ?, updated_at = ? WHERE model = ?",
          price.input(), price.output(), price.cachedInput(), price.perImage(), price.perAudioSecond(),
          price.perMillionCharacters(), now, price.model());
      if (changed > 0) {
        return false;
      }
      tx.update("INSERT INTO model_prices (" + COLUMNS + ", created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          price.model(), price.input(), price.output(), price.cachedInput(), price.perImage(), price.perAudioSecond(),
          price.perMillionCharacters(), now, now);
      return true;
    });
  }

  public boolean delete(String model) {
    return sql.update("DELETE FROM model_prices WHERE model = ?", model) > 0;
  }

  /** Changes whenever a price is added, changed or removed: cheap to poll. */
  public String changeStamp() {
    return sql.one("SELECT COUNT(*) AS n, MAX(updated_at) AS last FROM model_prices",
            row -> row.getLong("n") + ":" + row.getLong("last"))
        .orElse("0:0");
  }

  private static ModelPrice map(ResultSet row) throws SQLException {
    return new ModelPrice(
        row.getString("model"),
        row.getLong("input_price"),
        row.getLong("output_price"),
        Sql.nullableLong(row, "cached_input_price"),
        Sql.nullableLong(row, "image_price"),
        Sql.nullableLong(row, "audio_second_price"),
        Sql.nullableLong(row, "character_price"));
  }
}
