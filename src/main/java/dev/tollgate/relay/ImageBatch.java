package dev.tollgate.relay;

import dev.tollgate.protocol.canonical.ContentPart;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Fetches a set of image URLs at most {@code parallel} at a time and stops starting new fetches
 * after the first failure. Mutable; used only on the Vert.x context that runs it.
 */
final class ImageBatch {

  /** One URL to fetch and the label its errors carry. */
  record Job(String url, String label) {}

  private final List<Job> jobs;
  private final BiFunction<String, String, Future<ContentPart.Image>> fetch;
  private final Map<String, ContentPart.Image> fetched = new HashMap<>();
  private int next;
  private boolean failed;

  ImageBatch(List<Job> jobs, BiFunction<String, String, Future<ContentPart.Image>> fetch) {
    this.jobs = List.copyOf(jobs);
    this.fetch = fetch;
  }

  /** The inline image of every URL; fails with the first failure. */
  Future<Map<String, ContentPart.Image>> run(int parallel) {
    List<Future<Void>> lanes = new ArrayList<>();
    for (int i = 0; i < Math.min(parallel, jobs.size()); i++) {
      lanes.add(lane());
    }
    return Future.all(lanes).map(done -> Map.copyOf(fetched));
  }

  private Future<Void> lane() {
    if (failed || next >= jobs.size()) {
      return Future.succeededFuture();
    }
    Job job = jobs.get(next++);
    return fetch.apply(job.url(), job.label())
        .onFailure(err -> failed = true)
        .compose(image -> {
          fetched.put(job.url(), image);
          return lane();
        });
  }
}
