package dev.tollgate.api.manage;

import dev.tollgate.account.AccountService;
import dev.tollgate.account.UserRepository;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/**
 * Who may use the management API ({@code /api/*}). A request carries {@code Authorization: Bearer}
 * with either a session token from {@code POST /api/user/login} (checked for signature, expiry,
 * and that the user is enabled and has not changed password since), or the configured admin token
 * ({@code admin.token}), which acts as the root admin for scripts. Registration and login are open.
 * The user is read from the database on each call (on a worker thread), so a disabled user is
 * locked out at once.
 */
public final class ManagementAuth {

  private static final String PRINCIPAL = "tollgate.principal";
  private static final String BEARER = "Bearer ";
  private static final Set<String> OPEN = Set.of("POST /api/user/register", "POST /api/user/login");
  /** Answered to anyone; a caller who sends a session gets the answer for their account. */
  private static final Set<String> SESSION_OPTIONAL = Set.of("GET /api/pricing");

  private final AccountService accounts;
  private final UserRepository users;
  private final byte[] adminTokenDigest;

  /** @param adminToken the configured admin token, or null when none is */
  public ManagementAuth(AccountService accounts, UserRepository users, String adminToken) {
    this.accounts = accounts;
    this.users = users;
    this.adminTokenDigest = adminToken == null || adminToken.isBlank() ? null : sha256(adminToken.strip());
  }

  /** Before any body is read: an unauthenticated caller's upload is never buffered. */
  void mount(Router router) {
    router.route("/api/*").handler(this::authenticate);
  }

  /** The caller of a request that passed {@link #mount}'s check. */
  static Principal principal(RoutingContext rc) {
    return rc.get(PRINCIPAL);
  }

  /** Route guard: only admins (and the admin token) go further. */
  static void adminOnly(RoutingContext rc) {
    Principal principal = principal(rc);
    if (principal == null || !principal.isAdmin()) {
      Replies.fail(rc, Problem.forbidden("this needs an admin account"));
      return;
    }
    rc.next();
  }

  private void authenticate(RoutingContext rc) {
    String route = route(rc.request().method(), rc.request().path());
    String header = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (OPEN.contains(route) || (header == null && SESSION_OPTIONAL.contains(route))) {
      rc.next();
      return;
    }
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length()) || header.length() == BEARER.length()) {
      Replies.fail(rc, Problem.unauthenticated(
          "log in first (POST /api/user/login) and send the token as 'Authorization: Bearer <token>'"));
      return;
    }
    String token = header.substring(BEARER.length()).strip();
    boolean adminToken = adminTokenDigest != null && MessageDigest.isEqual(sha256(token), adminTokenDigest);
    // The user is read on a worker: hold the body until the route's body handler is there to take it.
    rc.request().pause();
    Requests.blocking(rc, () -> adminToken
            ? users.firstRoot().map(root -> new Principal(root, true))
            : accounts.authenticate(token).map(user -> new Principal(user, false)))
        .onSuccess(found -> {
          if (found.isEmpty()) {
            rc.request().resume(); // the body is dropped unread
            Replies.fail(rc, Problem.unauthenticated("the session is invalid or has expired; log in again"));
            return;
          }
          rc.put(PRINCIPAL, found.get());
          rc.next();
          rc.request().resume(); // a no-op when a body handler took over and resumed it
        })
        .onFailure(err -> {
          rc.request().resume();
          Replies.fail(rc, err);
        });
  }

  /** "METHOD /path", without a trailing slash. */
  private static String route(HttpMethod method, String path) {
    String normalised = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    return method.name() + " " + normalised;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
