import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { assertUsageError, contentItems, requestBody, setupCli, type CliFixture, type ContentItem } from "../support/cli-fixture.js";
import { startHostileServer } from "../support/hostile-server.js";
import { dataUrl, tinyGif, tinyJpeg, tinyPng } from "../support/images.js";

/** Writes a.png, b.gif and c.jpg into HOME and returns their bytes. */
function writeRefs(f: CliFixture): { png: Buffer; gif: Buffer; jpeg: Buffer } {
  const refs = { png: tinyPng(), gif: tinyGif(), jpeg: tinyJpeg() };
  writeFileSync(join(f.home.home, "a.png"), refs.png);
  writeFileSync(join(f.home.home, "b.gif"), refs.gif);
  writeFileSync(join(f.home.home, "c.jpg"), refs.jpeg);
  return refs;
}

function images(items: ContentItem[]): ContentItem[] {
  return items.filter((item) => item.type === "input_image");
}

describe("reference images", { concurrency: 4 }, () => {
  test("--input-ref sends a labelled data-URL input_image before the prompt", async (t) => {
    const f = await setupCli(t);
    const { png } = writeRefs(f);
    const run = await f.run(["--input-ref", "a.png", "--cwd", f.home.home, "--out-dir", f.outDir, "make it blue"]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(contentItems(requestBody(f.backend)), [
      { type: "input_text", text: "<image name=[Image #1]>" },
      { type: "input_image", image_url: dataUrl("image/png", png), detail: "high" },
      { type: "input_text", text: "</image>" },
      { type: "input_text", text: "make it blue" },
    ]);
  });

  test("-i / --image take local files in order; comma lists split", async (t) => {
    const f = await setupCli(t);
    const refs = writeRefs(f);
    const run = await f.run(["-i", "a.png,b.gif", "--image", "c.jpg", "--cwd", f.home.home, "--out-dir", f.outDir, "merge them"]);
    assert.equal(run.code, 0, run.stderr);
    const items = contentItems(requestBody(f.backend));
    assert.deepEqual(
      images(items).map((item) => item.image_url),
      [dataUrl("image/png", refs.png), dataUrl("image/gif", refs.gif), dataUrl("image/jpeg", refs.jpeg)],
    );
    assert.deepEqual(
      items.filter((item) => item.type === "input_text").map((item) => item.text),
      ["<image name=[Image #1]>", "</image>", "<image name=[Image #2]>", "</image>", "<image name=[Image #3]>", "</image>", "merge them"],
    );
  });

  test("--image-url downloads http(s) URLs and passes data URLs as given; a comma is not a list separator in either", async (t) => {
    const f = await setupCli(t);
    const server = await startHostileServer({ png: tinyPng("remote") });
    t.after(() => server.close());
    const url = `${server.url}/ref.png?x=1,2`;
    const data = dataUrl("image/png", tinyPng("inline"));
    const run = await f.run(["--image-url", url, "--image-url", data, "--input-ref", data, "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(images(contentItems(requestBody(f.backend))).map((item) => item.image_url), [dataUrl("image/png", tinyPng("remote")), data, data]);
  });

  test("references keep command-line order across --input-ref, -i and --image-url", async (t) => {
    const f = await setupCli(t);
    const refs = writeRefs(f);
    const server = await startHostileServer({ png: tinyPng("third") });
    t.after(() => server.close());
    const run = await f.run(["--input-ref", "b.gif", "-i", "a.png", "--image-url", `${server.url}/ref.png`, "--cwd", f.home.home, "--out-dir", f.outDir, "x"]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(images(contentItems(requestBody(f.backend))).map((item) => item.image_url), [
      dataUrl("image/gif", refs.gif),
      dataUrl("image/png", refs.png),
      dataUrl("image/png", tinyPng("third")),
    ]);
  });

  test("--image-detail sets detail on every image", async (t) => {
    const f = await setupCli(t);
    writeRefs(f);
    for (const detail of ["low", "auto", "original"]) {
      const run = await f.run([`--image-detail=${detail}`, "-i", "a.png,b.gif", "--cwd", f.home.home, "--out-dir", f.outDir, "x"]);
      assert.equal(run.code, 0, run.stderr);
    }
    assert.deepEqual(
      [0, 1, 2].map((i) => images(contentItems(requestBody(f.backend, i))).map((item) => item.detail)),
      [["low", "low"], ["auto", "auto"], ["original", "original"]],
    );
  });

  const rejected: Array<[string, (f: CliFixture) => string[]]> = [
    ["a text file", (f) => ["-i", writeFile(f, "notes.png", "just some text\n")]],
    ["an SVG file", (f) => ["--input-ref", writeFile(f, "logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')]],
    ["a missing file", (f) => ["-i", join(f.home.home, "missing.png")]],
    ["a relative path for --image-url", () => ["--image-url", "./local.png"]],
    ["a URL for -i (local only)", () => ["-i", "https://example.invalid/x.png"]],
    ["a bad --image-detail", () => ["--image-detail", "ultra"]],
  ];
  for (const [name, args] of rejected) {
    test(`${name} is a usage error and nothing is sent`, async (t) => {
      const f = await setupCli(t);
      writeFileSync(join(f.home.home, "local.png"), tinyPng());
      const run = await f.run([...args(f), "--cwd", f.home.home, "--out-dir", f.outDir, "x"]);
      assertUsageError(run);
      assert.equal(f.backend.generations.length, 0);
    });
  }
});

function writeFile(f: CliFixture, name: string, text: string): string {
  const path = join(f.home.home, name);
  writeFileSync(path, text);
  return path;
}
