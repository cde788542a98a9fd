import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BrowserContext, chromium } from 'playwright-core';

/**
 * The system Chromium (Debian's `chromium` package), never a downloaded build: $CHROMIUM_PATH,
 * else the usual Debian and Ubuntu paths.
 */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));
  return candidates.find(p => fs.existsSync(p));
}

export const INSTALL_HINT = 'install Debian\'s Chromium (`sudo apt-get update && sudo apt-get install -y chromium`) or set CHROMIUM_PATH';

/** Flags that keep the browser off the network and deterministic enough for screenshots. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--font-render-hinting=none', '--force-color-profile=srgb', '--hide-scrollbars',
];

/** Launches the system Chromium with a fresh user-data-dir; `close()` removes it again. */
export async function launchChromium(executablePath: string): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seaworthy-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    offline: true,
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
