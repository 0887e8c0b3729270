import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

const root = new URL("../../", import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, root), "utf8");
const { version, license } = JSON.parse(read("package.json")) as { version: string; license: string };

test("LICENSE is the MIT license package.json names", () => {
  assert.equal(license, "MIT");
  const text = read("LICENSE");
  assert.match(text, /^MIT License\n\nCopyright \(c\) \d{4} /);
  assert.match(text, /Permission is hereby granted, free of charge, to any person obtaining a copy/);
  assert.match(text, /THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND/);
});

test("CHANGELOG.md follows Keep a Changelog and has this version's release", () => {
  const text = read("CHANGELOG.md");
  assert.match(text, /^# Changelog\n/);
  assert.match(text, /Keep a Changelog/);
  assert.match(text, /Semantic Versioning/);
  const releases = [...text.matchAll(/^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$/gm)].map((m) => ({ version: m[1], date: m[2] }));
  assert.equal(releases[0]?.version, "Unreleased", "an Unreleased section comes first");
  const current = releases[1];
  assert.equal(current?.version, version, "the newest release is package.json's version");
  assert.ok(current?.date !== undefined && !Number.isNaN(Date.parse(current.date)), "with its date");
  const body = text.slice(text.indexOf(`## [${version}]`)).split(/^## \[/m)[1] ?? "";
  const kinds = [...body.matchAll(/^### (\w+)$/gm)].map((m) => m[1] ?? "");
  assert.ok(kinds.length > 0, "its changes are grouped");
  for (const kind of kinds) assert.ok(["Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"].includes(kind), `unknown group ${kind}`);
  for (const older of releases.slice(2)) assert.ok(older.date !== undefined, `release ${older.version} has a date`);
});
