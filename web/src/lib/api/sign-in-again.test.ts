import { describe, expect, it } from 'vitest';
import { afterLogin, loginFor } from './sign-in-again.ts';

describe('signing in again', () => {
  it('the login page is told where the person was, with its query', () => {
    expect(loginFor({ pathname: '/rules/three-sources', search: '?tab=backtest' })).toBe('/login?next=%2Frules%2Fthree-sources%3Ftab%3Dbacktest');
    expect(loginFor({ pathname: '/', search: '' })).toBe('/login');
    expect(loginFor({ pathname: '/login', search: '?next=%2Ffeeds' })).toBe('/login?next=%2Ffeeds');
  });

  it('goes back to a page of this site only', () => {
    expect(afterLogin('/rules/three-sources?tab=backtest')).toBe('/rules/three-sources?tab=backtest');
    expect(afterLogin(null)).toBe('/');
    for (const elsewhere of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '/login?next=/x', '']) expect(afterLogin(elsewhere)).toBe('/');
  });
});
