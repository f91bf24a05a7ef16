// The web editor, in a browser, as an editor uses it: `vitrine serve` on
// a copy of the example site with a `cms:` block, Decap CMS (the npm
// package's files standing in for unpkg.com) at /admin/, driving Debian's
// Chromium through playwright-core (as ../shared/acceptance/browser does).
//
//   node tests/browser/cms.mjs VITRINE_BINARY EXAMPLE_SITE_FOLDER ACCEPTANCE_BROWSER_FOLDER DECAP_DIST_FOLDER [SHOTS_FOLDER]
//
// EXAMPLE_SITE_FOLDER is the repository's root (its site.yaml, content/,
// i18n/, themes/ are copied into a temporary folder, which is removed
// afterwards unless a check failed); DECAP_DIST_FOLDER is the `dist`
// folder of the npm package decap-cms@3.16.3 (decap-cms.js and its lazy
// chunks); the acceptance folder is the one that holds playwright-core in
// node_modules. No request leaves the machine: Decap's script is answered
// from DECAP_DIST_FOLDER, every other address but the local server's is
// aborted.
//
// A: a new case made in the form (both languages, a fact, a strategy
//    with a line, a contact through the relation widget, an image
//    uploaded in the media library and what it shows, the body) is
//    written as two language files and the image in the case's folder,
//    checks, is served in both languages, with its image and its poster.
// B: an existing case's quote changed in the form: an open page of that
//    case reloads itself and shows the new sentence.
// C: a case with a fact that has no label is refused: the CMS shows
//    vitrine's message and nothing is written.
// D: a case in French only, edited in its French pane, stays in French.
//
// Prints one line per check (`ok - ...`, `FAIL - ...`) and exits 1 when
// one fails.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, appendFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

const [binary, example, browserFolder, decapDist, shots] = process.argv.slice(2);
if (!decapDist) {
  console.error("usage: node tests/browser/cms.mjs VITRINE_BINARY EXAMPLE_SITE_FOLDER ACCEPTANCE_BROWSER_FOLDER DECAP_DIST_FOLDER [SHOTS_FOLDER]");
  process.exit(2);
}
const { chromium } = createRequire(path.join(path.resolve(browserFolder), "package.json"))("playwright-core");
const vitrine = path.resolve(binary);
const dist = path.resolve(decapDist);
if (shots) mkdirSync(shots, { recursive: true });
const DECAP = "https://unpkg.com/decap-cms@3.16.3/dist/";

let failed = 0;
const check = (name, ok, detail) => {
  console.log(`${ok ? "ok" : "FAIL"} - ${name}${detail ? `: ${detail}` : ""}`);
  if (!ok) failed++;
  return ok;
};
// (the CMS scrolls its form inside a window-high box: a tall window shows all of it)
async function shot(page, name, tall = false) {
  if (!shots) return;
  if (tall) await page.setViewportSize({ width: 1400, height: 4000 });
  await page.screenshot({ path: path.join(shots, `cms-${name}.png`), fullPage: true });
  if (tall) await page.setViewportSize({ width: 1400, height: 1000 });
}
// text as a reader sees it, whatever the YAML's folding
const squash = (s) => s.replace(/\s+/g, " ");
const read = (file) => (existsSync(file) ? readFileSync(file, "utf8") : "");

// the site: a copy of the example, with the web editor
const site = mkdtempSync(path.join(os.tmpdir(), "vitrine-cms-"));
for (const name of ["site.yaml", "content", "i18n", "themes"]) {
  const from = path.join(example, name);
  if (existsSync(from)) cpSync(from, path.join(site, name), { recursive: true });
}
appendFileSync(
  path.join(site, "site.yaml"),
  "\ncms:\n  backend:\n    name: github\n    repo: agency/cases\n    branch: main\n  locale: en\n",
);
const cases = path.join(site, "content", "cases");
const casesBefore = new Set(readdirSync(cases));

