// Live update: when the server says a build finished, fetch this page again and swap it in.
(function () {
  const events = new EventSource("/events");
  events.addEventListener("build", async (event) => {
    if (String(document.body.dataset.version) === event.data) return;
    const response = await fetch(location.pathname, { cache: "no-store" });
    const html = await response.text();
    const fresh = new DOMParser().parseFromString(html, "text/html");
    document.title = fresh.title;
    document.body.innerHTML = fresh.body.innerHTML;
    document.body.dataset.version = fresh.body.dataset.version;
  });
})();
