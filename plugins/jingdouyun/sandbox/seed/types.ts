/** The body of `POST /__sandbox/seed` (§8.2). */
export interface SeedApp {
  client_id: string;
  client_secret: string;
}
export interface SeedUser {
  uid: number;
  username: string;
  password: string;
  nickname?: string;
}
export interface SeedAuthorization {
  client_id: string;
  app_key: string;
  app_secret: string;
  status?: string;
  outer_instance_id?: string;
  agreement_company_name?: string;
}
export interface SeedAccountSet {
  account_id: string;
  account_name: string;
  service_id: string;
  group_id: string;
  group_name: string;
  domain: string;
  enable?: string;
  members: number[];
  admin_uid?: number;
  authorizations?: SeedAuthorization[];
}
export interface SeedRecord {
  account_id: string;
  /** An entity_number, or "inventory". */
  entity: string;
  data: Record<string, unknown>;
}
export interface SeedDeleted {
  account_id: string;
  entity_number: string;
  id: string;
  number: string;
  delete_time: string;
}
export interface SeedBody {
  apps?: SeedApp[];
  users?: SeedUser[];
  account_sets?: SeedAccountSet[];
  records?: SeedRecord[];
  deleted?: SeedDeleted[];
}
