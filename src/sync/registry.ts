import { OBJECT_KEYS, type ObjectKey } from './keys.js';
import type { AnySyncObjectModule } from './object-module.js';

/** The object modules of the product, looked up by key; runs visit them in dependency order. */
export class ModuleRegistry {
  private readonly byKey = new Map<ObjectKey, AnySyncObjectModule>();

  constructor(modules: readonly AnySyncObjectModule[]) {
    for (const m of modules) this.byKey.set(m.key, m);
    for (const m of modules) {
      for (const dep of m.dependsOn) {
        if (OBJECT_KEYS.indexOf(dep) >= OBJECT_KEYS.indexOf(m.key)) {
          throw new Error(`${m.key} depends on ${dep}, which does not come before it`);
        }
      }
    }
  }

  get(key: ObjectKey): AnySyncObjectModule | undefined {
    return this.byKey.get(key);
  }

  /** The given objects (default: all registered) in dependency order. */
  ordered(keys?: readonly ObjectKey[]): ObjectKey[] {
    const wanted = new Set(keys ?? this.byKey.keys());
    return OBJECT_KEYS.filter((k) => wanted.has(k) && this.byKey.has(k));
  }
}
