// The search box of the default theme, in a browser, as a reader uses it:
// the keyboard alone, words typed without their accents or in another
// form than the page's. Serves a built site (the example site, built with
// its own base URL) from a plain static server and drives Debian's
// Chromium through playwright-core (as ../shared/acceptance/browser does).
//
//   node tests/browser/search.mjs OUTPUT_FOLDER BASE_PATH ACCEPTANCE_BROWSER_FOLDER [SHOTS_FOLDER [titles]]
//
// With `titles` (any site, e.g. one of ../shared/bench/gen_corpus.py):
// the first cases' titles typed in full, instead of the example's queries.
//
// BASE_PATH is the path of the base URL (`/`, `/cases-site/`); the
// acceptance folder is the one that holds playwright-core in node_modules.
//
// Prints one line per check and exits 1 when one fails.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

const [site, basePath, browserFolder, shots] = process.argv.slice(2);
const { chromium } = createRequire(path.join(path.resolve(browserFolder), "package.json"))("playwright-core");

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".json": "application/json", ".css": "text/css" };
const requests = [];
const server = createServer(async (req, res) => {
  const url = new URL(req.url, "http://x");
  requests.push(url.pathname + url.search);
  if (!url.pathname.startsWith(basePath)) return res.writeHead(404).end();
  let file = path.join(path.resolve(site), decodeURIComponent(url.pathname.slice(basePath.length)));
  if (!file.startsWith(path.resolve(site))) return res.writeHead(403).end();
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, "index.html");
    const body = await readFile(file);
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}${basePath}`;

let failed = 0;
const check = (name, ok, detail) => {
  console.log(`${ok ? "PASS" : "FAIL"} ${name}: ${detail}`);
  if (!ok) failed++;
};

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const page = await browser.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
page.on("response", (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));

// what the results list shows: [address, title] of each result, and the count line
const results = () =>
  page.evaluate(() => ({
    status: document.querySelector(".search-status").textContent,
    items: [...document.querySelectorAll(".search-results li a")].map((a) => [a.getAttribute("href"), a.textContent]),
  }));
const settle = async (want) => {
  await page.waitForFunction((s) => document.querySelector(".search-status").textContent !== s, "", { timeout: 5000 });
  await page.waitForTimeout(150);
  return results();
};

// types into the box with the keyboard alone: Tab from the top of the page
async function typeQuery(home, query) {
  await page.goto(base + home, { waitUntil: "load" });
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(() => document.activeElement?.type === "search")) break;
  }
  const reached = await page.evaluate(() => document.activeElement?.type === "search");
  await page.keyboard.type(query, { delay: 20 });
  return { reached, ...(await settle()) };
}

if (process.argv[6] === "titles") {
  // a larger site (its vocabulary in several parts, so the script's hash
  // of a word's part must be the index's): each case's title, typed in
  // full, finds a case of that title among the first ten (not always
  // first: in a generated corpus a word like "gemeente" is in nearly every
  // case and weighs next to nothing)
  const { readFileSync } = await import("node:fs");
  for (const lang of ["nl", "fr"]) {
    const folder = path.join(site, "search", lang);
    const meta = JSON.parse(readFileSync(path.join(folder, "meta.json"), "utf8"));
    check(`${lang} parts`, meta.parts > 1, `${meta.parts} parts for ${meta.docs} cases`);
    for (const [, title] of JSON.parse(readFileSync(path.join(folder, "d", "0.json"), "utf8")).slice(0, 5)) {
      const r = await typeQuery(`${lang}/`, title);
      const at = r.items.findIndex(([, t]) => t === title);
      check(`${lang} title`, at >= 0, `"${title}": number ${at + 1} of ${r.items.length} shown`);
    }
  }
  check("no errors", errors.length === 0, errors.join(" | ") || "no failed request");
  await browser.close();
  server.close();
  process.exit(failed ? 1 : 0);
}

const cases = [
  // [home, typed, the case expected first, why]
  ["nl/", "participatie", "nl/cases/tuinzigtlaan-breda/", "the word in the title"],
  ["nl/", "windmolens", "nl/cases/windmolenproject-energie-a16/", "a plural the page does not have: its beginning"],
  ["nl/", "coordinatie", "nl/cases/windmolenproject-energie-a16/", "typed without the diaeresis"],
  ["nl/", "huiselijk geweld", "nl/cases/centrum-huiselijk-geweld/", "two words, both required"],
  ["nl/", "gebieds", "nl/cases/gebiedsvisie-bavel/", "the beginning of a word"],
  ["fr/", "chantier", "fr/projets/city-2-bruxelles/", "the word in the title"],
  ["fr/", "ecoles", "fr/projets/scholen-van-morgen/", "typed without the accent"],
  ["fr/", "mobilité intelligente", "fr/projets/mobilite-intelligente-brabant/", "two words, accents kept"],
];
for (const [home, typed, first, why] of cases) {
  const r = await typeQuery(home, typed);
  const got = r.items[0]?.[0] ?? "(none)";
  check(`search ${home} "${typed}"`, r.reached && got.endsWith(first), `${why}: first ${got} of ${r.items.length}, "${r.status}"`);
}

// the count line, and a word no case has
{
  const r = await typeQuery("nl/", "xylofoonkwartet");
  check("no result", r.items.length === 0 && /geen/i.test(r.status), `"${r.status}"`);
  const all = await typeQuery("nl/", "communicatie");
  const n = Number(all.status.match(/\d+/)?.[0]);
  check("count", n === all.items.length && n >= 2, `"${all.status}" for ${all.items.length} results`);
}

// Enter goes to the first result, Enter again opens it; the address keeps the words
{
  await typeQuery("fr/", "chantier");
  const address = new URL(page.url());
  check("address", address.searchParams.get("q") === "chantier", address.search);
  await page.keyboard.press("Enter");
  await page.waitForTimeout(150);
  const focused = await page.evaluate(() => document.activeElement?.getAttribute("href"));
  await page.keyboard.press("Enter");
  await page.waitForURL(/city-2-bruxelles/, { timeout: 5000 }).catch(() => {});
  check("keyboard", page.url().endsWith("/fr/projets/city-2-bruxelles/"), `focus on ${focused}, then ${page.url()}`);
  await page.goBack({ waitUntil: "load" });
  const again = await settle();
  check("shared address", again.items[0]?.[0].endsWith("city-2-bruxelles/"), `back at ${page.url()}: ${again.status}`);
}

// what a query loaded: the description, one part of the vocabulary, one file
// of documents (counted once the page has loaded: the home's filters load
// their own files)
{
  await page.goto(`${base}nl/`, { waitUntil: "networkidle" });
  requests.length = 0;
  await page.focus("input[type=search]");
  await page.keyboard.type("participatie", { delay: 20 });
  await settle();
  const loaded = requests.filter((r) => r.includes("/search/"));
  // the parts carry the index's stamp, so that a host may keep them for a year (_headers)
  const parts = loaded.filter((r) => !r.includes("meta.json"));
  check("stamped", parts.length > 0 && parts.every((r) => /\?v=[0-9a-f]{16}$/.test(r)), parts.join(" "));
  check("loads", loaded.length === 3 && loaded.every((r) => r.startsWith(`${basePath}search/nl/`)), loaded.join(" "));
  if (shots) await page.screenshot({ path: path.join(shots, "search-nl.png") });
}
check("no errors", errors.length === 0, errors.join(" | ") || "none in the console");
await browser.close();
server.close();
process.exit(failed ? 1 : 0);
