/** An image of the library: loaded lazily by URL, or, when the server wants its API key (an <img> cannot send one), fetched with it. */
import { useEffect, useState } from "preact/hooks";
import { api, apiKey } from "../api.js";

interface Props {
  url: string;
  alt: string;
  class?: string;
  width?: number | null;
  height?: number | null;
}

export function LibraryImage({ url, alt, class: className, width, height }: Props) {
  const keyed = apiKey.get() !== null;
  const [src, setSrc] = useState<string | null>(keyed ? null : url);
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    if (!keyed) {
      setSrc(url);
      return undefined;
    }
    let objectUrl: string | null = null;
    let cancelled = false;
    api.file(url).then(
      (blob) => {
        if (cancelled) return;
        objectUrl = URL.createObjectURL(blob);
        setSrc(objectUrl);
      },
      () => setMissing(true),
    );
    return () => {
      cancelled = true;
      if (objectUrl !== null) URL.revokeObjectURL(objectUrl);
    };
  }, [url, keyed]);
  if (missing) return <span class={`placeholder ${className ?? ""}`} role="img" aria-label={`${alt} (could not be loaded)`} />;
  return src === null ? <span class={`placeholder ${className ?? ""}`} role="img" aria-label={alt} /> : <img src={src} alt={alt} class={className} loading="lazy" decoding="async" width={width ?? undefined} height={height ?? undefined} />;
}
