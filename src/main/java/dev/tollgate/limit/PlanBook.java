package dev.tollgate.limit;

import dev.tollgate.db.ChangeWatch;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The plans in memory for the hot path, reloaded within a second of any change ({@link ChangeWatch}). */
public final class PlanBook implements AutoCloseable {

  private final PlanRepository repository;
  private final ChangeWatch watch;
  private volatile Map<Long, Plan> plans = Map.of();

  public PlanBook(PlanRepository repository) {
    this.repository = repository;
    this.watch = new ChangeWatch("plan", repository::changeStamp, this::load);
  }

  public PlanBook start(long pollMillis) {
    watch.start(pollMillis);
    return this;
  }

  public void reload() {
    watch.reload();
  }

  private void load() {
    plans = repository.list().stream().collect(Collectors.toUnmodifiableMap(Plan::id, Function.identity()));
  }

  /** The limits of the key's plan, else of its owner's plan, else none (a plan id that no longer exists counts as none). */
  public Limits limitsFor(Long keyPlanId, Long ownerPlanId) {
    Long id = keyPlanId != null ? keyPlanId : ownerPlanId;
    Plan plan = id == null ? null : plans.get(id);
    return plan == null ? Limits.NONE : plan.limits();
  }

  @Override
  public void close() {
    watch.close();
  }
}
