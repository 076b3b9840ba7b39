package dev.tollgate.provider;

/** The OpenAI media endpoints a channel may serve besides chat and embeddings, by their path under the API root. */
public enum MediaOperation {
  IMAGE_GENERATIONS("/images/generations"),
  SPEECH("/audio/speech"),
  TRANSCRIPTIONS("/audio/transcriptions"),
  TRANSLATIONS("/audio/translations");

  private final String path;

  MediaOperation(String path) {
    this.path = path;
  }

  /** The path after the API root ({@code /v1} for OpenAI, the deployment for Azure). */
  public String path() {
    return path;
  }
}
