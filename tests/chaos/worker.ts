/**
 * A plugin worker process for the chaos tests: the whole plugin (startPlugin) without HTTP, on the
 * database and sandboxes its environment names, running sync jobs until it is killed.
 */
import { loadConfig } from '../../src/config.js';
import { startPlugin } from '../../src/server.js';

await startPlugin(loadConfig(process.env), { http: false });
process.send?.('ready');
