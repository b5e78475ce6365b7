/**
 * A signed-in person of the plugin pages (after CRM single sign-on). The cookie carries a random
 * session id; the `_id` stored here is its sha256, so the collection holds nothing a browser could
 * replay. The CSRF token is derived from the id (see http/session.ts) and is not stored either.
 */
export interface SessionEntity {
  _id: string;
  tenantId: string;
  corpId: string;
  openUserId: string;
  name: string;
  /** isCrmAdmin when signing in: gates the settings pages. */
  isAdmin: boolean;
  createdAt: Date;
  expiresAt: Date;
}
