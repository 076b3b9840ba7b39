package dev.tollgate.api.manage;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;

/**
 * The management API under {@code /api/}: every route behind {@link ManagementAuth} (open ones
 * excepted), then each resource's routes, which add the admin guard where they need it.
 */
public final class ManagementApi {

  private final ManagementAuth auth;
  private final List<ManagementRoutes> resources;

  public ManagementApi(ManagementAuth auth, List<ManagementRoutes> resources) {
    this.auth = auth;
    this.resources = List.copyOf(resources);
  }

  public void mount(Router router, BodyHandler body) {
    auth.mount(router);
    for (ManagementRoutes resource : resources) {
      resource.mount(router, body);
    }
  }
}
