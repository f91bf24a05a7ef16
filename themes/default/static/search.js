// The search box of vitrine's default theme. It looks the words a reader
// types up in the language's index, which `vitrine build` writes in
// search/<lang>/ (the format: src/render/search.rs), and loads only the
// parts of it those words need. No stemmer here: a word typed is matched
// against the index's own words, whole or as their beginning, and each of
// those stands for its stem. Without JavaScript the box stays hidden.
(() => {
  "use strict";
  const box = document.querySelector("[data-search-index]");
  if (!box || !window.fetch) return;
  const form = box.querySelector("form");
  const input = box.querySelector("input");
  const status = box.querySelector("[role=status]");
  const list = box.querySelector("ol");
  const { searchIndex: index, root, none, one, many } = box.dataset;
  const SHOWN = 10;

  // the same splitting and folding as vitrine's (src/text/words.rs)
  const FOLDED = {
    ß: "ss", à: "a", á: "a", â: "a", ã: "a", ä: "a", å: "a", æ: "ae", ç: "c", è: "e", é: "e", ê: "e",
    ë: "e", ì: "i", í: "i", î: "i", ï: "i", ñ: "n", ò: "o", ó: "o", ô: "o", õ: "o", ö: "o", ø: "o",
    ù: "u", ú: "u", û: "u", ü: "u", ý: "y", ÿ: "y", œ: "oe",
  };
  const WORD = /[\p{Alphabetic}\p{N}]+/gu;
  const fold = (w) => Array.from(w.toLowerCase(), (c) => FOLDED[c] ?? c).join("");
  const words = (text) => [...new Set((text.match(WORD) || []).map(fold))].filter((w) => [...w].length > 1);
  const encoder = new TextEncoder();
  // FNV-1a of a word's first two characters: the part of the vocabulary it is in
  const partOf = (word, parts) => {
    let h = 0x811c9dc5;
    for (const b of encoder.encode([...word].slice(0, 2).join(""))) h = Math.imul(h ^ b, 0x01000193) >>> 0;
    return h % parts;
  };

  let meta = null;
  const cache = new Map();
  const get = (file) => {
    if (!cache.has(file)) {
      const load = fetch(`${index}${file}?v=${meta.stamp}`).then((r) => (r.ok ? r.json() : Promise.reject(r.status)));
      cache.set(file, load.catch((e) => { cache.delete(file); throw e; }));
    }
    return cache.get(file);
  };
  const loadMeta = async () => {
    if (!meta) {
      const r = await fetch(`${index}meta.json`, { cache: "no-cache" });
      if (!r.ok) throw r.status;
      meta = await r.json();
    }
    return meta;
  };

  // documents → score for one typed word: its best stem per document,
  // weighed by how rare the stem is and how much of the word was typed. A
  // word of the site counts as itself (its stem), unless it is the word
  // still being typed (`open`): then the words it begins count too.
  const scoresOf = async (term, open) => {
    const part = await get(`w/${partOf(term, meta.parts)}.json`);
    part.words ??= Object.entries(part.w);
    const stems = new Map();
    if (!open && part.w[term] !== undefined) stems.set(part.w[term], 1);
    // a form the site does not have: its beginning, down to three letters
    const shortest = Math.min(term.length, Math.max(3, term.length - 3));
    for (let t = term; stems.size === 0 && t.length >= shortest; t = t.slice(0, -1)) {
      for (const [w, stem] of part.words) {
        if (!w.startsWith(t)) continue;
        const fit = (w === term ? 1 : 0.5 + (0.5 * t.length) / w.length) * (t.length / term.length);
        stems.set(stem, Math.max(stems.get(stem) ?? 0, fit));
      }
    }
    const scores = new Map();
    for (const [stem, fit] of stems) {
      const p = part.p[stem];
      const n = p.length / 2;
      const idf = Math.log(1 + (meta.docs - n + 0.5) / (n + 0.5));
      for (let i = 0, doc = 0; i < p.length; i += 2) {
        doc += p[i];
        const s = p[i + 1] * idf * fit;
        if (s > (scores.get(doc) ?? 0)) scores.set(doc, s);
      }
    }
    return scores;
  };

  // the documents that have every word, best first
  const search = async (terms, open) => {
    await loadMeta();
    let total = null;
    for (const scores of await Promise.all(terms.map((t, i) => scoresOf(t, open && i === terms.length - 1)))) {
      if (total === null) total = scores;
      else for (const [doc, s] of total) scores.has(doc) ? total.set(doc, s + scores.get(doc)) : total.delete(doc);
    }
    return [...total].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([doc]) => doc);
  };

  const excerpt = (text, terms) => {
    const p = document.createElement("p");
    let at = 0;
    for (const m of text.matchAll(WORD)) {
      if (!terms.some((t) => fold(m[0]).startsWith(t))) continue;
      p.append(text.slice(at, m.index));
      const mark = document.createElement("mark");
      mark.textContent = m[0];
      p.append(mark);
      at = m.index + m[0].length;
    }
    p.append(text.slice(at));
    return p;
  };

  const show = async (docs, terms) => {
    const items = await Promise.all(
      docs.slice(0, SHOWN).map(async (d) => (await get(`d/${Math.floor(d / meta.per_file)}.json`))[d % meta.per_file]),
    );
    list.replaceChildren(
      ...items.map(([url, title, client, year, text]) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = root + url;
        a.textContent = title;
        const about = document.createElement("span");
        about.className = "search-about";
        about.textContent = `${client} · ${year}`;
        li.append(a, about, excerpt(text, terms));
        return li;
      }),
    );
    status.textContent = docs.length === 0 ? none : (docs.length === 1 ? one : many).replace("#", docs.length);
  };

  let asked = 0;
  const run = async () => {
    const q = input.value;
    const url = new URL(location.href);
    q.trim() ? url.searchParams.set("q", q) : url.searchParams.delete("q");
    history.replaceState(history.state, "", url);
    const terms = words(q);
    const mine = ++asked;
    if (terms.length === 0) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    try {
      // (the last word is still being typed unless something follows it)
      const docs = await search(terms, /[\p{Alphabetic}\p{N}]$/u.test(q));
      if (mine === asked) await show(docs, terms);
    } catch (e) {
      if (mine === asked) status.textContent = `${none} (${e})`;
    }
  };

  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 80);
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    run().then(() => list.querySelector("a")?.focus());
  });
  box.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && input.value) {
      input.value = "";
      run();
      input.focus();
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      const links = [...list.querySelectorAll("a")];
      const at = links.indexOf(document.activeElement);
      const next = e.key === "ArrowDown" ? at + 1 : at - 1;
      if (links.length === 0 || next < -1) return;
      e.preventDefault();
      (next === -1 ? input : links[Math.min(next, links.length - 1)]).focus();
    }
  });
  box.hidden = false;
  const q = new URL(location.href).searchParams.get("q");
  if (q) {
    input.value = q;
    run();
  }
})();
