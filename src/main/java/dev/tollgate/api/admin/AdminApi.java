package dev.tollgate.api.admin;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/** The admin API under {@code /api/}: every route behind {@link AdminAuth}, then each resource's routes. */
public final class AdminApi {

  private final AdminAuth auth;
  private final ChannelAdminRoutes channels;

  public AdminApi(AdminAuth auth, ChannelAdminRoutes channels) {
    this.auth = auth;
    this.channels = channels;
  }

  public void mount(Router router, BodyHandler body) {
    // Before the body is read: an unauthorised caller's upload is never buffered.
    router.route("/api/*").handler(rc -> auth.check(rc.request())
        .onSuccess(allowed -> rc.next())
        .onFailure(refused -> AdminReplies.fail(rc, refused)));
    channels.mount(router, body);
  }
}
