/** The city's time zone (from `/api/v1/config`): calendar times are shown on the city's clock. */
export const cityZone = $state<{ tz: string | undefined }>({ tz: undefined });
