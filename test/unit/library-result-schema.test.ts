import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import type { z } from "zod";
import { generateResultSchema, resultJsonSchema } from "../../src/library/result-schema.js";
import type { GenerateResult } from "../../src/result.js";
import { runCli } from "../support/run-cli.js";

const schemaFile = JSON.parse(readFileSync(new URL("../../schema/result.schema.json", import.meta.url), "utf8")) as Record<string, unknown>;

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

test("the zod schema describes exactly the GenerateResult type", () => {
  // Fails to type-check (npm run typecheck) when a field is added to one and not the other.
  const same: Equal<z.output<typeof generateResultSchema>, GenerateResult> = true;
  assert.equal(same, true);
});

test("schema/result.schema.json is generated from the zod schema (npm run build)", () => {
  assert.deepEqual(schemaFile, resultJsonSchema());
});

test("a real --json result validates against the published JSON Schema; a broken one does not", async () => {
  const run = await runCli(["--backend", "mock", "--json", "--count", "2", "--prompt", "a schema fox"]);
  assert.equal(run.code, 0, run.stderr);
  const validate = new AjvJsonSchemaValidator().getValidator(schemaFile);
  const result = run.json();
  const checked = validate(result);
  assert.ok(checked.valid, checked.errorMessage);
  const withoutHash: Partial<GenerateResult["images"][number]> = { ...result.images[0] };
  delete withoutHash.sha256;
  assert.equal(validate({ ...result, images: [withoutHash] }).valid, false);
  assert.equal(validate({ ...result, requests: [{ ...result.requests[0], status: "maybe" }] }).valid, false);
});
