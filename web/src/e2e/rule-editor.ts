import type { Page } from 'playwright-core';

/** Replaces the whole text of line `n` (1-based) of the rule editor by typing, as a supervisor would. */
export async function retypeLine(page: Page, n: number, text: string) {
  await page.locator('.cm-content .cm-line').nth(n - 1).click();
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.type(text);
  await page.keyboard.press('Escape'); // close the completion list
}
