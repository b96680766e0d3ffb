import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { postgresDatabase, type TestDatabase } from '../../../server/src/testing/databases.ts';
import { spawnNode, type NodeProcess } from '../../../server/src/testing/process.ts';
import { postgresAvailable, redisAvailable, TEST_REDIS_URL } from '../../../server/src/testing/services.ts';
import { chromiumAvailable, launchChromium, SCREENSHOTS } from './browser.ts';
import { assault, postEvents, signedIn } from './operator.ts';
import { retypeLine } from './rule-editor.ts';

const ready = chromiumAvailable() && (await postgresAvailable()) && (await redisAvailable());

describe.skipIf(!ready)('supervisors write, backtest and publish a rule; another node applies it', () => {
  let pgdb: TestDatabase;
  const nodes: NodeProcess[] = [];
  let browser: Browser;
  let editor: Page;
  let operator: Page;

  beforeAll(async () => {
    pgdb = await postgresDatabase();
    const url = new URL(pgdb.url!);
    url.searchParams.set('options', `-c search_path=${pgdb.schema}`);
    const env = {
      VIGIE_DEMO: '1', VIGIE_SIMULATOR: '0', DATABASE_URL: url.toString(), REDIS_URL: TEST_REDIS_URL, VIGIE_TILE_URL: '',
      ...(process.env.VIGIE_WEB_DIR ? { VIGIE_WEB_DIR: process.env.VIGIE_WEB_DIR } : {}),
    };
    // One node first (it migrates and seeds the rules), then the second.
    nodes.push(await spawnNode({ ...env, VIGIE_NODE_ID: 'a' }));
    nodes.push(await spawnNode({ ...env, VIGIE_NODE_ID: 'b' }));
    browser = await launchChromium();
    // History for the backtest: assaults with an injured person over the last days.
    const now = Date.now();
    await postEvents(nodes[0]!.url, Array.from({ length: 40 }, (_, i) => ({
      ...assault(43.29 + (i % 4) * 0.004, 5.365 + (i % 3) * 0.006, `history-${i}`),
      time: new Date(now - (i + 1) * 3.7 * 3_600_000).toISOString(),
    })));
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all(nodes.map((n) => n.stop()));
    await pgdb?.drop();
  });

  it('an operator cannot reach the editor nor its API', { timeout: 60_000 }, async () => {
    const [, b] = nodes as [NodeProcess, NodeProcess];
    operator = await signedIn(browser, b.url, 'operator');
    await operator.goto(`${b.url}/rules/assault-injured`);
    await operator.getByTestId('rules-forbidden').waitFor();
    expect(await operator.locator('.cm-content').count()).toBe(0);
    const status = await operator.evaluate(async () => {
      const me = (await (await fetch('/api/v1/auth/me')).json()) as { csrfToken: string };
      const res = await fetch('/api/v1/rules/assault-injured', {
        method: 'PUT', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, body: JSON.stringify({ yaml: 'id: assault-injured' }),
      });
      return [res.status, ((await res.json()) as { error: { code: string } }).error.code];
    });
    expect(status).toEqual([403, 'VIGIE_FORBIDDEN']);
    await operator.goto(b.url);
    await operator.waitForSelector('[data-testid="connection-status"][data-state="connected"]', { timeout: 20_000 });
  });

  it('a supervisor opens a rule, makes a mistake and sees it at its line, then fixes it', { timeout: 60_000 }, async () => {
    const [a] = nodes as [NodeProcess];
    editor = await signedIn(browser, a.url, 'supervisor');
    await editor.goto(`${a.url}/rules`);
    await editor.getByTestId('rules-table').waitFor();
    await editor.screenshot({ path: `${SCREENSHOTS}rules-list-1920.png` });
    // A new rule starts from the template in shadow mode; the template itself cannot be published, nor anything without a comment.
    await editor.goto(`${a.url}/rules/new`);
    await editor.locator('[data-testid="rule-status"][data-valid="true"]').waitFor();
    expect(await editor.getByTestId('publish-shadow').isChecked()).toBe(true);
    expect(await editor.getByTestId('publish').isDisabled()).toBe(true);
    expect(await editor.getByTestId('publish-why').textContent()).toMatch(/encore le modèle/);
    await editor.getByTestId('publish-comment').fill('essai');
    expect(await editor.getByTestId('publish').isDisabled()).toBe(true);
    await editor.goBack();
    await editor.locator('[data-testid="rule-row"][data-rule-id="assault-injured"] a').click();
    await editor.waitForURL(/\/rules\/assault-injured$/);
    await editor.locator('[data-testid="rule-status"][data-valid="true"]').waitFor();
    expect(await editor.getByTestId('rule-in-force').getAttribute('data-version')).toBe('1');

    await retypeLine(editor, 4, 'severity: hihg');
    const error = editor.locator('[data-testid="rule-error"][data-line="4"][data-field="severity"]');
    await error.waitFor();
    await editor.locator('.cm-lint-marker-error').first().waitFor(); // the gutter marks the line too
    expect(await editor.getByTestId('publish').isDisabled()).toBe(true);
    await editor.screenshot({ path: `${SCREENSHOTS}rules-editor-error-1920.png` });

    await retypeLine(editor, 4, 'severity: critical');
    await editor.locator('[data-testid="rule-status"][data-valid="true"]').waitFor();
    expect(await editor.getByTestId('publish').isDisabled()).toBe(true); // no comment yet
    expect(await editor.getByTestId('publish-why').textContent()).toMatch(/Indiquez pourquoi/);
    // Leaving with the edit unpublished asks first; declining keeps the page and the text.
    const asked = new Promise<string>((resolve) => editor.once('dialog', (d) => { resolve(d.message()); void d.dismiss(); }));
    await editor.locator('a.btn[href="/"]').click();
    expect(await asked).toMatch(/n’est pas publié/);
    expect(editor.url()).toMatch(/\/rules\/assault-injured$/);
    expect(await editor.locator('.cm-content').textContent()).toContain('severity: critical');
    // The form and the YAML stay in sync: a new title typed in the form lands in the YAML, comments and all.
    expect(await editor.getByTestId('form-severity').inputValue()).toBe('critical');
    await editor.getByTestId('form-title').fill('Agression v2 — {zone}');
    await editor.getByTestId('form-title').press('Tab');
    await expect.poll(() => editor.locator('.cm-content').textContent()).toContain('Agression v2 — {zone}');
  });

  it('backtests the draft over the last 7 days beside the version in force', { timeout: 60_000 }, async () => {
    await editor.getByTestId('backtest-period').selectOption('7d');
    await editor.getByTestId('backtest-run').click();
    const summary = editor.getByTestId('backtest-summary');
    await summary.waitFor({ timeout: 30_000 });
    expect(Number(await summary.getAttribute('data-alerts'))).toBe(40);
    const compare = editor.getByTestId('backtest-compare');
    expect([await compare.getAttribute('data-added'), await compare.getAttribute('data-removed')]).toEqual(['0', '0']);
    expect(Number(await editor.getByTestId('backtest-chart').getAttribute('data-bars'))).toBeGreaterThanOrEqual(7);
    expect(Number(await editor.getByTestId('backtest-map').getAttribute('data-points'))).toBe(40);
    expect(await editor.getByTestId('backtest-sample').textContent()).toContain('Agression v2');
    await editor.waitForTimeout(300);
    await editor.screenshot({ path: `${SCREENSHOTS}rules-editor-backtest-1920.png` });
    await editor.setViewportSize({ width: 1366, height: 768 });
    await editor.waitForTimeout(300);
    await editor.screenshot({ path: `${SCREENSHOTS}rules-editor-backtest-1366.png` });
    await editor.setViewportSize({ width: 1920, height: 1080 });
  });

  it('publishes it, and an operator on the other node sees an alert from the new version', { timeout: 60_000 }, async () => {
    const [a, b] = nodes as [NodeProcess, NodeProcess];
    await editor.getByTestId('publish-comment').fill('plus grave, titre plus clair');
    await editor.getByTestId('publish').click();
    await editor.locator('[data-testid="publish-outcome"][data-ok="true"]').waitFor();
    await editor.locator('[data-testid="rule-in-force"][data-version="2"]').waitFor();
    await editor.getByTestId('tab-versions').click();
    await editor.locator('[data-testid="version"][data-version="2"]').waitFor();
    await editor.locator('[data-testid="version"][data-version="2"] button').first().click();
    await editor.waitForTimeout(200);
    await editor.screenshot({ path: `${SCREENSHOTS}rules-editor-versions-1920.png` });

    // The event reaches node b, which never saw the edit: it must have reloaded the rule from the database.
    const event = assault(43.2965, 5.3698, `after-publish-${Date.now()}`);
    await postEvents(b.url, [event]);
    const row = operator.locator('[data-testid="alert-row"][data-severity="critical"]', { hasText: 'Agression v2' });
    await row.first().waitFor({ timeout: 15_000 });
    await operator.screenshot({ path: `${SCREENSHOTS}rules-published-operator-1920.png` });
    expect(a.url).not.toBe(b.url);
  });
});
