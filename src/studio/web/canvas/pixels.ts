/** Decoding images in the page: their exact RGBA pixels (for masks and composites), and thumbnails. */

export interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export const THUMB_SIDE = 256;

/** The image's pixels as stored: no colour-space conversion, no premultiplied alpha. */
export async function decodePixels(blob: Blob): Promise<Pixels> {
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: "none", premultiplyAlpha: "none" });
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext("2d", { willReadFrequently: true });
    if (context === null) throw new Error("this browser cannot read image pixels");
    context.drawImage(bitmap, 0, 0);
    return { width: bitmap.width, height: bitmap.height, data: context.getImageData(0, 0, bitmap.width, bitmap.height).data };
  } finally {
    bitmap.close();
  }
}

/** The pixel size of an image, without keeping its pixels. */
export async function imageSize(blob: Blob): Promise<{ width: number; height: number }> {
  const bitmap = await createImageBitmap(blob);
  const size = { width: bitmap.width, height: bitmap.height };
  bitmap.close();
  return size;
}

/** A WebP (PNG where WebP cannot be made) of at most THUMB_SIDE pixels on its longest side. */
export async function thumbnail(blob: Blob): Promise<Blob> {
  const { width, height } = await imageSize(blob);
  const scale = Math.min(1, THUMB_SIDE / Math.max(width, height));
  const size = { resizeWidth: Math.max(1, Math.round(width * scale)), resizeHeight: Math.max(1, Math.round(height * scale)), resizeQuality: "high" as const };
  const bitmap = await createImageBitmap(blob, size);
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    canvas.getContext("2d")?.drawImage(bitmap, 0, 0);
    const webp = await canvas.convertToBlob({ type: "image/webp", quality: 0.85 });
    return webp.type === "image/webp" ? webp : canvas.convertToBlob({ type: "image/png" });
  } finally {
    bitmap.close();
  }
}
