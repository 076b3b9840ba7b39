package dev.tollgate.account;

import java.math.BigDecimal;
import java.util.Set;

/**
 * A caller group (default, vip, …): which models its users may call and the ratio applied to the
 * prices they pay.
 *
 * @param models the models the group may use; empty = every model
 */
public record Group(String name, String description, Set<String> models, BigDecimal priceRatio) {

  public static final String DEFAULT = "default";
  private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final BigDecimal MAX_RATIO = new BigDecimal("1000");

  /** @throws IllegalArgumentException naming the field that is out of bounds */
  public Group {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("'name' must be 1 to 64 characters from A-Z, a-z, 0-9, '-' and '_'");
    }
    if (priceRatio == null || priceRatio.signum() < 0 || priceRatio.compareTo(MAX_RATIO) > 0) {
      throw new IllegalArgumentException("'priceRatio' must be a decimal from 0 to 1000, such as 1 or 0.8");
    }
    if (description != null && description.length() > 255) {
      throw new IllegalArgumentException("'description' must have at most 255 characters");
    }
    models = Set.copyOf(models);
    priceRatio = priceRatio.stripTrailingZeros();
  }

  public boolean allows(String model) {
    return models.isEmpty() || models.contains(model);
  }

  /**
   * What a group is taken to be when its row is missing: no model restriction and ratio 1, like
   * {@code default}. Groups with members cannot be deleted, and a user can only be put in a group
   * that exists, so this is only reached through hand edits of the database.
   */
  public static Group fallback(String name) {
    return new Group(name, null, Set.of(), BigDecimal.ONE);
  }
}
