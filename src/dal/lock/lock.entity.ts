/** A lease: one holder at a time per key, given up on release or when it expires (a crashed holder). */
export interface LockEntity {
  /** e.g. "sync:<tenantId>" */
  _id: string;
  owner: string;
  expiresAt: Date;
}
