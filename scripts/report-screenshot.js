'use strict';
// `npm run docs` step: regenerates images/report.png, the picture of `seaworthy report` in docs/report.md,
// by running the report's browser test (headless system Chromium) with SEAWORTHY_SCREENSHOT set.
// Without Chromium it keeps the committed picture and says how to install one (CI installs it).
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const chromium = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean).find(p => fs.existsSync(p));
if (!chromium) {
  console.warn('images/report.png kept as committed: no Chromium found; install Debian\'s Chromium (`sudo apt-get install -y chromium`) or set CHROMIUM_PATH');
  process.exit(0);
}
const jest = require.resolve('jest/bin/jest');
const result = spawnSync(process.execPath, [jest, '--ci', 'test/report-browser.test.ts', '-t', 'one environment'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, SEAWORTHY_SCREENSHOT: 'images/report.png' },
});
process.exit(result.status ?? 1);
