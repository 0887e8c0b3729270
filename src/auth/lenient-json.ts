/** Parses hand-edited JSON5-style config (`openclaw.json`): comments, trailing commas, bare keys, single quotes. */

function readQuoted(text: string, start: number): { json: string; end: number } {
  const quote = text[start];
  let i = start + 1;
  let body = "";
  while (i < text.length && text[i] !== quote) {
    if (text[i] === "\\") {
      const next = text[i + 1] ?? "";
      // `\'` is only an escape in single-quoted JSON5 strings.
      body += next === "'" ? "'" : `\\${next}`;
      i += 2;
    } else {
      body += text[i] === '"' ? '\\"' : text[i];
      i += 1;
    }
  }
  return { json: `"${body}"`, end: i + 1 };
}

const BARE_WORD = /[A-Za-z_$][\w$]*/y;
const COLON_AHEAD = /\s*:/y;

/** Undefined when the text is not even JSON5-ish. */
export function parseLenientJson(text: string): unknown {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? "";
    const next = text[i + 1];
    if (ch === '"' || ch === "'") {
      const quoted = readQuoted(text, i);
      out += quoted.json;
      i = quoted.end;
    } else if (ch === "/" && next === "/") {
      while (i < text.length && text[i] !== "\n") i += 1;
    } else if (ch === "/" && next === "*") {
      const close = text.indexOf("*/", i + 2);
      i = close === -1 ? text.length : close + 2;
    } else if (ch === "}" || ch === "]") {
      const trimmed = out.trimEnd();
      out = (trimmed.endsWith(",") ? trimmed.slice(0, -1) : out) + ch;
      i += 1;
    } else if (/[A-Za-z_$]/.test(ch)) {
      BARE_WORD.lastIndex = i;
      const word = BARE_WORD.exec(text)?.[0] ?? ch;
      i += word.length;
      COLON_AHEAD.lastIndex = i;
      out += COLON_AHEAD.test(text) ? JSON.stringify(word) : word;
    } else {
      out += ch;
      i += 1;
    }
  }
  try {
    return JSON.parse(out);
  } catch {
    return undefined;
  }
}
