import { isRecord, type Json } from './parse.js';
import { JdyResource } from './resource.js';
import type { JdySession } from './transport.js';
import type {
  JdyCategoryRow,
  JdyCategorySave,
  JdyCustomerContact,
  JdyCustomerContactInput,
  JdyCustomerDetail,
  JdyCustomerRow,
  JdyCustomerSave,
  JdyGender,
} from './types.js';

export type JdyCustomerFilter = { search?: string; enable?: '1' | '0' | '-1'; group?: readonly string[] };
export type JdyCategoryFilter = { search?: string; parent?: readonly string[] };

/** Detail gender is "1" male, "0" female, "" unknown (§5.1); save uses "1"/"2". */
function genderFromDetail(value: unknown): JdyGender {
  const v = String(value ?? '');
  return v === '1' ? 'male' : v === '0' ? 'female' : 'unknown';
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

function contactFromDetail(raw: unknown): JdyCustomerContact {
  const c = isRecord(raw) ? raw : {};
  return {
    ...c,
    id: str(c.id),
    seq: typeof c.seq === 'number' ? c.seq : Number(c.seq ?? 0),
    contact_person: str(c.contact_person),
    mobile: str(c.mobile),
    phone: str(c.phone),
    email: str(c.email),
    contact_address: str(c.contact_address),
    gender: genderFromDetail(c.gender),
    is_default_linkman: c.is_default_linkman === true,
  };
}

/** Details carry contacts in `bomentity`, saves in `contact_persons`: both become `contacts` here. */
export function customerFromDetail(raw: unknown): JdyCustomerDetail {
  const { bomentity, contact_persons, ...rest } = isRecord(raw) ? raw : {};
  const lines = Array.isArray(bomentity) ? bomentity : Array.isArray(contact_persons) ? contact_persons : [];
  return {
    ...(rest as unknown as Omit<JdyCustomerDetail, 'contacts'>),
    contacts: lines.map(contactFromDetail),
  };
}

export function customerToWire(save: JdyCustomerSave): Json {
  const { contacts, ...rest } = save;
  if (!contacts) return rest;
  return {
    ...rest,
    contact_persons: contacts.map(({ gender, ...c }) => ({
      ...c,
      ...(gender ? { gender: gender === 'male' ? '1' : '2' } : {}),
    })),
  };
}

/** The stored contacts as save lines (ids kept), for rebuilding an update from a fresh detail. */
export function contactsForSave(detail: JdyCustomerDetail): JdyCustomerContactInput[] {
  return detail.contacts.map((c) => ({
    id: c.id,
    contact_person: c.contact_person,
    mobile: c.mobile,
    phone: c.phone,
    email: c.email,
    contact_address: c.contact_address,
    ...(c.gender === 'unknown' ? {} : { gender: c.gender }),
    is_default_linkman: c.is_default_linkman,
  }));
}

export type JdyCustomers = JdyResource<JdyCustomerRow, JdyCustomerDetail, JdyCustomerSave, JdyCustomerFilter>;
export type JdyCustomerGroups = JdyResource<
  JdyCategoryRow,
  JdyCategoryRow,
  JdyCategorySave,
  JdyCategoryFilter
>;

export const customers = (session: JdySession): JdyCustomers =>
  new JdyResource(session, {
    entityNumber: 'bd_customer',
    path: '/jdy/v2/bd/customer',
    detailPath: '/jdy/v2/bd/customer_detail',
    numberField: 'number',
    hasEnableFilter: true,
    mapDetail: customerFromDetail,
    toWire: customerToWire,
  });

/** Customer categories have no detail endpoint: lookups go through the list. */
export const customerGroups = (session: JdySession): JdyCustomerGroups =>
  new JdyResource(session, {
    entityNumber: 'bd_customergroup',
    path: '/jdy/v2/bd/customer_group',
    numberField: 'number',
    hasEnableFilter: false,
  });