// `vitrine serve --port 0`, its address from its own line
const server = spawn(vitrine, ["serve", "--port", "0"], { cwd: site, stdio: ["ignore", "pipe", "pipe"] });
const serverLog = [];
const killServer = () => server.exitCode === null && server.kill("SIGTERM");
process.on("exit", killServer);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));
const base = await new Promise((resolve) => {
  const timer = setTimeout(() => resolve(null), 30000);
  const listen = (chunk) => {
    serverLog.push(String(chunk));
    const m = serverLog.join("").match(/serving \S+ at (http:\/\/127\.0\.0\.1:\d+\/)/);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  };
  server.stdout.on("data", listen);
  server.stderr.on("data", listen);
  server.on("exit", () => resolve(null));
});
if (!check("serve", base, base ?? `no address in: ${serverLog.join("").trim()}`)) process.exit(1);
// files to upload, outside the site
const uploads = mkdtempSync(path.join(os.tmpdir(), "vitrine-cms-upload-"));

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
const aborted = [];
await context.route("**/*", (route) => {
  const url = route.request().url();
  if (url.startsWith(base)) return route.continue();
  if (url.startsWith(DECAP)) {
    const file = path.join(dist, decodeURIComponent(new URL(url).pathname.slice(new URL(DECAP).pathname.length)));
    if (file.startsWith(dist + path.sep) && existsSync(file)) return route.fulfill({ path: file });
    aborted.push(`${url} (not in ${dist})`);
    return route.fulfill({ status: 404 });
  }
  aborted.push(url);
  return route.abort();
});
const errors = [];
const page = await context.newPage();
page.setDefaultTimeout(15000);
page.on("pageerror", (e) => errors.push(`page error: ${e}`));
page.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text().split("\n")[0]}`));
// leaving an entry with changes asks first
page.on("dialog", (d) => d.accept().catch(() => {}));
// what vitrine refused (action, status, its answer), to show when a check fails
const refusals = [];
page.on("response", async (r) => {
  if (!r.url().startsWith(`${base}api/v1`) || r.ok()) return;
  let action = "?";
  try {
    action = JSON.parse(r.request().postData() ?? "{}").action;
  } catch {}
  refusals.push(`${action} ${r.status()} ${(await r.text().catch(() => "")).slice(0, 300)}`);
});

// the fields' labels in the CMS's language (English here): the messages `cms-<key>` of i18n/en.ftl
const labels = Object.fromEntries(
  [...read(path.join(example, "i18n", "en.ftl")).matchAll(/^cms-(\w+) = (.+)$/gm)].map((m) => [m[1], m[2].trim()]),
);
// a field of a form (or of an object or list within it) by the label of its key
async function fieldId(scope, key, nth = 0) {
  const name = labels[key] ?? key;
  const ids = await scope
    .locator("label[for]")
    .evaluateAll((labels, name) => labels.filter((l) => l.firstChild?.textContent.trim() === name).map((l) => l.htmlFor), name);
  if (!ids[nth]) throw new Error(`no field \`${name}\` (${key})`);
  return ids[nth];
}
const field = async (scope, key, nth = 0) => page.locator(`[id="${await fieldId(scope, key, nth)}"]`);
// the box around a field, its label included (an image field has no input of its own)
const control = async (scope, key, nth = 0) =>
  scope.locator(`label[for="${await fieldId(scope, key, nth)}"]`).locator("xpath=ancestor::*[@aria-label][1]");
const nl = page.locator(".SplitPane .Pane1");
const fr = page.locator(".SplitPane .Pane2");
const formOpen = () => nl.locator("label[for]").first().waitFor({ timeout: 15000 });

// Publish → Publish now; the notification it ends with
async function publish() {
  for (const close of await page.locator(".Toastify__close-button").all()) await close.click().catch(() => {});
  await page.locator(".Toastify__toast").first().waitFor({ state: "detached", timeout: 5000 }).catch(() => {});
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await page.getByText("Publish now", { exact: true }).click();
  const toast = page.locator(".Toastify__toast").first();
  await toast.waitFor({ timeout: 60000 });
  return squash(await toast.innerText());
}

async function newCase() {
  await page.goto(`${base}admin/#/collections/cases`);
  await page.locator('a[href$="/collections/cases/new"]').first().click();
  await formOpen();
}

