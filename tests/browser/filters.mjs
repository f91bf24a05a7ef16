// The filters of the lists of cases of the default theme, in a browser, as a
// reader uses them: a built site (the example, with its base URL) served by
// a plain static server, Debian's Chromium through playwright-core. In each
// language, a tag and a year chosen with the keyboard on the list of cases
// leave the cases that the tag's page lists and whose card dates them in
// that year (read from those pages, not from the index); the address keeps
// the filters, a fresh load of it restores them, clearing them brings the
// whole list back. Each filter the site declares (`sector`) leaves, alone,
// the cases of its value's own page.
//
//   node tests/browser/filters.mjs OUTPUT_FOLDER BASE_PATH ACCEPTANCE_BROWSER_FOLDER [SHOTS_FOLDER]
//
// Prints one line per check and exits 1 when one fails.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

const [site, basePath, browserFolder, shots] = process.argv.slice(2);
const { chromium } = createRequire(path.join(path.resolve(browserFolder), "package.json"))("playwright-core");

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".json": "application/json", ".css": "text/css" };
const server = createServer(async (req, res) => {
  const url = new URL(req.url, "http://x");
  if (!url.pathname.startsWith(basePath)) return res.writeHead(404).end();
  let file = path.join(path.resolve(site), decodeURIComponent(url.pathname.slice(basePath.length)));
  if (!file.startsWith(path.resolve(site))) return res.writeHead(403).end();
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, "index.html");
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" }).end(await readFile(file));
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${server.address().port}`;

let failed = 0;
const check = (name, ok, detail) => {
  console.log(`${ok ? "PASS" : "FAIL"} ${name}: ${detail}`);
  if (!ok) failed++;
};

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
page.on("response", (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));

const shown = () =>
  page.evaluate(() => ({
    status: document.querySelector(".filter-status").textContent,
    results: [...document.querySelectorAll(".filter-results li a")].map((a) => a.pathname).sort(),
    listHidden: [...document.querySelectorAll("[data-unfiltered]")].every((e) => e.hidden),
  }));

// chooses `value` in the select `name` with the keyboard: focus, then arrow keys until it is chosen
async function choose(name, value) {
  const select = page.locator(`select[name=${name}]`);
  await select.focus();
  for (let i = 0; i < 200; i++) {
    const now = await select.evaluate((s) => s.value);
    if (now === value) return true;
    await page.keyboard.press("ArrowDown");
  }
  return false;
}

for (const lang of ["nl", "fr"]) {
  // the home's tags, the one with most cases first; its cases from its own page
  await page.goto(`${origin}${basePath}${lang}/`);
  const tags = await page.evaluate(() =>
    [...document.querySelectorAll("nav.browse[aria-labelledby=tags-title] .tags a")].map((a) => ({
      href: a.href,
      name: a.firstChild.textContent.trim(),
      count: Number(a.querySelector(".tag-count").textContent.replace(/\D/g, "")),
    })),
  );
  tags.sort((a, b) => b.count - a.count);
  const tag = tags[0].name;
  await page.goto(tags[0].href);
  const cases = await page.evaluate(() =>
    [...document.querySelectorAll("li.card")].map((c) => ({
      path: c.querySelector(".card-title a").pathname,
      year: c.querySelector("time").getAttribute("datetime").slice(0, 4),
    })),
  );
  const byYear = new Map();
  for (const c of cases) byYear.set(c.year, [...(byYear.get(c.year) ?? []), c]);
  const years = [...byYear].sort((a, b) => b[1].length - a[1].length);
  const [year, want] = years[0];
  const expected = want.map((c) => c.path).sort();

  await page.goto(`${origin}${basePath}${lang}/`);
  const list = await page.evaluate(() => document.querySelector(".cases .more a").href);
  await page.goto(list);
  await page.locator("form.case-filters").waitFor({ state: "visible", timeout: 5000 });
  const chosen = (await choose("tag", tag)) && (await choose("year", year));
  check(`${lang} chosen`, chosen, `tag "${tag}" and year ${year} chosen with the keyboard`);
  if (!chosen) continue;
  await page.waitForFunction(() => document.querySelector(".filter-status").textContent !== "", null, { timeout: 5000 });
  await page.waitForFunction((n) => document.querySelectorAll(".filter-results li").length === n, expected.length, { timeout: 5000 }).catch(() => {});
  const now = await shown();
  check(
    `${lang} narrowed`,
    JSON.stringify(now.results) === JSON.stringify(expected) && now.listHidden,
    `${now.results.length} of the tag's ${cases.length} cases shown (${now.results.join(" ")}), expected ${expected.join(" ")}`,
  );
  check(`${lang} count`, now.status.includes(String(expected.length)), `"${now.status}"`);
  const address = new URL(page.url());
  check(`${lang} address`, address.searchParams.get("tag") === tag && address.searchParams.get("year") === year, address.search);
  if (shots) await page.screenshot({ path: path.join(shots, `filters-${lang}.png`), fullPage: true });

  // the address shared: a fresh load shows the same
  await page.goto(address.href);
  await page.waitForFunction((n) => document.querySelectorAll(".filter-results li").length === n, expected.length, { timeout: 5000 }).catch(() => {});
  const again = await shown();
  check(`${lang} shared`, JSON.stringify(again.results) === JSON.stringify(expected), `the address alone shows ${again.results.length} cases`);

  // cleared: the whole list is back
  await page.locator("form.case-filters button[type=reset]").click();
  await page.waitForFunction(() => document.querySelector(".filter-status").textContent === "", null, { timeout: 5000 }).catch(() => {});
  const cleared = await shown();
  check(`${lang} cleared`, !cleared.listHidden && cleared.results.length === 0 && !new URL(page.url()).search, `list back, address ${page.url()}`);

  // each filter the site declares (`sector`): its value with most cases
  // leaves the cases of that value's own page
  const own = await page.evaluate(() =>
    [...document.querySelectorAll("form.case-filters select")].map((s) => s.name).filter((n) => !["tag", "client", "year"].includes(n)),
  );
  for (const key of own) {
    await page.goto(`${origin}${basePath}${lang}/`);
    const values = await page.evaluate((key) =>
      [...document.querySelectorAll(`nav.browse[aria-labelledby=filter-${key}-title] .tags a`)].map((a) => ({
        href: a.href,
        name: a.firstChild.textContent.trim(),
        count: Number(a.querySelector(".tag-count").textContent.replace(/\D/g, "")),
      })), key);
    values.sort((a, b) => b.count - a.count);
    if (!values.length) {
      check(`${lang} ${key}`, false, "the home links no value of it");
      continue;
    }
    await page.goto(values[0].href);
    const want = (await page.evaluate(() => [...document.querySelectorAll("li.card .card-title a")].map((a) => a.pathname))).sort();
    await page.goto(list);
    await page.locator("form.case-filters").waitFor({ state: "visible", timeout: 5000 });
    const picked = await choose(key, values[0].name);
    await page.waitForFunction((n) => document.querySelectorAll(".filter-results li").length === n, want.length, { timeout: 5000 }).catch(() => {});
    const got = await shown();
    check(
      `${lang} ${key}`,
      picked && JSON.stringify(got.results) === JSON.stringify(want) && new URL(page.url()).searchParams.get(key) === values[0].name,
      `"${values[0].name}": ${got.results.length} shown, its page lists ${want.length} (${page.url()})`,
    );
  }
}
check("errors", errors.length === 0, errors.join(" | ") || "no page error, no failed request");
await browser.close();
server.close();
process.exit(failed ? 1 : 0);
