package dev.tollgate.api.manage;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The management API under {@code /api/}: every route behind {@link ManagementAuth} (open ones
 * excepted), then each resource's routes, which add the admin guard where they need it.
 */
public final class ManagementApi {

  private final ManagementAuth auth;
  private final UserRoutes users;
  private final GroupRoutes groups;
  private final ChannelAdminRoutes channels;

  public ManagementApi(ManagementAuth auth, UserRoutes users, GroupRoutes groups, ChannelAdminRoutes channels) {
    this.auth = auth;
    this.users = users;
    this.groups = groups;
    this.channels = channels;
  }

  public void mount(Router router, BodyHandler body) {
    auth.mount(router);
    users.mount(router, body);
    groups.mount(router, body);
    router.route("/api/channel*").handler(ManagementAuth::adminOnly);
    channels.mount(router, body);
  }
}
