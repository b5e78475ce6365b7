import type { ConnectionEntity } from '../../dal/connection/connection.entity.js';

/** The connection as the plugin API shows it (never its secrets). */
export const connectionView = (c: ConnectionEntity | null) =>
  c
    ? {
        status: c.status,
        accountId: c.accountId,
        accountName: c.accountName,
        connectedAt: c.connectedAt.toISOString(),
        ...(c.status === 'paused' ? { pausedReason: c.pausedReason } : {}),
      }
    : { status: 'none' as const, accountId: null, accountName: null, connectedAt: null };
