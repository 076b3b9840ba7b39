package dev.tollgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TopLevelModelTest {

  private static String renamed(byte[] body, String model) {
    return new String(TopLevelModel.of(body).upstreamBody(model), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void onlyTheTopLevelModelIsRenamedAndEveryOtherByteKept() {
    byte[] body = utf8("{ \"n\": 1.50, \"tools\": [{\"model\": \"inner\"}], \"model\" : \"a\", \"x\": \"é\" }");

    assertThat(renamed(body, "b/c\"d")).isEqualTo("{ \"n\": 1.50, \"tools\": [{\"model\": \"inner\"}], \"model\" : \"b/c\\\"d\", \"x\": \"é\" }");
  }

  @Test
  void theSameNameKeepsTheSameArray() {
    byte[] body = utf8("{\"model\":\"a\"}");

    assertThat(TopLevelModel.of(body).upstreamBody("a")).isSameAs(body);
  }

  @Test
  void aBodyWithAByteOrderMarkIsRenamedAtTheRightPlace() {
    byte[] text = utf8("{\"model\":\"a\",\"input\":\"x\"}");
    byte[] body = new byte[text.length + 3];
    body[0] = (byte) 0xEF;
    body[1] = (byte) 0xBB;
    body[2] = (byte) 0xBF;
    System.arraycopy(text, 0, body, 3, text.length);

    assertThat(renamed(body, "bb")).endsWith("{\"model\":\"bb\",\"input\":\"x\"}");
  }

  @Test
  void aBodyWithoutAModelIsSentAsIs() {
    byte[] body = utf8("{\"contents\":[]}");

    assertThat(TopLevelModel.of(body).upstreamBody("m")).isSameAs(body);
  }
}
