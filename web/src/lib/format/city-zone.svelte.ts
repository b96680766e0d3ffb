/**
 * The city's time zone (IANA), which every time shown is formatted in (see time.ts). Each
 * page's frame sets it from `/api/v1/config` (the wall from its boot) before showing
 * anything; until then it holds the server's default `TZ`.
 */
export const cityZone = $state<{ tz: string }>({ tz: 'Europe/Paris' });
