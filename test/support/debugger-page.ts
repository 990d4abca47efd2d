import type { Locator, Page } from 'playwright-core';

/** The row of the debugger's events table that shows this event. */
export const eventRow = (page: Page, eventId: string): Locator => page.locator('#events tr', { hasText: eventId });

/** The stored JSON the detail pane shows once it has loaded the event. */
export const detailJson = async (page: Page, eventId: string): Promise<Record<string, unknown>> => {
  await page.locator('#detail-json', { hasText: eventId }).waitFor({ timeout: 5000 });
  return JSON.parse((await page.textContent('#detail-json')) as string);
};

/** Everything the page holds: its HTML as the browser has it now, and its text, hidden views included. */
export const pageContents = async (page: Page): Promise<string> =>
  `${await page.content()}\n${await page.evaluate('document.documentElement.textContent')}`;
