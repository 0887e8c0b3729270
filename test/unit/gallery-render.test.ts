import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import type { ManifestImage, ManifestRecord } from "../../src/batch/manifest.js";
import { escapeHtml, renderGallery } from "../../src/batch/gallery/render.js";

const dir = "/data/shots-images";

const done: ManifestRecord = {
  id: "hero",
  line: 2,
  status: "done",
  prompt: 'a "hero" <script>alert(1)</script> & friends',
  model: "gpt-5.5",
  images: [
    { path: join(dir, "hero.png"), sha256: "a".repeat(64), bytes: 10, size: "1536x1024", quality: "high", request_id: "req_1" },
    { path: join(dir, "my shot #2.png"), sha256: "b".repeat(64), bytes: 10, size: "1024x1024", quality: "high", request_id: "req_2" },
  ],
  error: null,
  request_ids: ["req_1", "req_2"],
  elapsed_ms: 12_300,
  finished_at: "2026-11-25T10:00:00.000Z",
};

const failed: ManifestRecord = {
  ...done,
  id: "oops",
  line: 1,
  status: "failed",
  prompt: "a refused prompt",
  images: [],
  error: { code: "policy", message: "The request was refused <by policy>." },
  request_ids: ["req_3"],
};

test("prompts and errors are HTML-escaped; the page has no script, only inline CSS and a CSP that allows none", () => {
  const html = renderGallery({ dir, records: [done, failed] });
  assert.ok(html.includes("a &#34;hero&#34; &#60;script&#62;alert(1)&#60;/script&#62; &#38; friends"));
  assert.ok(!/<script/i.test(html), "no script element");
  assert.ok(html.includes("The request was refused &#60;by policy&#62;."));
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'">/);
  assert.ok(!/https?:\/\//.test(html), "nothing from the network");
});

test("one card per image, linked relative to the page and URL-encoded; a failed job without images has a card with its error; file order", () => {
  const html = renderGallery({ dir, records: [done, failed] });
  assert.equal(html.match(/<article /g)?.length, 3);
  assert.ok(html.indexOf('id="job-oops"') < html.indexOf('id="job-hero"'), "line 1 before line 2");
  assert.ok(html.includes('<a class="thumb" href="hero.png"><img src="hero.png" loading="lazy" decoding="async" alt="" width="1536" height="1024"></a>'));
  assert.ok(html.includes('href="my%20shot%20%232.png"'));
  for (const text of ["1536x1024", "high", "gpt-5.5", "req_2", "(12.3 s)", "failed</strong> (policy)"]) assert.ok(html.includes(text), text);
  assert.match(html, /2 images · 1 done · 1 failed/);
});

test("a card shows what was asked next to what came back, and says in words when an image differs", () => {
  const asked: ManifestRecord = {
    ...done,
    images: [...done.images].reverse(),
    requested: { size: "1536x1024", quality: "high", background: null, output_format: null, image_model: null, count: 2 },
    warnings: [{ code: "size_mismatch", message: "image 1 size: asked for 1536x1024, got <1024x1024>", image_index: 0 }],
  };
  const cards = renderGallery({ dir, records: [asked] }).match(/<article[^]*?<\/article>/g) ?? [];
  assert.equal(cards.length, 2);
  assert.match(cards[0] ?? "", /<dt>size<\/dt><dd>1024x1024<\/dd><dt>asked for<\/dt><dd>1536x1024 · high<\/dd>/);
  assert.ok(cards[0]?.includes("not as asked</strong>: image 1 size: asked for 1536x1024, got &#60;1024x1024&#62;"), "the mismatch, in words, escaped");
  assert.ok(!cards[1]?.includes("not as asked"), "the image that matches is not flagged");
  assert.ok(cards[1]?.includes("<dt>asked for</dt><dd>1536x1024 · high</dd>"));
  assert.ok(!renderGallery({ dir, records: [done] }).includes("asked for"), "a record of an older version has no such row");
});

test("every card has an id of its own, safe in a URL fragment, though job ids repeat across -<k> suffixes or hold other characters", () => {
  const image = (name: string) => ({ ...done.images[0], path: join(dir, name) }) as ManifestImage;
  const records: ManifestRecord[] = [
    { ...done, id: "shot", line: 1, images: [image("shot.png"), image("shot-2.png")] },
    { ...done, id: "shot-2", line: 2, images: [image("shot-2b.png")] },
    { ...done, id: "v1.final", line: 3, images: [image("a.png")] },
    { ...done, id: "v1_final", line: 4, images: [image("b.png")] },
    { ...failed, id: 'x" onmouseover="alert(1)', line: 5 },
  ];
  const ids = [...renderGallery({ dir, records }).matchAll(/<article [^>]*\bid="([^"]*)"/g)].map((match) => match[1]);
  assert.equal(ids.length, 6);
  assert.equal(new Set(ids).size, ids.length, ids.join(", "));
  for (const id of ids) assert.match(id ?? "", /^job-[A-Za-z0-9_-]+$/);
  assert.deepEqual(ids.slice(0, 2), ["job-shot", "job-shot-2"]);
});

test("escapeHtml covers the five characters that matter in text and attributes", () => {
  assert.equal(escapeHtml(`<a href='x'>"&"</a>`), "&#60;a href=&#39;x&#39;&#62;&#34;&#38;&#34;&#60;/a&#62;");
});
