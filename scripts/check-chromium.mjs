// Fails fast, with the install command, when the end-to-end tests cannot find Chromium.
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(path)) {
  console.error(`The end-to-end tests need Chromium, and none was found at ${path}.
Install it with:  sudo apt-get update && sudo apt-get install -y chromium   (Debian/Ubuntu)
or set CHROMIUM_PATH to a Chromium/Chrome binary. (Never \`npx playwright install\`.)`);
  process.exit(1);
}
