package dev.tollgate.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.relay.UpstreamVerdict.Kind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whose fault an upstream's error answer is, on the bodies the three vendors really send. */
class UpstreamVerdictTest {

  private static final String SECRET = "sk-proj-Abc123Def456Ghi789Jkl012Mno345";

  private static UpstreamVerdict verdict(int status, String body) {
    return UpstreamVerdict.of(status, body.getBytes(StandardCharsets.UTF_8), java.util.List.of(SECRET));
  }

  @Test
  void anOpenAiInvalidKeyDisablesTheChannelAndTheReasonShowsNoKey() {
    UpstreamVerdict verdict = verdict(401, """
        {"error":{"message":"Incorrect API key provided: sk-proj-********************************************o345. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""");

    assertThat(verdict.kind()).isEqualTo(Kind.CHANNEL_UNUSABLE);
    assertThat(verdict.channelFault())
        .startsWith("the upstream refused the channel's key (HTTP 401 invalid_api_key/invalid_request_error)")
        .contains("Incorrect API key provided: ***")
        .doesNotContain("o345")
        .doesNotContain("sk-");
  }

  @Test
  void theChannelsSecretNeverReachesTheReasonEvenWhenTheUpstreamEchoesIt() {
    UpstreamVerdict verdict = verdict(401, "{\"error\":{\"message\":\"key " + SECRET + " is revoked; tail "
        + SECRET.substring(10) + "\"}}");

    assertThat(verdict.channelFault()).doesNotContain(SECRET).doesNotContain(SECRET.substring(10));
  }

  @Test
  void anAnthropicAuthenticationErrorDisablesTheChannel() {
    UpstreamVerdict verdict = verdict(401, """
        {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CabcDEF"}""");

    assertThat(verdict.kind()).isEqualTo(Kind.CHANNEL_UNUSABLE);
    assertThat(verdict.channelFault()).contains("authentication_error").contains("invalid x-api-key");
  }

  @Test
  void aGeminiApiKeyInvalidIsA400ThatDisablesTheChannel() {
    UpstreamVerdict verdict = verdict(400, """
        {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT",
         "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"}]}}""");

    assertThat(verdict.kind()).isEqualTo(Kind.CHANNEL_UNUSABLE);
    assertThat(verdict.channelFault()).contains("api_key_invalid");
  }

  @Test
  void aSuspendedOrForbiddenKeyDisablesTheChannel() {
    assertThat(verdict(403, """
        {"error":{"code":403,"message":"Permission denied: Consumer 'api_key:AIzaSyD-1234567890abcdefghijklmn' has been suspended.","status":"PERMISSION_DENIED"}}""")
        .kind()).isEqualTo(Kind.CHANNEL_UNUSABLE);
    assertThat(verdict(403, """
        {"type":"error","error":{"type":"permission_error","message":"Your API key does not have permission to use the specified resource."}}""")
        .kind()).isEqualTo(Kind.CHANNEL_UNUSABLE);
    assertThat(verdict(401, """
        {"error":{"message":"This key is associated with a deactivated account.","type":"invalid_request_error","code":"account_deactivated"}}""")
        .kind()).isEqualTo(Kind.CHANNEL_UNUSABLE);
  }

  @Test
  void theSuspendedGeminiKeyIsMaskedInTheReason() {
    assertThat(verdict(403, """
        {"error":{"code":403,"message":"Consumer 'api_key:AIzaSyD-1234567890abcdefghijklmn' has been suspended.","status":"PERMISSION_DENIED"}}""")
        .channelFault()).doesNotContain("AIza").doesNotContain("1234567890");
  }

  @Test
  void anEmptyBalanceDisablesTheChannel() {
    assertThat(verdict(429, """
        {"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}""")
        .channelFault()).startsWith("the upstream account has no balance left");
    assertThat(verdict(402, "{\"error\":{\"message\":\"Insufficient Balance\",\"type\":\"unknown_error\"}}").kind())
        .isEqualTo(Kind.CHANNEL_UNUSABLE);
    assertThat(verdict(402, "{\"type\":\"error\",\"error\":{\"type\":\"billing_error\",\"message\":\"billing\"}}").kind())
        .isEqualTo(Kind.CHANNEL_UNUSABLE);
    assertThat(verdict(400, """
        {"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}}""")
        .kind()).isEqualTo(Kind.CHANNEL_UNUSABLE);
  }

  @Test
  void aRateLimitIsRetriedNotDisabledEvenWhenGeminiCallsItQuota() {
    assertThat(verdict(429, """
        {"error":{"message":"Rate limit reached for gpt-4o on tokens per min (TPM)","type":"tokens","param":null,"code":"rate_limit_exceeded"}}""")
        .kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(verdict(429, """
        {"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details.","status":"RESOURCE_EXHAUSTED"}}""")
        .kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(verdict(429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}").kind())
        .isEqualTo(Kind.RATE_LIMITED);
  }

  @ParameterizedTest
  @CsvSource({"500", "502", "503", "504", "529", "408"})
  void serverSideStatusesAreUpstreamFailures(int status) {
    assertThat(verdict(status, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}").kind())
        .isEqualTo(Kind.UPSTREAM_FAILURE);
  }

  @Test
  void a403ThatIsNotAboutTheKeyIsTheUpstreamsFailure() {
    assertThat(verdict(403, "<html><body>Forbidden by the CDN</body></html>").kind()).isEqualTo(Kind.UPSTREAM_FAILURE);
    assertThat(verdict(403, """
        {"error":{"code":"unsupported_country_region_territory","message":"Country, region, or territory not supported","type":"request_forbidden"}}""")
        .kind()).isEqualTo(Kind.UPSTREAM_FAILURE);
  }

  @ParameterizedTest
  @CsvSource({"400", "404", "409", "413", "422"})
  void theRequestsOwnFaultsAreClientErrors(int status) {
    assertThat(verdict(status, """
        {"error":{"message":"Invalid value for 'temperature'.","type":"invalid_request_error","param":"temperature","code":"invalid_value"}}""")
        .kind()).isEqualTo(Kind.CLIENT_ERROR);
  }

  @Test
  void aClientErrorWithoutABodyIsStillTheClients() {
    assertThat(verdict(400, "").kind()).isEqualTo(Kind.CLIENT_ERROR);
    assertThat(verdict(404, "not json").kind()).isEqualTo(Kind.CLIENT_ERROR);
  }
}
