// vitrine's search against Pagefind's, query by query: the first result of
// each. Pagefind (the npm `pagefind` package, a yardstick here, never a
// dependency) indexes a copy of the built site's case pages (the case
// article, without related cases and the contact box, as a site would set
// it up); both are asked in Chromium, vitrine through its search box as a
// reader types, Pagefind through its JavaScript API on the same page.
//
//   node docs/bench-search.mjs SITE_OUTPUT QUERIES.json ACCEPTANCE_BROWSER_FOLDER PAGEFIND_FOLDER
//
// SITE_OUTPUT: a site built with a base URL at the host's root. QUERIES:
// {"nl": ["participatie", ...], "fr": [...]}. The acceptance folder holds
// playwright-core; the Pagefind folder holds node_modules/.bin/pagefind
// (`npm install pagefind` there). Prints a table and the count of queries
// whose first results agree, or whose first results differ but vitrine's
// has at least as many of the query's words in its title (the field both
// weigh most: a plain, checkable measure of "at least as relevant").
import { createServer } from "node:http";
import { readFile, stat, cp, mkdtemp } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

const [built, queriesFile, browserFolder, pagefindFolder] = process.argv.slice(2);
const { chromium } = createRequire(path.join(path.resolve(browserFolder), "package.json"))("playwright-core");
const queries = JSON.parse(readFileSync(queriesFile, "utf8"));

const site = await mkdtemp(path.join(os.tmpdir(), "bench-search-"));
await cp(built, site, { recursive: true });
const started = Date.now();
execFileSync(path.join(pagefindFolder, "node_modules/.bin/pagefind"), [
  "--site", site, "--glob", "*/*/*/index.html", "--root-selector", "article.case",
  "--exclude-selectors", ".related, .contact, .poster",
], { stdio: ["ignore", "ignore", "inherit"] });
const pagefindSeconds = (Date.now() - started) / 1000;

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".json": "application/json", ".css": "text/css",
  ".wasm": "application/wasm" };
const server = createServer(async (req, res) => {
  let file = path.join(site, decodeURIComponent(new URL(req.url, "http://x").pathname));
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, "index.html");
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" })
      .end(await readFile(file));
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
const page = await browser.newPage();

// the words of a text, lowered and without accents (as both indexes take them)
const words = (text) => (text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().match(/[\p{L}\p{N}]+/gu) || []);
let same = 0, asGood = 0, all = 0;
const rows = [];
for (const [lang, list] of Object.entries(queries)) {
  await page.goto(`${base}${lang}/`, { waitUntil: "load" });
  for (const q of list) {
    const ours = await page.evaluate(async (q) => {
      const input = document.querySelector(".site-search input");
      const status = document.querySelector(".search-status");
      input.value = q;
      status.textContent = "";
      input.dispatchEvent(new Event("input"));
      for (let i = 0; i < 200 && status.textContent === ""; i++) await new Promise((r) => setTimeout(r, 20));
      const a = document.querySelector(".search-results a");
      return [a ? new URL(a.href).pathname : "", a ? a.textContent : ""];
    }, q);
    const theirs = await page.evaluate(async (q) => {
      const pf = await import("/pagefind/pagefind.js");
      const r = await pf.search(q);
      const first = r.results[0] ? await r.results[0].data() : null;
      return [first ? first.url : "", r.results.length, first ? first.meta.title : ""];
    }, q);
    // how relevant a first result is, plainly: the words of the query its title has
    const inTitle = (title) => words(q).filter((w) => words(title).some((t) => t.startsWith(w))).length;
    const [mine, other] = [inTitle(ours[1]), inTitle(theirs[2])];
    const verdict = ours[0] === theirs[0] ? "same" : mine >= other ? `as relevant (${mine} ≥ ${other})` : `less (${mine} < ${other})`;
    same += ours[0] === theirs[0];
    asGood += ours[0] !== theirs[0] && mine >= other;
    all++;
    rows.push(`| ${lang} | ${q} | ${ours[0] || "–"} | ${theirs[0] || "–"} (${theirs[1]}) | ${verdict} |`);
  }
}
console.log("| lang | query | vitrine first | Pagefind first (results) | vitrine's first (query words in its title) |");
console.log("| --- | --- | --- | --- | --- |");
console.log(rows.join("\n"));
console.log(`\n${all} queries: ${same} the same first result, ${asGood} another one with at least as many of the`);
console.log(`query's words in its title, ${all - same - asGood} one with fewer. Pagefind indexed in ${pagefindSeconds} s.`);
await browser.close();
server.close();
