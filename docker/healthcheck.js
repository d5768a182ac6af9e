// Container health check (the slim image has no curl): exit 0 when the app's GET /health answers 2xx.
// PORT is the app's port; without it, the app's default port from API.md (libs/contracts SERVICES).
const { join } = require('node:path');

const app = process.env.APP;
let port = process.env.PORT;
if (!port) {
  const { SERVICES } = require(join(__dirname, '../dist/libs/contracts/src/services.js'));
  port = SERVICES[app] ? SERVICES[app].port : 8001;
}
fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(4000) })
  .then((response) => process.exit(response.ok ? 0 : 1))
  .catch(() => process.exit(1));
