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

  public Group {
    models = Set.copyOf(models);
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
