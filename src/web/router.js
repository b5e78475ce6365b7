// A tiny hash router: #/overview, #/logs/<id>?page=2 … Each route renders one page module into the
// content area; leaving a page aborts its AbortSignal (stops its timers and pending loads).

/** '#/logs/abc?status=failed' → { path: ['logs', 'abc'], query: { status: 'failed' } } */
export function parseHash(hash) {
  const raw = hash.replace(/^#\/?/, '');
  const [pathPart, queryPart = ''] = raw.split('?');
  const path = pathPart
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  return { path, query: Object.fromEntries(new URLSearchParams(queryPart)) };
}

export function hashOf(path, query = {}) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `#/${path.map(encodeURIComponent).join('/')}${qs ? `?${qs}` : ''}`;
}

/**
 * routes: [{ match: (path) → params|null, page }]. onRoute(page, params, query, signal) renders.
 * Unknown hashes go to `fallback`.
 */
export function startRouter({ routes, fallback, onRoute }) {
  let controller = null;
  const go = () => {
    const { path, query } = parseHash(location.hash);
    for (const route of routes) {
      const params = route.match(path);
      if (!params) continue;
      controller?.abort();
      controller = new AbortController();
      onRoute(route, params, query, controller.signal);
      return;
    }
    location.replace(fallback);
  };
  window.addEventListener('hashchange', go);
  go();
  return { reload: go };
}
