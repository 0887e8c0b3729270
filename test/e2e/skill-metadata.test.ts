import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { parse as parseShell } from "shell-quote";
import { parse as parseYaml } from "yaml";
import { FLAGS } from "../../src/flags/table.js";
import { BATCH_COMMAND_FLAGS } from "../../src/batch/args.js";
import { MCP_FLAGS } from "../../src/mcp/args.js";
import { SERVE_FLAGS } from "../../src/serve/args.js";
import { runCli } from "../support/run-cli.js";

const root = new URL("../../", import.meta.url);
const skillPage = readFileSync(new URL("SKILL.md", root), "utf8");
const SCRIPT = "node {baseDir}/scripts/codex-imagen.mjs";

function frontmatter(page: string): { meta: Record<string, unknown>; body: string } {
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(page);
  assert.ok(match, "SKILL.md starts with a --- frontmatter block");
  return { meta: parseYaml(match[1] ?? "") as Record<string, unknown>, body: match[2] ?? "" };
}

/** Every command line the page tells an agent to run: in code blocks and in `inline code`, whatever follows the script. */
function commandLines(body: string): string[] {
  const code = [...body.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].flatMap((m) => (m[1] ?? "").split("\n"));
  const inline = [...body.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? "");
  return [...code, ...inline].filter((line) => line.includes(SCRIPT)).map((line) => line.slice(line.indexOf(SCRIPT) + SCRIPT.length).trim());
}

const { meta, body } = frontmatter(skillPage);

describe("SKILL.md and agents/openai.yaml", () => {
  test("the frontmatter has what OpenClaw and the Agent Skills format need", () => {
    assert.equal(meta.name, "codex-imagen");
    assert.match(String(meta.name), /^[a-z0-9-]{1,64}$/);
    assert.equal(typeof meta.description, "string");
    assert.ok(String(meta.description).length > 40 && String(meta.description).length <= 1024, "a description of 40-1024 characters");
    const openclaw = (meta.metadata as { openclaw?: { emoji?: unknown; requires?: { bins?: unknown } } } | undefined)?.openclaw;
    assert.equal(typeof openclaw?.emoji, "string");
    assert.deepEqual(openclaw?.requires?.bins, ["node"]);
    assert.match(body, /MEDIA:<absolute path>/, "tells the agent how to attach an image");
  });

  test("agents/openai.yaml gives Codex a display name, a 25-64 character description and a prompt that names the skill", () => {
    const agent = parseYaml(readFileSync(new URL("agents/openai.yaml", root), "utf8")) as {
      interface?: { display_name?: unknown; short_description?: unknown; default_prompt?: unknown };
    };
    const ui = agent.interface;
    assert.ok(typeof ui?.display_name === "string" && ui.display_name.trim() !== "");
    assert.ok(typeof ui?.short_description === "string", "short_description is text");
    assert.ok(ui.short_description.length >= 25 && ui.short_description.length <= 64, `${ui.short_description.length} characters`);
    assert.ok(typeof ui?.default_prompt === "string" && ui.default_prompt.includes(`$${String(meta.name)}`), "default_prompt names $codex-imagen");
  });

  test("every flag the page mentions exists", () => {
    const known = new Set([...FLAGS, ...MCP_FLAGS, ...BATCH_COMMAND_FLAGS, ...SERVE_FLAGS].flatMap((flag) => [`--${flag.name}`, ...(flag.short === undefined ? [] : [`-${flag.short}`])]));
    // Other tools' commands (`openclaw models auth login --provider openai`) have flags of their own.
    const ours = body.replace(/`(?:openclaw|codex) [^`]*`/g, "");
    const mentioned = new Set([...ours.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]));
    assert.deepEqual([...mentioned].filter((flag) => !known.has(flag)), []);
  });

  test("every command line on the page parses: each runs with --help appended", async () => {
    const commands = commandLines(body);
    assert.ok(commands.length >= 6, `found ${commands.length} command lines`);
    for (const command of commands) {
      const args = parseShell(command).map((part) => {
        assert.equal(typeof part, "string", `a plain command line: ${command}`);
        return part as string;
      });
      const run = await runCli([...args, "--help"]);
      assert.equal(run.code, 0, `${command}\n${run.stderr}`);
      assert.match(run.stdout, /^codex-imagen \d+\.\d+\.\d+/, command);
    }
  });
});
