/** Every Agenda job name of the plugin, so producers and definitions cannot drift apart. */
export const JOB = {
  /** After an install push: learn the corpId of a permanent code and activate the tenant. */
  fxInstall: 'fx.install',
  /** One per tenant: handle the tenant's pending CRM change events. */
  crmEvents: 'crm-events.process',
  /** Every 10 minutes: delete expired sessions (FerretDB has no TTL indexes). */
  sessionCleanup: 'housekeeping.sessions',
  /** Every 10 minutes: drop old processed events, re-queue tenants whose event job got lost. */
  crmEventCleanup: 'housekeeping.crm-events',
} as const;

export interface FxInstallJob {
  /** The permanent code, sealed: job documents are stored in clear. */
  sealedCode: string;
  attempt: number;
}

export interface CrmEventsJob {
  tenantId: string;
}
