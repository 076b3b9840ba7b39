package dev.tollgate.account;

import dev.tollgate.billing.Money;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.db.Sql;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Registering, logging in and changing users. Blocking (JDBC and password hashing): call it from
 * worker threads. Usernames and emails are compared and stored lower-case.
 */
public final class AccountService {

  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9]{3,32}");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  private static final int MAX_EMAIL = 254;
  private static final int MAX_DISPLAY_NAME = 128;
  /** The same words for an unknown user and a wrong password: which usernames exist is not told. */
  static final String BAD_CREDENTIALS = "wrong username or password";

  private final UserRepository users;
  private final GroupRepository groups;
  private final Sessions sessions;
  private final LoginThrottle throttle;
  private final TollgateConfig.Accounts config;

  public AccountService(UserRepository users, GroupRepository groups, Sessions sessions, LoginThrottle throttle,
      TollgateConfig.Accounts config) {
    this.users = users;
    this.groups = groups;
    this.sessions = sessions;
    this.throttle = throttle;
    this.config = config;
  }

  public Sessions sessions() {
    return sessions;
  }

  /** Self-service registration: refused when registration is closed. */
  public LoggedIn register(Registration form) {
    if (config.registrationClosed()) {
      throw AccountProblem.forbidden("registration is closed: ask an admin for an account");
    }
    User user = create(form, Role.USER, Group.DEFAULT, null);
    return new LoggedIn(user, sessions.issue(user));
  }

  /**
   * Creates a user (registration, or an admin acting for {@code actorId}) and credits the start
   * quota and invite rewards, each with a journal line.
   */
  public User create(Registration form, Role role, String group, Long actorId) {
    String username = normaliseUsername(form.username());
    Passwords.requireAcceptable("password", form.password());
    String email = normaliseEmail(form.email());
    String displayName = displayName(form.displayName());
    requireGroup(group);
    Optional<User> inviter = Optional.empty();
    if (form.inviteCode() != null && !form.inviteCode().isBlank()) {
      inviter = users.findByInviteCode(form.inviteCode().strip().toUpperCase(Locale.ROOT));
      if (inviter.isEmpty()) {
        throw AccountProblem.invalid("'inviteCode' is not a valid invite code");
      }
    }
    if (users.usernameTaken(username)) {
      throw AccountProblem.conflict("the username '" + username + "' is taken");
    }
    if (email != null && users.emailTaken(email, -1)) {
      throw AccountProblem.conflict("the email '" + email + "' belongs to another account");
    }
    User user;
    try {
      user = users.insert(new UserRepository.NewUser(username, email, displayName, Passwords.hash(form.password()), role,
          group, InviteCodes.next(), inviter.map(User::id).orElse(null)));
    } catch (Sql.DataAccessException raced) {
      // Someone took the name or the email between the check and the insert.
      throw AccountProblem.conflict("the username or email was taken meanwhile; choose another");
    }
    if (config.newUserQuotaCents() > 0) {
      users.creditQuota(user.id(), Money.centsToMicros(config.newUserQuotaCents()), "signup", "start quota", actorId);
    }
    if (inviter.isPresent()) {
      if (config.inviteeRewardCents() > 0) {
        users.creditQuota(user.id(), Money.centsToMicros(config.inviteeRewardCents()), "invite",
            "registered with the invite code of " + inviter.get().username(), null);
      }
      if (config.inviterRewardCents() > 0) {
        users.creditQuota(inviter.get().id(), Money.centsToMicros(config.inviterRewardCents()), "invite",
            "invited " + username, null);
      }
    }
    return users.findById(user.id()).orElseThrow();
  }

  /** Checks the password; slowed down after repeated failures per username and per client address. */
  public LoggedIn login(String username, String password, String clientAddress) {
    String name = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
    long wait = throttle.waitSeconds(name, clientAddress);
    if (wait > 0) {
      throw AccountProblem.throttled(wait);
    }
    Optional<User> user = users.findByUsername(name);
    boolean matches;
    if (user.isPresent()) {
      matches = Passwords.matches(password, user.get().passwordHash());
    } else {
      Passwords.burnCheckTime(password);
      matches = false;
    }
    if (!matches) {
      throttle.failed(name, clientAddress);
      throw AccountProblem.of(AccountProblem.Kind.UNAUTHENTICATED, BAD_CREDENTIALS);
    }
    throttle.succeeded(name);
    if (!user.get().isEnabled()) {
      throw AccountProblem.forbidden("this account is disabled");
    }
    return new LoggedIn(user.get(), sessions.issue(user.get()));
  }

  /** The enabled user a session token speaks for, if the token is valid and still current. */
  public Optional<User> authenticate(String token) {
    return sessions.verify(token)
        .flatMap(session -> users.findById(session.userId())
            .filter(user -> user.isEnabled() && user.sessionVersion() == session.version()));
  }

  /** A user's own changes: display name, email, and the password (the current one required for it). */
  public User updateSelf(User user, SelfUpdate change) {
    String email = change.email() == null ? user.email() : normaliseEmail(change.email());
    String displayName = change.displayName() == null ? user.displayName() : displayName(change.displayName());
    if (email != null && !email.equals(user.email()) && users.emailTaken(email, user.id())) {
      throw AccountProblem.conflict("the email '" + email + "' belongs to another account");
    }
    if (change.password() != null) {
      Passwords.requireAcceptable("password", change.password());
      if (!Passwords.matches(change.currentPassword(), user.passwordHash())) {
        throw AccountProblem.of(AccountProblem.Kind.FORBIDDEN, "'currentPassword' is wrong");
      }
    }
    try {
      users.updateProfile(user.id(), displayName, email);
    } catch (Sql.DataAccessException raced) {
      throw AccountProblem.conflict("the email '" + email + "' belongs to another account");
    }
    if (change.password() != null) {
      users.updatePassword(user.id(), Passwords.hash(change.password()));
    }
    return users.findById(user.id()).orElseThrow();
  }

  /** Sets a password for someone else (admins); ends that user's sessions. */
  public void resetPassword(long userId, String password) {
    Passwords.requireAcceptable("password", password);
    users.updatePassword(userId, Passwords.hash(password));
  }

  public void requireGroup(String group) {
    if (groups.find(group).isEmpty()) {
      throw AccountProblem.invalid("there is no group '" + group + "'");
    }
  }

  private static String normaliseUsername(String username) {
    if (username == null || !USERNAME.matcher(username.strip()).matches()) {
      throw AccountProblem.invalid("'username' must be 3 to 32 letters or digits");
    }
    return username.strip().toLowerCase(Locale.ROOT);
  }

  /** Null or blank = no email. */
  static String normaliseEmail(String email) {
    if (email == null || email.isBlank()) {
      return null;
    }
    String trimmed = email.strip().toLowerCase(Locale.ROOT);
    if (trimmed.length() > MAX_EMAIL || !EMAIL.matcher(trimmed).matches()) {
      throw AccountProblem.invalid("'email' is not a valid email address");
    }
    return trimmed;
  }

  private static String displayName(String name) {
    if (name == null || name.isBlank()) {
      return null;
    }
    if (name.strip().length() > MAX_DISPLAY_NAME) {
      throw AccountProblem.invalid("'displayName' must have at most " + MAX_DISPLAY_NAME + " characters");
    }
    return name.strip();
  }

  /** What a registration (or an admin's create) carries. */
  public record Registration(String username, String password, String email, String displayName, String inviteCode) {}

  /** What a user may change about themselves; null = unchanged. */
  public record SelfUpdate(String displayName, String email, String password, String currentPassword) {}

  /** A user and their new session. */
  public record LoggedIn(User user, Sessions.Issued session) {}
}
