// The web editor's configuration, read by the CMSs themselves: a site built
// with `cms:` (backend github) is served from a plain static server, and
// its /admin/ page is opened in Debian's Chromium with Decap CMS, then with
// Sveltia CMS in its place (same config.yml). Each must get to its login
// screen, which it shows only once the configuration has passed its own
// checks, and show no configuration error. The scripts come from the npm
// packages (installed by .ci/run), served in place of unpkg.com; no request
// leaves the machine.
//
//   node tests/browser/cms-config.mjs OUTPUT_FOLDER ACCEPTANCE_BROWSER_FOLDER CMS_NODE_MODULES [SHOTS_FOLDER]
//
// CMS_NODE_MODULES holds decap-cms and @sveltia/cms. Prints one line per
// check and exits 1 when one fails.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

const [site, browserFolder, modules, shots] = process.argv.slice(2);
const { chromium } = createRequire(path.join(path.resolve(browserFolder), "package.json"))("playwright-core");

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".yml": "text/yaml", ".css": "text/css" };
const server = createServer(async (req, res) => {
  const url = new URL(req.url, "http://x");
  let file = path.join(path.resolve(site), decodeURIComponent(url.pathname));
  if (!file.startsWith(path.resolve(site))) return res.writeHead(403).end();
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, "index.html");
    const body = await readFile(file);
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const origin = `http://127.0.0.1:${server.address().port}`;

let failed = 0;
const check = (ok, what) => {
  console.log(`${ok ? "ok" : "FAIL"} - ${what}`);
  if (!ok) failed++;
};

const page = await readFile(path.join(site, "admin/index.html"), "utf8");
const script = page.match(/<script src="([^"]+)"/)?.[1] ?? "";
check(/^https:\/\/unpkg\.com\/decap-cms@\d+\.\d+\.\d+\/dist\/decap-cms\.js$/.test(script), `the admin page loads a pinned Decap (${script})`);
const pinned = script.match(/decap-cms@([\d.]+)/)?.[1];
const installed = JSON.parse(await readFile(path.join(modules, "decap-cms/package.json"), "utf8")).version;
check(pinned === installed, `the pinned version is the one installed from npm (${pinned}, ${installed})`);
const dist = path.dirname(script);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});

// `cms`: the CMS whose files stand in for unpkg's; `login`: the text of its login button
async function open(cms, folder, entry, login) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  const p = await context.newPage();
  p.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  p.on("pageerror", (e) => errors.push(String(e)));
  await context.route("**/*", async (route) => {
    const url = route.request().url();
    if (url.startsWith(origin)) return route.continue();
    if (url.startsWith(dist + "/")) {
      const name = url.slice(dist.length + 1).split("?")[0];
      const file = path.join(folder, name === "decap-cms.js" ? entry : name);
      if (!file.startsWith(folder)) return route.abort();
      try {
        return await route.fulfill({ body: await readFile(file), contentType: "text/javascript" });
      } catch {
        return route.fulfill({ status: 404, body: "" });
      }
    }
    return route.abort();
  });
  await p.goto(`${origin}/admin/`);
  const button = p.getByRole("button", { name: login });
  const shown = await button.waitFor({ timeout: 30000 }).then(() => true, () => false);
  const text = await p.locator("body").innerText().catch(() => "");
  if (shots) await p.screenshot({ path: path.join(shots, `cms-${cms.toLowerCase()}.png`) });
  check(shown, `${cms} reads admin/config.yml and offers "${await button.textContent().catch(() => login)}"`);
  const configErrors = [...errors, text].filter((e) => /config/i.test(e) && /error|invalid|must/i.test(e));
  check(configErrors.length === 0, `${cms} reports no configuration error${configErrors.length ? ": " + configErrors.join(" | ").slice(0, 400) : ""}`);
  await context.close();
}

await open("Decap", path.join(modules, "decap-cms/dist"), "decap-cms.js", /GitHub/i);
await open("Sveltia", path.join(modules, "@sveltia/cms/dist"), "sveltia-cms.js", /GitHub/i);

await browser.close();
server.close();
process.exit(failed ? 1 : 0);
