/** A tenant's link to one ERP account set (at most one per tenant). */
export type ConnectionStatus = 'connected' | 'paused';

export interface ConnectionEntity {
  /** = tenantId: one connection per tenant. */
  _id: string;
  tenantId: string;
  /** The ErpPlugin id ("jingdouyun"). */
  erp: string;
  accountId: string;
  accountName: string;
  /** The plugin's opaque connection secrets, sealed with the SecretBox. */
  secrets: string;
  status: ConnectionStatus;
  /** Why sync is paused (authorisation lost, uninstalled …), shown on the pages. */
  pausedReason: string | null;
  pausedAt: Date | null;
  connectedAt: Date;
  /** openUserId of the admin who connected (the default owner until changed). */
  connectedBy: string;
  updatedAt: Date;
}
