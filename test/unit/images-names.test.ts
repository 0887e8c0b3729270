import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { autoName, isAutoName, safeCallId } from "../../src/images/names.js";

const when = new Date(2026, 0, 2, 3, 4, 5, 6); // local time

test("autoName follows codex-imagen-<YYYYMMDD-HHMMSS-mmm>-<n>-<id>.<ext> in local time", () => {
  assert.equal(
    autoName({ timestamp: when, index: 1, callId: "ig_0123abc", ext: "png" }),
    "codex-imagen-20260102-030405-006-1-ig_0123abc.png",
  );
  assert.equal(
    autoName({ timestamp: new Date(2026, 11, 31, 23, 59, 59, 999), index: 12, callId: "ig-Z_9", ext: "webp" }),
    "codex-imagen-20261231-235959-999-12-ig-Z_9.webp",
  );
});

test("partial frames get a -partial-<k> suffix", () => {
  assert.equal(
    autoName({ timestamp: when, index: 2, callId: "ig_1", ext: "jpg", partialIndex: 0 }),
    "codex-imagen-20260102-030405-006-2-ig_1-partial-0.jpg",
  );
});

test("hostile call ids can never leave the directory or break the name", () => {
  const hostile = ["../../x", "/etc/passwd", "..\\..\\windows\\system32", "a\u0000b", "x/../../../y", "\u001b[31mred", "..", "C:\\evil", "ünïcødé"];
  for (const callId of hostile) {
    const name = autoName({ timestamp: when, index: 1, callId, ext: "png" });
    assert.match(name, /^codex-imagen-\d{8}-\d{6}-\d{3}-1-[A-Za-z0-9_-]{1,40}\.png$/, JSON.stringify(callId));
    assert.equal(path.basename(name), name);
    assert.equal(path.dirname(path.resolve("/out", name)), path.resolve("/out"));
  }
  assert.equal(safeCallId("../../x"), "x");
  assert.equal(safeCallId("/etc/passwd"), "etcpasswd");
  assert.equal(safeCallId("a\u0000b"), "ab");
});

test("call ids are cut to 40 characters, and an id with nothing usable becomes 'image'", () => {
  const long = "ig_" + "a".repeat(10 * 1024);
  assert.equal(safeCallId(long), "ig_" + "a".repeat(37));
  assert.equal(autoName({ timestamp: when, index: 3, callId: long, ext: "png" }).length, "codex-imagen-20260102-030405-006-3-.png".length + 40);
  for (const empty of ["", "../..", "/", "\u0000", "日本語"]) {
    assert.equal(autoName({ timestamp: when, index: 1, callId: empty, ext: "png" }), "codex-imagen-20260102-030405-006-1-image.png");
  }
});

test("isAutoName accepts the names autoName makes (and clash suffixes), nothing with a path or another shape", () => {
  const name = autoName({ timestamp: when, index: 3, callId: "../../etc/passwd", ext: "webp" });
  assert.ok(isAutoName(name), name);
  assert.ok(isAutoName(name.replace(".webp", "-2.webp")));
  assert.ok(isAutoName(autoName({ timestamp: when, index: 1, callId: "ig_1", ext: "jpg" })));
  for (const bad of ["", "../" + name, `/${name}`, `sub/${name}`, `${name}.txt`, "codex-imagen-x.png", "notes.png", name.replace(".webp", ".svg"), name.replace("-3-", "-3-a.b-")]) {
    assert.ok(!isAutoName(bad), bad);
  }
});
