((initial) => {
  // vitrine serve: reloads this page when the site is rebuilt, swaps
  // stylesheets when only CSS changed, and shows build problems on the page.
  const BOX = "__vitrine_problems";
  let source = null;
  let build = null;

  function show(lines) {
    let box = document.getElementById(BOX);
    if (!lines.length) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = BOX;
      box.setAttribute("role", "alert");
      document.body.prepend(box);
    }
    box.style.cssText = "position:fixed;inset:0 0 auto 0;z-index:2147483647;max-height:60vh;overflow:auto;" +
      "margin:0;padding:1rem 1.25rem;background:#2b0b0b;color:#fff;font:14px/1.5 ui-monospace,monospace;" +
      "white-space:pre-wrap;box-shadow:0 4px 16px rgba(0,0,0,.4)";
    box.textContent = "vitrine: the last change does not build; still showing the last good version.\n\n" +
      lines.join("\n");
  }

  function connect() {
    source = new EventSource("/__vitrine/events");
    source.addEventListener("hello", (e) => {
      if (build !== null && build !== e.data) location.reload();
      build = e.data;
    });
    source.addEventListener("problems", (e) => show(JSON.parse(e.data)));
    source.addEventListener("reload", () => location.reload());
    source.addEventListener("css", (e) => {
      build = e.data;
      for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
        const url = new URL(link.href);
        url.searchParams.set("vitrine", Date.now());
        link.href = url.href;
      }
    });
  }

  // a hidden tab gives its connection back (browsers allow 6 per host)
  document.addEventListener("visibilitychange", () => {
    if (document.hidden && source) {
      source.close();
      source = null;
    } else if (!document.hidden && !source) {
      connect();
    }
  });
  show(initial);
  connect();
})(PROBLEMS);
