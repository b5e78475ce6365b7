import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import type { Sandbox } from './gateway.js';
import {
  Books,
  ENTITIES,
  SandboxState,
  isEntityNumber,
  type AccountSet,
  type App,
  type AppToken,
  type Authorization,
  type BaseRec,
  type DeletedRow,
  type InvRec,
  type PassportToken,
  type Settings,
  type User,
} from './state.js';

/** The sandbox state as JSON, so a demo sandbox survives restarts (`snapshotFile`). */
interface SnapshotBooks {
  records: Record<string, BaseRec[]>;
  inventory: InvRec[];
  deleted: DeletedRow[];
  counters: [string, number][];
}
interface Snapshot {
  version: 1;
  lastId: string;
  clockOffset: number;
  settings: Settings;
  apps: App[];
  users: User[];
  authorizations: Authorization[];
  accountSets: (Omit<AccountSet, 'books'> & { books: SnapshotBooks })[];
  passportTokens: [string, PassportToken][];
  appTokens: [string, AppToken][];
  files: {
    file_id: string;
    account_id: string;
    filename: string;
    size: number;
    content_type: string;
    data: string;
  }[];
}

const SAVE_DELAY_MS = 200;
const pending = new Map<string, NodeJS.Timeout>();

/** Debounced: bulk seeding or paging does not rewrite the file per request. */
export function saveSnapshot(state: SandboxState, file: string): void {
  if (pending.has(file)) return;
  const timer = setTimeout(() => {
    pending.delete(file);
    writeSnapshot(state, file);
  }, SAVE_DELAY_MS);
  timer.unref();
  pending.set(file, timer);
}

function writeSnapshot(state: SandboxState, file: string): void {
  const snapshot: Snapshot = {
    version: 1,
    lastId: state.lastIssuedId,
    clockOffset: state.clockOffset,
    settings: state.settings,
    apps: [...state.apps.values()],
    users: [...state.users.values()],
    authorizations: state.authorizations,
    accountSets: [...state.accountSets.values()].map(({ books, ...set }) => ({
      ...set,
      books: {
        records: Object.fromEntries(
          Object.keys(ENTITIES)
            .filter(isEntityNumber)
            .map((e) => [e, [...books.storeOf(e).byId.values()]]),
        ),
        inventory: [...books.inventory.byPair.values()],
        deleted: books.deleted,
        counters: books.counterEntries(),
      },
    })),
    passportTokens: [...state.passportTokens],
    appTokens: [...state.appTokens],
    files: [...state.files.values()].map((f) => ({ ...f, data: f.data.toString('base64') })),
  };
  writeFileSync(`${file}.tmp`, JSON.stringify(snapshot));
  renameSync(`${file}.tmp`, file);
}

export function loadSnapshot(sb: Sandbox, file: string): void {
  if (!existsSync(file)) return;
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const state = new SandboxState();
  state.restoreLastId(snap.lastId);
  state.clockOffset = snap.clockOffset;
  state.settings = snap.settings;
  for (const a of snap.apps) state.apps.set(a.client_id, a);
  for (const u of snap.users) state.users.set(u.uid, u);
  state.authorizations.push(...snap.authorizations);
  for (const { books: saved, ...set } of snap.accountSets) {
    const books = new Books(state.journal);
    for (const [entity, recs] of Object.entries(saved.records)) {
      if (!isEntityNumber(entity)) continue;
      const store = books.storeOf(entity);
      for (const r of recs) store.put(r);
    }
    for (const inv of saved.inventory) books.inventory.put(inv);
    for (const d of saved.deleted) books.addDeleted(d);
    for (const [k, v] of saved.counters) books.setCounter(k, v);
    state.accountSets.set(set.account_id, { ...set, books });
  }
  for (const [k, v] of snap.passportTokens) state.passportTokens.set(k, v);
  for (const [k, v] of snap.appTokens) state.appTokens.set(k, v);
  for (const f of snap.files) state.files.set(f.file_id, { ...f, data: Buffer.from(f.data, 'base64') });
  sb.state = state;
}
