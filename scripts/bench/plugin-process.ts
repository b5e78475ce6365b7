/**
 * The plugin as the benchmark runs it: in its own process, so its CPU time and peak RSS are its
 * own. Started by scripts/bench.ts with the plugin's environment and driven over IPC:
 * → {type:'ready', url} once it listens; ← {type:'mark'} → {type:'mark', usage}; ← {type:'stop'}.
 */
import { loadConfig } from '../../src/config.js';
import { startPlugin } from '../../src/server.js';
import { mark, send } from './meter.js';
import type { ParentMessage } from './protocol.js';

const plugin = await startPlugin(loadConfig(process.env));
process.on('message', (message: ParentMessage) => {
  if (message.type === 'mark') send({ type: 'mark', usage: mark() });
  if (message.type === 'stop') void plugin.stop().finally(() => process.exit(0));
});
send({ type: 'ready', url: plugin.url });
