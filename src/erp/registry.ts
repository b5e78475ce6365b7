import type { Config } from '../config.js';
import type { Clock } from '../lib/clock.js';
import type { JdyTokenStore } from '../../plugins/jingdouyun/client/index.js';
import { jingdouyunPlugin } from '../../plugins/jingdouyun/index.js';
import type { ErpPlugin, SecretsChanged } from './plugin.js';

export interface ErpPluginDeps {
  /** Where the plugin keeps its access tokens (shared by every worker). */
  jdyTokens: JdyTokenStore;
  /** Called when the ERP rotates a connection's secrets, so the stored copy stays current. */
  onSecretsChanged: SecretsChanged;
  /** Drives the ERP's change windows and token ages (tests move it with the sandboxes' clocks). */
  clock: Clock;
}

/**
 * The ERP plugins the product ships. A second ERP is another folder under plugins/ exporting an
 * ErpPlugin factory, and one more line here; the engine, the pages and the API stay as they are.
 */
export function loadErpPlugin(config: Config, deps: ErpPluginDeps): ErpPlugin {
  return jingdouyunPlugin(config.jdy, deps.jdyTokens, deps.onSecretsChanged, deps.clock);
}
