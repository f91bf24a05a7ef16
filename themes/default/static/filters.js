// The filters of a list of cases in vitrine's default theme (the home and
// the section pages): by tag, client and year, combined, with the number
// of cases each choice leaves. They come from the language's search index
// (search/<lang>/filters.json, documents in d/<n>.json: the format is in
// src/render/search.rs); the list narrows in place and the address keeps
// the filters (?tag=…&year=…), so a narrowed list can be shared. Without
// JavaScript the form stays hidden and the tag pages do the narrowing.
(() => {
  "use strict";
  const form = document.querySelector("form.case-filters");
  if (!form || !window.fetch) return;
  const { index, root, none, one, many } = form.dataset;
  const selects = [...form.querySelectorAll("select")];
  const status = form.querySelector("[role=status]");
  const results = document.querySelector(".filter-results");
  const more = document.querySelector(".filter-more");
  const unfiltered = document.querySelectorAll("[data-unfiltered]");
  const SHOWN = 24;

  let meta = null;
  let facets = null;
  const chunks = new Map();
  const get = (file) => fetch(`${index}${file}?v=${meta.stamp}`).then((r) => (r.ok ? r.json() : Promise.reject(r.status)));
  const doc = async (d) => {
    const n = Math.floor(d / meta.per_file);
    if (!chunks.has(n)) chunks.set(n, get(`d/${n}.json`));
    return (await chunks.get(n))[d % meta.per_file];
  };

  // the documents of a value of a facet, as a set
  const docsOf = (name, value) => new Set(facets[name].get(value) ?? []);
  // the documents every chosen filter but `except` leaves (null: all of them)
  const leaves = (except) => {
    let left = null;
    for (const s of selects) {
      if (s.name === except || !s.value) continue;
      const docs = docsOf(s.name, s.value);
      left = left === null ? docs : new Set([...left].filter((d) => docs.has(d)));
    }
    return left;
  };

  // each option says how many cases it leaves, with the other filters as they are
  const count = () => {
    for (const s of selects) {
      const left = leaves(s.name);
      for (const o of s.options) {
        if (!o.value) continue;
        const docs = facets[s.name].get(o.value);
        const n = left === null ? docs.length : docs.filter((d) => left.has(d)).length;
        o.textContent = `${o.value} (${n})`;
        o.disabled = n === 0 && !o.selected;
      }
    }
  };

  let matched = [];
  let shown = 0;
  const showMore = async () => {
    const next = matched.slice(shown, shown + SHOWN);
    shown += next.length;
    const items = await Promise.all(next.map(doc));
    results.append(
      ...items.map(([url, title, client, year, text]) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = root + url;
        a.textContent = title;
        const about = document.createElement("span");
        about.className = "filter-about";
        about.textContent = `${client} · ${year}`;
        const p = document.createElement("p");
        p.textContent = text;
        li.append(a, about, p);
        return li;
      }),
    );
    more.hidden = shown >= matched.length;
  };

  const apply = async () => {
    const url = new URL(location.href);
    for (const s of selects) s.value ? url.searchParams.set(s.name, s.value) : url.searchParams.delete(s.name);
    history.replaceState(history.state, "", url);
    count();
    const left = leaves(null);
    for (const el of unfiltered) el.hidden = left !== null;
    results.hidden = left === null;
    results.replaceChildren();
    matched = left === null ? [] : [...left].sort((a, b) => a - b);
    shown = 0;
    status.textContent =
      left === null ? "" : matched.length === 0 ? none : (matched.length === 1 ? one : many).replace("#", matched.length);
    if (left === null) {
      more.hidden = true;
      return;
    }
    await showMore();
  };

  const start = async () => {
    const r = await fetch(`${index}meta.json`, { cache: "no-cache" });
    if (!r.ok) return;
    meta = await r.json();
    const data = await get("filters.json");
    facets = Object.fromEntries(Object.entries(data).map(([name, values]) => [name, new Map(values)]));
    const asked = new URL(location.href).searchParams;
    for (const s of selects) {
      for (const [value] of data[s.name] ?? []) s.add(new Option(value, value));
      if (asked.has(s.name) && facets[s.name]?.has(asked.get(s.name))) s.value = asked.get(s.name);
    }
    form.addEventListener("change", apply);
    form.addEventListener("reset", () => setTimeout(apply));
    more.querySelector("button").addEventListener("click", () => {
      const first = shown;
      showMore().then(() => results.children[first]?.querySelector("a")?.focus());
    });
    form.hidden = false;
    await apply();
  };
  start().catch(() => {});
})();