// a case's page, once the rebuild has it
async function served(viewer, address, text) {
  let response;
  for (let i = 0; i < 20; i++) {
    response = await viewer.goto(address).catch(() => null);
    if (response?.status() === 200) break;
    await viewer.waitForTimeout(500);
  }
  const body = response?.status() === 200 ? await viewer.locator("body").innerText() : "";
  return { status: response?.status(), has: body.includes(text), body };
}

try {
  // log in: the proxy backend's button
  await page.goto(`${base}admin/`);
  await page.getByRole("button", { name: "Login" }).click();
  const listed = await page
    .getByRole("heading", { name: "Cases" })
    .waitFor({ timeout: 15000 })
    .then(() => true, () => false);
  check("login", listed, listed ? "the Cases collection is listed" : "no Cases collection after Login");
  if (shots) await page.screenshot({ path: path.join(shots, "cms-list.png") });

  // A: a new case, both languages
  {
    const personFile = readdirSync(path.join(site, "content", "people")).find((f) => f.endsWith(".yaml"));
    const personName = read(path.join(site, "content", "people", personFile)).match(/^name:\s*(.+)$/m)[1].trim();
    const personSlug = personFile.replace(/\.yaml$/, "");
    // a photo of the example, uploaded under a name of its own
    const photoCase = readdirSync(cases).find((c) => readdirSync(path.join(cases, c)).some((f) => f.endsWith(".jpg")));
    const photo = path.join(cases, photoCase, readdirSync(path.join(cases, photoCase)).find((f) => f.endsWith(".jpg")));
    const uploadName = "zeeland-kaart.jpg";
    const upload = path.join(uploads, uploadName);
    cpSync(photo, upload);
    const uploaded = readFileSync(upload);
    const imageAlt = "Kaart van Zeeland met de vier deelnemende gemeenten";
    await newCase();
    await (await field(nl, "title")).fill("Testcase Zeeland");
    await (await field(nl, "client")).fill("Provincie Zeeland");
    await (await field(nl, "date")).fill("2024-05-01");
    const facts = await field(nl, "facts");
    await facts.getByRole("button", { name: `Add ${labels.facts}` }).click();
    await (await field(facts, "value")).fill("1.200");
    await (await field(facts, "label")).fill("deelnemers");
    const strategy = await field(nl, "strategy");
    await (await field(strategy, "title")).fill("Drie lijnen");
    const lines = await field(strategy, "lines");
    await lines.getByRole("button", { name: `Add ${labels.lines}` }).click();
    await (await field(lines, "title")).fill("Eerst luisteren");
    await (await field(lines, "text")).fill("We spreken iedereen.");
    await (await field(nl, "contact")).fill(personName.slice(0, 3));
    await page.getByRole("option", { name: personName }).click();
    await nl.locator('[aria-label="markdown field"] [contenteditable="true"]').click();
    await page.keyboard.type("Zeeland vroeg ons om mee te denken.");
    // the image: Upload in the media library, then Choose selected
    const image = await control(nl, "image");
    await image.getByRole("button", { name: "Choose an image" }).click();
    const library = page.getByRole("dialog");
    await library.locator('input[type="file"]').setInputFiles(upload);
    const card = library.getByText(uploadName, { exact: true });
    await card.waitFor();
    const choose = library.getByRole("button", { name: "Choose selected" });
    // (an upload comes selected; a click on a selected card unselects it)
    if (await choose.isDisabled()) await card.click();
    await choose.click();
    await library.waitFor({ state: "detached" });
    await image.locator("img").waitFor();
    await (await field(nl, "image_alt")).fill(imageAlt);
    await (await field(fr, "title")).fill("Cas test Zélande");
    await (await field(fr, "client")).fill("Province de Zélande");
    await shot(page, "a-filled", true);
    const said = await publish();
    await shot(page, "a-saved", true);
    check("A publish", /Entry saved/i.test(said), `the CMS says "${said}"`);

    const made = readdirSync(cases).filter((f) => !casesBefore.has(f));
    const folder = made[0] ?? "(none)";
    check("A folder", made.length === 1 && folder === "testcase-zeeland", `new case folders: ${made.join(", ") || "none"}`);
    const nlText = squash(read(path.join(cases, folder, "index.nl.md")));
    const frText = squash(read(path.join(cases, folder, "index.fr.md")));
    check("A nl file", nlText.includes("title: Testcase Zeeland"), `content/cases/${folder}/index.nl.md ${nlText ? `${nlText.length} chars` : "missing"}`);
    check("A fr file", frText.includes("title: Cas test Zélande"), `content/cases/${folder}/index.fr.md ${frText ? `${frText.length} chars` : "missing"}`);
    const want = [`contact: ${personSlug}`, "1.200", "label: deelnemers", "title: Drie lijnen", "title: Eerst luisteren", "We spreken iedereen.", "date: 2024-05-01", "Zeeland vroeg ons"];
    const missing = want.filter((w) => !nlText.includes(w));
    check("A fields", missing.length === 0, missing.length ? `not in the nl file: ${missing.join(" | ")}` : want.join(" | "));
    check("A shared fields", frText.includes(`contact: ${personSlug}`) && frText.includes("date: 2024-05-01") && frText.includes(`image: ${uploadName}`), "fr has the nl date, contact and image");
    const stored = path.join(cases, folder, uploadName);
    const storedBytes = existsSync(stored) ? readFileSync(stored) : null;
    const refused = refusals.length ? `; vitrine refused: ${refusals.join(" | ")}` : "";
    check(
      "A image file",
      storedBytes?.equals(uploaded),
      storedBytes
        ? `content/cases/${folder}/${uploadName}: ${storedBytes.length} bytes, ${storedBytes.equals(uploaded) ? "the" : "not the"} ${uploaded.length} uploaded`
        : `no content/cases/${folder}/${uploadName}; in the folder: ${existsSync(path.join(cases, folder)) ? readdirSync(path.join(cases, folder)).join(", ") : "none"}${refused}`,
    );
    const imageLine = nlText.match(/(?:^| )image: \S+/)?.[0].trim();
    check("A image in nl file", imageLine === `image: ${uploadName}` && nlText.includes(`image_alt: ${imageAlt}`), `${imageLine ?? "no image:"}, image_alt ${nlText.includes(`image_alt: ${imageAlt}`) ? "written" : "missing"}`);

    const checked = spawnSync(vitrine, ["check"], { cwd: site, encoding: "utf8" });
    check("A vitrine check", checked.status === 0, `exit ${checked.status}${checked.status ? `: ${(checked.stdout + checked.stderr).trim().split("\n").slice(-6).join(" / ")}` : ""}`);

    const viewer = await context.newPage();
    const nlPage = await served(viewer, `${base}nl/cases/${folder}/`, "Testcase Zeeland");
    check("A nl page", nlPage.status === 200 && nlPage.has, `/nl/cases/${folder}/: ${nlPage.status}, title ${nlPage.has ? "shown" : "missing"}`);
    const shown = ["deelnemers", "Eerst luisteren", personName, "Zeeland vroeg ons"].filter((w) => !nlPage.body.includes(w));
    check("A nl page fields", nlPage.status === 200 && shown.length === 0, shown.length ? `not on the page: ${shown.join(" | ")}` : "fact, line, contact, body");
    // the image: an <img> of the page's own folder, made from the upload:
    // the browser shows the WebP of its <picture>, the <img> itself a JPEG
    const pagePath = `/nl/cases/${folder}/`;
    const imgs = await viewer.locator("img").evaluateAll((all) => all.map((i) => ({ shown: i.currentSrc || i.src, src: i.src, alt: i.alt, width: i.naturalWidth })));
    const img = imgs.find((i) => new URL(i.src).pathname.startsWith(pagePath) && path.basename(new URL(i.src).pathname).startsWith(uploadName.replace(/\.jpg$/, "")));
    if (img) {
      const read = async (url) => {
        const response = await fetch(url);
        const bytes = Buffer.from(await response.arrayBuffer());
        return { status: response.status, type: response.headers.get("content-type") ?? "", bytes };
      };
      const [shown, fallback] = [await read(img.shown), await read(img.src)];
      const webp = shown.bytes.subarray(0, 4).toString("latin1") === "RIFF" && shown.bytes.subarray(8, 12).toString("latin1") === "WEBP";
      const jpeg = fallback.bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]));
      check("A image on nl page", shown.status === 200 && shown.type === "image/webp" && webp && img.width > 0, `${new URL(img.shown).pathname}: ${shown.status}, ${shown.type}, ${shown.bytes.length} bytes${webp ? ", a WebP" : ", not a WebP"}, ${img.width} px wide in the browser`);
      check("A image fallback", fallback.status === 200 && jpeg, `${new URL(img.src).pathname}: ${fallback.status}, ${fallback.type}${jpeg ? ", a JPEG" : ", not a JPEG"}`);
      check("A image alt", img.alt === imageAlt, `alt="${img.alt}"`);
    } else {
      check("A image on nl page", false, `no <img> of ${pagePath}${uploadName.replace(/\.jpg$/, "")}*; images: ${imgs.map((i) => new URL(i.src).pathname).join(", ") || "none"}`);
      check("A image alt", nlPage.body.includes(imageAlt), `no such <img>; the text ${nlPage.body.includes(imageAlt) ? "is" : "is not"} on the page`);
    }
    const pdf = await viewer.locator('a[href$=".pdf"]').first().getAttribute("href", { timeout: 2000 }).catch(() => null);
    if (pdf) {
      const response = await fetch(new URL(pdf, `${base}nl/cases/${folder}/`));
      const bytes = Buffer.from(await response.arrayBuffer());
      check("A poster", response.status === 200 && bytes.subarray(0, 4).toString() === "%PDF", `${pdf}: ${response.status}, ${bytes.length} bytes, starts ${JSON.stringify(bytes.subarray(0, 5).toString())}`);
    } else check("A poster", false, "no a[href$=.pdf] on the nl page");
    await shot(viewer, "a-page-nl");
    const frPage = await served(viewer, `${base}fr/projets/${folder}/`, "Cas test Zélande");
    check("A fr page", frPage.status === 200 && frPage.has, `/fr/projets/${folder}/: ${frPage.status}, title ${frPage.has ? "shown" : "missing"}`);
    await viewer.close();
  }

  // B: an existing case's quote, while its page is open
  {
    const slug = "veiliger-thuis-midden-brabant";
    const nlFile = path.join(cases, slug, "index.nl.md");
    const frFile = path.join(cases, slug, "index.fr.md");
    const frQuote = "C’était agréable de travailler avec les « Connecters »";
    const title = read(nlFile).match(/^title:\s*"?(.+?)"?\s*$/m)[1];
    const sentence = `Connect luistert eerst, en schrijft dan (test ${Date.now() % 100000}).`;

    const viewer = await context.newPage();
    const viewerErrors = [];
    viewer.on("pageerror", (e) => viewerErrors.push(String(e)));
    await viewer.goto(`${base}nl/cases/${slug}/`);
    await viewer.evaluate(() => (window.__beforeSave = true));

    await page.bringToFront();
    await page.goto(`${base}admin/#/collections/cases`);
    const inList = await page
      .getByText(title, { exact: false })
      .first()
      .click({ timeout: 10000 })
      .then(() => true, () => false);
    if (!inList) await page.goto(`${base}admin/#/collections/cases/entries/${slug}/index`);
    await page.waitForURL(new RegExp(`entries/${slug}/index`), { timeout: 10000 });
    check("B open", inList, inList ? `"${title}" found in the Cases list` : `"${title}" not in the list: opened by its address`);
    await formOpen();
    const quote = await field(nl, "quote");
    const text = await field(quote, "text");
    await page.waitForFunction((id) => document.getElementById(id)?.value, await text.getAttribute("id"), { timeout: 10000 });
    await text.fill(sentence);
    const said = await publish();
    await shot(page, "b-saved", true);
    check("B publish", /Entry saved/i.test(said), `the CMS says "${said}"`);
    check("B nl file", squash(read(nlFile)).includes(sentence), `the new sentence ${squash(read(nlFile)).includes(sentence) ? "is" : "is not"} in index.nl.md`);
    check("B fr file", squash(read(frFile)).includes(frQuote) && !read(frFile).includes(sentence), "the French quote is left as it was");

    const reloaded = await viewer
      .waitForFunction((s) => !window.__beforeSave && document.body.innerText.includes(s), sentence, { timeout: 10000, polling: 200 })
      .then(() => true, () => false);
    const now = await viewer.evaluate(() => ({ kept: !!window.__beforeSave, shows: document.body.innerText })).catch(() => ({ kept: "?", shows: "" }));
    check("B reload", reloaded, reloaded ? "the open page reloaded itself and shows the new sentence" : `after 10 s: page ${now.kept ? "not reloaded" : "reloaded"}, sentence ${now.shows.includes(sentence) ? "shown" : "not shown"}`);
    await shot(viewer, "b-page");
    check("B page errors", viewerErrors.length === 0, viewerErrors.join(" | ") || "none");
    await viewer.close();
  }

  check("console", errors.length === 0, errors.join(" | ") || "no error in the CMS's console so far");

  // C: a case that would not build (a fact without what it counts: the
  // form lets it through, vitrine does not)
  {
    await newCase();
    await (await field(nl, "title")).fill("Zonder label");
    await (await field(nl, "client")).fill("Gemeente Goes");
    await (await field(nl, "date")).fill("2024-06-01");
    const facts = await field(nl, "facts");
    await facts.getByRole("button", { name: `Add ${labels.facts}` }).click();
    await (await field(facts, "value")).fill("12");
    const said = await publish();
    await shot(page, "c-refused", true);
    check("C refused", /vitrine did not save/.test(said) && /facts\[1\]\.label/.test(said), `the CMS says "${said}"`);
    const made = readdirSync(cases).filter((f) => !casesBefore.has(f) && f !== "testcase-zeeland");
    check("C nothing written", made.length === 0, made.length ? `new: ${made.join(", ")}` : "no new case folder");
  }

  // D: a case in French only stays in French: the Dutch pane holds a
  // stand-in, the French text is edited in its own pane
  {
    const slug = "city-2-bruxelles";
    const frFile = path.join(cases, slug, "index.fr.md");
    const frTitle = read(frFile).match(/^title:\s*"?(.+?)"?\s*$/m)[1];
    // (a fresh page: the refused entry of C is left behind)
    await page.goto("about:blank");
    await page.goto(`${base}admin/#/collections/cases/entries/${slug}/index`);
    await formOpen();
    const standIn = await field(nl, "title");
    await page.waitForFunction((id) => document.getElementById(id)?.value, await standIn.getAttribute("id"), { timeout: 10000 });
    const shown = await standIn.inputValue();
    check("D stand-in", shown === `[fr] ${frTitle}`, `the Dutch title field shows "${shown}"`);
    const summary = `Un résumé écrit dans l’éditeur (${Date.now() % 100000}).`;
    await (await field(fr, "summary")).fill(summary);
    const said = await publish();
    await shot(page, "d-saved", true);
    check("D publish", /Entry saved/i.test(said), `the CMS says "${said}"`);
    check("D fr file", squash(read(frFile)).includes(summary), "the summary is in index.fr.md");
    check("D no nl file", !existsSync(path.join(cases, slug, "index.nl.md")), "no index.nl.md was made");
  }
} catch (e) {
  check("run", false, String(e.stack ?? e).replace(/\x1b\[\d+m/g, "").split("\n").slice(0, 4).join(" / "));
  await shot(page, "error").catch(() => {});
}

check("offline", aborted.length === 0, aborted.length ? `aborted: ${aborted.join(" ")}` : "no request left the machine");
await browser.close();
killServer();
rmSync(uploads, { recursive: true, force: true });
if (failed) console.log(`# site kept in ${site}; serve said:\n${serverLog.join("").replace(/^/gm, "#   ")}`);
else rmSync(site, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
