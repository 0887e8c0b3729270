// A node:test reporter that writes one line per failed test: "file › suite › test".
// tools/stress.mjs adds it next to the usual reporter to name what failed in each run.
import { relative } from "node:path";

export default async function* failedTests(source) {
  const open = new Map(); // file → names of the tests now started, by nesting level
  for await (const event of source) {
    const { name, nesting, file } = event.data ?? {};
    if (event.type === "test:start") {
      const names = open.get(file) ?? [];
      names.length = nesting;
      names.push(name);
      open.set(file, names);
    } else if (event.type === "test:fail" && event.data.details?.error?.failureType !== "subtestsFailed") {
      const path = (open.get(file) ?? []).slice(0, nesting);
      const where = file === undefined ? [] : [relative(process.cwd(), file)];
      yield `${[...where, ...path, name].filter((part) => part !== file).join(" › ")}\n`;
    }
  }
}
