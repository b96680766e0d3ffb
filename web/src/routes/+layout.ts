// A client-only single-page app: the server serves build/index.html for every route.
export const ssr = false;
export const prerender = false;
