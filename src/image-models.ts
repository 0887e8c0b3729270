/** The image models the tool offers by name, `gpt-image-2` first (protocol.md): serve's /v1/models and the studio's choices. */
export const IMAGE_MODELS: readonly string[] = ["gpt-image-2", "gpt-image-2-codex", "gpt-image-1.5", "gpt-image-1", "gpt-image-1-mini"];
