package dev.tollgate.api.manage;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * One resource of the management API. {@link ManagementApi} mounts each behind authentication; a
 * resource adds {@link ManagementAuth#adminOnly} itself, as a route ahead of its body handlers.
 */
public interface ManagementRoutes {

  void mount(Router router, BodyHandler body);
}
