import { OBJECT_KEYS, type Direction, type ObjectKey } from './keys.js';
import type { AnySyncObjectModule } from './object-module.js';

const DIRECTION_ORDER: readonly Direction[] = ['jdy_to_crm', 'crm_to_jdy'];

/**
 * The object modules of the product. An object may have a module per direction (customers are
 * imported from the ERP on the first run, then flow CRM → ERP). Runs visit modules in dependency
 * order: the order of OBJECT_KEYS, ERP → CRM before CRM → ERP for the same object.
 */
export class ModuleRegistry {
  private readonly modules: AnySyncObjectModule[];

  constructor(modules: readonly AnySyncObjectModule[]) {
    const rank = (m: AnySyncObjectModule) =>
      OBJECT_KEYS.indexOf(m.key) * 2 + DIRECTION_ORDER.indexOf(m.direction);
    this.modules = [...modules].sort((a, b) => rank(a) - rank(b));
    for (const m of modules) {
      for (const dep of m.dependsOn) {
        if (OBJECT_KEYS.indexOf(dep) >= OBJECT_KEYS.indexOf(m.key)) {
          throw new Error(`${m.key} depends on ${dep}, which does not come before it`);
        }
      }
    }
  }

  get(key: ObjectKey, direction?: Direction): AnySyncObjectModule | undefined {
    return this.modules.find((m) => m.key === key && (!direction || m.direction === direction));
  }

  /** The modules of the given objects (default: all), in dependency order. */
  ordered(keys?: readonly ObjectKey[]): AnySyncObjectModule[] {
    return keys ? this.modules.filter((m) => keys.includes(m.key)) : [...this.modules];
  }

  /** Every module of one object (both directions). */
  of(key: ObjectKey): AnySyncObjectModule[] {
    return this.modules.filter((m) => m.key === key);
  }
}
