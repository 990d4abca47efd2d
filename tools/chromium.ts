import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { toolSettings } from './env.js';

/** Debian's chromium package, which .ci/run installs; playwright cannot download a browser here. */
const CHROMIUM = '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps trying hosts this closed network refuses.
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A headless Chromium for the page tests (the debugger, the browser SDK). */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });

/** On a workstation without Debian's chromium the page tests are skipped; in CI they must run (.ci/run installs it). */
export const withoutChromium = !existsSync(CHROMIUM) && !toolSettings().ci;
