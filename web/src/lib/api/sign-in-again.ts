/**
 * Where a page sends someone whose session is gone (expired, signed out elsewhere), and where
 * the login page sends them back: the page they were on, not the console's front page.
 */
export function loginFor(here: { pathname: string; search: string }): string {
  const path = here.pathname + here.search;
  if (here.pathname === '/login') return path; // already there: its `next` stays
  return path === '/' ? '/login' : `/login?next=${encodeURIComponent(path)}`;
}

/** The page to enter once signed in: `next` when it is a path of this site (never another origin), else the console. */
export function afterLogin(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/login')) return '/';
  return next;
}
