import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.VIGIE_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = new URL('../../test-results/', import.meta.url).pathname;

/**
 * Whether Debian's Chromium is there. Outside CI a missing browser skips the browser tests
 * with a line saying why; under CI=true it is an error (.ci/run installs it).
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: browser tests cannot be skipped under CI=true`);
  console.warn(`SKIPPED: ${CHROMIUM} is missing (apt-get install chromium); the browser tests are skipped.`);
  return false;
}

/** Headless Chromium as root on a closed network: no sandbox, no background traffic. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
